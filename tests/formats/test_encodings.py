"""Encodings: BOMs decide, UTF-8 until proven otherwise, Windows-1252, line ends, limits."""

from __future__ import annotations

import codecs
import io

import pytest

from rolodex.formats.encodings import (
    CHUNK_BYTES,
    MAX_LINE_CHARS,
    EncodingProblem,
    decode_text,
    sniff_encoding,
    text_lines,
    text_lines_from_bytes,
)

TEXT = "Name,Notes\r\nJosé,Crème brûlée \u2013 5 €\nZoë,x\r\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (TEXT.encode(), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode(), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_each_encoding_is_sniffed_and_read_back_with_its_line_ends(
    raw: bytes, encoding: str
) -> None:
    assert sniff_encoding(raw) == encoding
    assert list(text_lines_from_bytes(raw)) == [
        "Name,Notes\r\n",
        "José,Crème brûlée \u2013 5 €\n",
        "Zoë,x\r\n",
    ]


def test_plain_ascii_is_utf8() -> None:
    assert sniff_encoding(b"plain ascii\n") == "utf-8"


def test_a_utf8_sequence_cut_by_the_sniffed_head_is_still_utf8() -> None:
    raw = "é".encode()
    assert sniff_encoding(b"abc" + raw[:1]) == "utf-8"


def test_windows_1252_found_after_the_first_chunk_switches_without_changing_earlier_lines() -> None:
    raw = b"a," * CHUNK_BYTES + b"\n" + "Müller\n".encode("cp1252")
    lines = list(text_lines(io.BytesIO(raw)))
    assert lines[1] == "Müller\n"
    assert lines[0] == "a," * CHUNK_BYTES + "\n"


def test_a_multibyte_character_split_across_chunks_is_read_whole() -> None:
    raw = b"x" * (CHUNK_BYTES - 1) + "é\n".encode()
    assert list(text_lines(io.BytesIO(raw))) == ["x" * (CHUNK_BYTES - 1) + "é\n"]


def test_bytes_windows_1252_leaves_undefined_are_read_as_windows_reads_them() -> None:
    assert decode_text(b"\x81\x8d\x8f\x90\x9d \xe9\n") == "\x81\x8d\x8f\x90\x9d é\n"


def test_a_file_mixing_utf8_and_windows_1252_is_refused_at_the_line_of_the_bad_byte() -> None:
    raw = "José\nok\n".encode() + b"M\xfcller\n"
    with pytest.raises(EncodingProblem) as caught:
        list(text_lines_from_bytes(raw))
    assert caught.value.line == 3
    assert "not valid UTF-8" in caught.value.message


def test_a_forced_encoding_that_does_not_fit_is_refused() -> None:
    with pytest.raises(EncodingProblem, match="cannot be read as utf-8"):
        list(text_lines_from_bytes(b"ok\n\xff\n", "utf-8"))


def test_a_line_without_end_over_the_limit_is_refused_not_buffered() -> None:
    raw = b"x" * (MAX_LINE_CHARS + CHUNK_BYTES)
    with pytest.raises(EncodingProblem, match="longer than"):
        list(text_lines(io.BytesIO(raw)))


def test_the_last_line_without_an_end_is_still_a_line() -> None:
    assert list(text_lines_from_bytes(b"a\nb")) == ["a\n", "b"]
