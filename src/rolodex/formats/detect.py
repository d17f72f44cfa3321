"""What a contact file is, from its first bytes: `--format auto` and the upload's preview.

The first non-blank line decides: `BEGIN:VCARD` is vCard, `{` is JSON lines, and
anything else is read as a CSV header and scored against the columns only Google's
export has (`E-mail 1 - Value`, `Labels`, `Given Name`...) and those only Outlook's has
(`E-mail Address`, `Job Title`, `Business Phone`...); the higher score wins. A file that
fits none, or fits both equally, is `UnknownFormat` with a sentence saying what was seen:
guessing wrong would import garbage quietly. A format named by the person (`--format`)
is taken as it is. docs/import-export.md, "Formats and detection".
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rolodex.formats import outlook_columns
from rolodex.formats.encodings import (
    MAX_LINE_CHARS,
    SNIFF_BYTES,
    UTF8,
    ByteSource,
    sniff_encoding,
    text_lines,
)
from rolodex.formats.google_csv import FIXED_COLUMNS
from rolodex.formats.google_groups import REPEATED_COLUMN
from rolodex.formats.jsonl import MAX_LINE_CHARS as JSONL_MAX_LINE_CHARS

JSONL = "jsonl"
VCARD = "vcard"
GOOGLE_CSV = "google-csv"
OUTLOOK_CSV = "outlook-csv"
AUTO = "auto"
FORMATS = (JSONL, VCARD, GOOGLE_CSV, OUTLOOK_CSV)
FORMAT_NAMES = (AUTO, *FORMATS)
"""What `--format` and `?format=` accept for reading."""

# Columns both CSV exports have (Google's older form shares Outlook's odd ones), which
# say nothing about which one a file is.
_SHARED = {
    "First Name",
    "Middle Name",
    "Last Name",
    "Birthday",
    "Notes",
    "Nickname",
    "Initials",
    "Gender",
    "Location",
    "Billing Information",
    "Directory Server",
    "Mileage",
    "Hobby",
    "Sensitivity",
    "Priority",
    "Language",
}
_GOOGLE_ONLY = (
    set(FIXED_COLUMNS)
    | {
        "Name",
        "Given Name",
        "Additional Name",
        "Family Name",
        "Group Membership",
        "Yomi Name",
        "Given Name Yomi",
        "Family Name Yomi",
        "Short Name",
        "Maiden Name",
    }
) - _SHARED
_OUTLOOK_ONLY = (
    set(outlook_columns.HEADER)
    | {"Home Country", "Business Country", "Other Country", "Personal Web Page", "IMAddress"}
) - _SHARED


class UnknownFormat(ValueError):
    """The file is none of the formats Rolodex reads, or a named format does not exist."""


@dataclass(frozen=True, slots=True)
class Sniffed:
    """A file's format and the encoding its bytes are read with."""

    format: str
    encoding: str


def sniff(head: bytes, requested: str = AUTO) -> Sniffed:
    """The format and encoding of a file from its first bytes (`SNIFF_BYTES` of them)."""
    encoding = sniff_encoding(head[:SNIFF_BYTES])
    # The head may end inside a character: an incremental decoder leaves that one out.
    text = codecs.getincrementaldecoder(encoding)("replace").decode(head[:SNIFF_BYTES])
    return Sniffed(choose_format(requested, text), encoding)


def open_text(stream: ByteSource, requested: str = AUTO) -> tuple[Sniffed, Iterator[str]]:
    """A binary file's format and encoding, and its text lines from the first.

    Reads `SNIFF_BYTES` to decide, then hands over every line (those bytes included),
    with the line limit of the format (JSON lines carry photos). Raises `UnknownFormat`.
    """
    head = stream.read(SNIFF_BYTES)
    sniffed = sniff(head, requested)
    limit = JSONL_MAX_LINE_CHARS if sniffed.format == JSONL else MAX_LINE_CHARS
    # Plain UTF-8 so far is left to `text_lines`, which may still find Windows-1252 later.
    encoding = None if sniffed.encoding == UTF8 else sniffed.encoding
    return sniffed, text_lines(_Prefixed(head, stream), encoding, max_line_chars=limit)


class _Prefixed:
    """`head` (already read) and then the rest of `stream`, as one binary file."""

    def __init__(self, head: bytes, stream: ByteSource) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int, /) -> bytes:
        if self._head:
            out, self._head = self._head, b""
            return out
        return self._stream.read(size)


def choose_format(requested: str, head: str) -> str:
    """`requested` when it names a format; with `auto`, what `detect_format` finds."""
    if requested == AUTO:
        return detect_format(head)
    if requested not in FORMATS:
        names = ", ".join(FORMAT_NAMES)
        raise UnknownFormat(f"unknown format {requested!r}: one of {names}")
    return requested


def detect_format(head: str) -> str:
    """The format of a file from its first text (a few KB, decoded)."""
    first = next(
        (line.strip() for line in head.removeprefix("\ufeff").splitlines() if line.strip()), ""
    )
    if not first:
        raise UnknownFormat("the file is empty")
    if first.upper().startswith("BEGIN:VCARD"):
        return VCARD
    if first.startswith("{"):
        return JSONL
    columns = header_columns(head.removeprefix("\ufeff").splitlines(keepends=True))
    chosen = csv_format(columns)
    if chosen:
        return chosen
    shown = first if len(first) <= 80 else first[:77] + "..."
    raise UnknownFormat(
        "cannot tell what this file is: not vCard (no BEGIN:VCARD), not JSON lines (no {), "
        f"and its first line ({shown!r}) is not a Google or Outlook CSV header; "
        "name the format if it is one of " + ", ".join(FORMATS)
    )


def header_columns(lines: Iterable[str]) -> list[str]:
    """The column names of a CSV's first non-blank record."""
    for record in csv.reader(line for line in lines if line.strip()):
        return [column.strip() for column in record]
    return []


def csv_format(columns: Iterable[str]) -> str | None:
    """`google-csv` or `outlook-csv` for a header, or None when it is neither or both alike."""
    names = set(columns)
    google = len(names & _GOOGLE_ONLY) + sum(1 for n in names if REPEATED_COLUMN.match(n))
    outlook = len(names & _OUTLOOK_ONLY)
    if google == outlook:
        return None
    return GOOGLE_CSV if google > outlook else OUTLOOK_CSV
