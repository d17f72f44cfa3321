"""Detection: every sample is recognised, a named format wins, and a stranger is refused."""

from __future__ import annotations

import io

import pytest

from rolodex.formats.detect import (
    FORMAT_NAMES,
    Sniffed,
    UnknownFormat,
    choose_format,
    csv_format,
    detect_format,
    open_text,
    sniff,
)
from rolodex.formats.encodings import SNIFF_BYTES
from rolodex.formats.google_csv import google_header
from rolodex.formats.outlook_columns import HEADER
from tests.formats.samples import SAMPLES, sample_bytes

EXPECTED = {
    "google-current.csv": ("google-csv", "utf-8"),
    "google-old-utf8-bom.csv": ("google-csv", "utf-8-sig"),
    "outlook-windows1252.csv": ("outlook-csv", "cp1252"),
    "outlook-utf16.csv": ("outlook-csv", "utf-16"),
    "jsonl-contacts.jsonl": ("jsonl", "utf-8"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_sample_is_detected_with_its_encoding(name: str) -> None:
    sniffed = sniff(sample_bytes(name))
    assert (sniffed.format, sniffed.encoding) == EXPECTED[name]


def test_every_sample_of_this_half_is_listed() -> None:
    names = {
        p.name for p in SAMPLES.iterdir() if p.name.startswith(("google-", "outlook-", "jsonl-"))
    }
    assert names == set(EXPECTED)


def test_a_vcard_is_detected_whatever_its_case_and_blank_lines() -> None:
    assert detect_format("\r\n\r\nbegin:vcard\r\nVERSION:3.0\r\n") == "vcard"
    assert sniff("\ufeffBEGIN:VCARD\r\n".encode("utf-16")).format == "vcard"


def test_headers_written_here_are_detected_as_their_own_format() -> None:
    assert csv_format(google_header()) == "google-csv"
    assert csv_format(HEADER) == "outlook-csv"


def test_outlook_on_the_webs_header_is_outlook() -> None:
    header = "First Name,Middle Name,Last Name,Title,Suffix,Nickname,E-mail Address,E-mail 2 Address,Mobile Phone,Business Phone,Job Title,Company,Home Street,Home City,Web Page,Birthday,Notes"
    assert detect_format(header + "\n") == "outlook-csv"


def test_a_header_of_only_shared_columns_is_not_guessed() -> None:
    with pytest.raises(UnknownFormat, match="cannot tell what this file is"):
        detect_format("First Name,Last Name,Notes\nAda,Lovelace,\n")


@pytest.mark.parametrize(
    "head", ["name;phone\nAda;1\n", "<html><body>", "just some words\n", "id,name,price\n1,a,2\n"]
)
def test_a_file_of_no_known_format_says_so(head: str) -> None:
    with pytest.raises(UnknownFormat, match="cannot tell what this file is"):
        detect_format(head)


def test_an_empty_file_says_so() -> None:
    with pytest.raises(UnknownFormat, match="empty"):
        sniff(b"\n\n")


def test_a_named_format_overrides_detection() -> None:
    assert choose_format("outlook-csv", "BEGIN:VCARD\n") == "outlook-csv"
    assert sniff(sample_bytes("google-current.csv"), "jsonl").format == "jsonl"
    assert FORMAT_NAMES == ("auto", "jsonl", "vcard", "google-csv", "outlook-csv")


def test_an_unknown_format_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownFormat, match="one of auto, jsonl, vcard, google-csv, outlook-csv"):
        choose_format("excel", "")


def test_open_text_hands_over_every_line_including_the_sniffed_ones() -> None:
    raw = sample_bytes("outlook-windows1252.csv")
    sniffed, lines = open_text(io.BytesIO(raw))
    assert sniffed == Sniffed("outlook-csv", "cp1252")
    assert "".join(lines) == raw.decode("cp1252")


def test_open_text_still_finds_windows_1252_after_the_sniffed_head() -> None:
    raw = b"First Name,Job Title\n" + b"Ada,x\n" * SNIFF_BYTES + "Müller,y\n".encode("cp1252")
    sniffed, lines = open_text(io.BytesIO(raw))
    assert sniffed.format == "outlook-csv"
    assert list(lines)[-1] == "Müller,y\n"


def test_open_text_gives_json_lines_room_for_a_photo() -> None:
    line = b'{"contactData": {}, "photos": [{"data": "' + b"A" * 2_000_000 + b'"}]}\n'
    sniffed, lines = open_text(io.BytesIO(line))
    assert sniffed.format == "jsonl"
    assert [len(text) for text in lines] == [len(line)]
