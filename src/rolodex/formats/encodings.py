"""Bytes to text for contact files: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252.

People bring files from Outlook (Windows-1252, CRLF), Excel "Unicode text" (UTF-16 with
a BOM), Google (UTF-8) and old phones, and never know which. A BOM decides; without one
the text is read as UTF-8 until a byte proves it is not, and a file that was all ASCII up
to that byte is then read as Windows-1252 from the start (the two agree on ASCII, so
nothing already read changes). A file that had valid non-ASCII UTF-8 before a byte that
is not is mixed and refused: guessing there would corrupt names silently.

Reading is incremental (files may be hundreds of megabytes): `text_lines` yields one
line at a time, each with its own ending (`\\r\\n` or `\\n`), which is what the `csv`
module wants, and never holds more than a chunk and one line. A line longer than
`MAX_LINE_CHARS` is refused rather than buffered (a file with no line breaks is a bomb,
not a contact list). docs/import-export.md, "Encodings".
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import Protocol

# Documented in docs/import-export.md ("Encodings").
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 64 * 1024
MAX_LINE_CHARS = 1024 * 1024

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
CP1252 = "cp1252"

_C1_HANDLER = "rolodex-cp1252-c1"


def _c1_as_latin1(exc: UnicodeError) -> tuple[str, int]:
    # Windows maps the five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    # to the C1 controls of the same number; Python's codec refuses them. Do as Windows.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return chr(exc.object[exc.start]), exc.start + 1


codecs.register_error(_C1_HANDLER, _c1_as_latin1)


class ByteSource(Protocol):
    """What `text_lines` reads from: any binary file (`open(path, "rb")`, a request body)."""

    def read(self, size: int, /) -> bytes: ...


class EncodingProblem(ValueError):
    """The bytes cannot be read as text: `line` (1-based) says where."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of `head` names, or None."""
    if head.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    return None


def sniff_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes (a few KB; `SNIFF_BYTES` is plenty).

    A BOM decides; otherwise UTF-8 when the bytes are valid UTF-8 (a sequence cut off at
    the end of `head` is not held against it), else Windows-1252.
    """
    by_bom = bom_encoding(head)
    if by_bom:
        return by_bom
    decoder = codecs.getincrementaldecoder(UTF8)()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return CP1252
    return UTF8


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """All of `data` as text (small inputs: an HTTP body, a test), without a BOM."""
    return "".join(text_lines_from_bytes(data, encoding))


def text_lines_from_bytes(
    data: bytes, encoding: str | None = None, *, max_line_chars: int = MAX_LINE_CHARS
) -> Iterator[str]:
    """`text_lines` over bytes already in memory."""
    return text_lines(io.BytesIO(data), encoding, max_line_chars=max_line_chars)


def text_lines(
    stream: ByteSource, encoding: str | None = None, *, max_line_chars: int = MAX_LINE_CHARS
) -> Iterator[str]:
    """The lines of a binary file as text, each with its line ending, without any BOM.

    `encoding` forces one (any Python codec name); None detects it as the module says.
    Raises `EncodingProblem` for a mixed or undecodable file and for a line over
    `max_line_chars` (JSON lines with photos pass `jsonl.MAX_LINE_CHARS`).
    """
    first = stream.read(CHUNK_BYTES)
    chosen = encoding or bom_encoding(first)
    # Without a BOM: UTF-8 until a byte proves otherwise (the module's docstring).
    switching = chosen is None
    decoder = _decoder(chosen or UTF8)
    all_ascii = True
    pending = ""
    line_no = 1
    chunk = first
    at_start = True
    while True:
        final = not chunk
        buffered = decoder.getstate()[0]
        fatal: EncodingProblem | None = None
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            before = (buffered + chunk)[: exc.start]
            if switching and all_ascii and before.isascii():
                # Nothing but ASCII so far, which Windows-1252 reads the same: switch.
                switching = False
                chosen = CP1252
                decoder = _decoder(CP1252)
                text = decoder.decode(buffered + chunk, final=final)
            else:
                fatal = EncodingProblem(
                    line_no + before.count(b"\n"),
                    "the bytes are not valid UTF-8, and earlier lines were"
                    if switching
                    else f"the bytes cannot be read as {chosen}",
                )
                # The lines before the bad byte are good: hand them over first.
                text = _valid_prefix(before, chosen or UTF8)
        if at_start and text:
            text = text.removeprefix("\ufeff")
            at_start = False
        if switching and all_ascii and not text.isascii():
            all_ascii = False
        lines, pending = _complete_lines(pending + text)
        yield from lines
        line_no += len(lines)
        if fatal:
            raise fatal
        if len(pending) > max_line_chars:
            raise EncodingProblem(
                line_no, f"a line longer than {max_line_chars:,} characters; not a contact file"
            )
        if final:
            break
        chunk = stream.read(CHUNK_BYTES)
    if pending:
        yield pending


def _complete_lines(text: str) -> tuple[list[str], str]:
    """The lines `text` completes, each with its `\\n`, and the start of the next one."""
    lines = []
    start = 0
    while (end := text.find("\n", start)) >= 0:
        lines.append(text[start : end + 1])
        start = end + 1
    return lines, text[start:]


def _valid_prefix(data: bytes, encoding: str) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeDecodeError:
        return ""


def _decoder(encoding: str) -> codecs.IncrementalDecoder:
    if codecs.lookup(encoding).name == CP1252:
        return codecs.getincrementaldecoder(CP1252)(_C1_HANDLER)
    return codecs.getincrementaldecoder(encoding)()
