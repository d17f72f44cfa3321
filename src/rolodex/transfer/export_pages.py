"""An export's pages of contacts -> the bytes of the file, one writer per format.

The exporter (exporter.py) reads a page of contacts as plain rows and hands each
writer a list of `Entry`s: a contact as the texts it is stored as (`Plain`), or, for a
contact with photos, the `Card` the photo store filled in. A writer turns a page into
one chunk of bytes, with each format's own module doing the writing (formats/), and
writes no more than it is given: memory holds a page. Writers hold no connection and
entries are plain data, so pages could be written in worker processes on a machine with
cores to spare (docs/benchmarks.md, "Import and export (issue 22)", says why not yet).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol

import orjson

from rolodex.formats.card import Card
from rolodex.formats.google_csv import GoogleCsvWriter
from rolodex.formats.jsonl import line_of_card
from rolodex.formats.outlook_csv import OutlookCsvWriter
from rolodex.formats.vcard.fast import FastWriter


class Plain(NamedTuple):
    """A contact without photos, as stored: its data and extras still JSON text."""

    data: str
    tags: list[str]
    uid: str | None
    extras: str | None


Entry = Plain | Card


class PageWriter(Protocol):
    def head(self) -> bytes: ...

    def page(self, entries: Sequence[Entry]) -> bytes: ...

    def tail(self) -> bytes: ...


def extras_of(text: str | None) -> dict[str, Any]:
    if not text or text == "{}":
        return {}
    value = orjson.loads(text)
    return value if isinstance(value, dict) else {}


def card_of(entry: Entry) -> Card:
    """The `Card` of an entry (the one each format's own writer takes)."""
    if isinstance(entry, Card):
        return entry
    return Card(orjson.loads(entry.data), entry.tags, entry.uid, [], extras_of(entry.extras))


class JsonlPages:
    """`formats.jsonl.line_of_card`'s lines, with the stored JSON texts written as they are."""

    def head(self) -> bytes:
        return b""

    def tail(self) -> bytes:
        return b""

    def page(self, entries: Sequence[Entry]) -> bytes:
        out: list[bytes] = []
        append = out.append
        fragment = orjson.Fragment
        for entry in entries:
            if isinstance(entry, Card):
                append(line_of_card(entry).encode())
                continue
            data, tags, uid, extras = entry
            line: dict[str, Any] = {"contactData": fragment(data)}
            if tags:
                line["tags"] = tags
            if uid is not None:
                line["uid"] = uid
            if extras and extras != "{}" and extras.startswith("{"):
                line["extras"] = fragment(extras)
            append(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
        return b"".join(out)


class VcardPages:
    """vCard 4.0 or 3.0: `formats.vcard.fast`, and `write_card` for what it does not cover."""

    def __init__(self, version: str, *, photos: bool) -> None:
        self.writer = FastWriter(version)
        self.photos = photos

    def head(self) -> bytes:
        return b""

    def tail(self) -> bytes:
        return b""

    def page(self, entries: Sequence[Entry]) -> bytes:
        writer = self.writer
        loads = orjson.loads
        out: list[str] = []
        append = out.append
        for entry in entries:
            if isinstance(entry, Plain):
                text = writer.text(
                    loads(entry.data), entry.uid, entry.tags, extras_of(entry.extras)
                )
                if text is not None:
                    append(text)
                    continue
            append(writer.write(card_of(entry), photos=self.photos))
        return "".join(out).encode()


class GooglePages:
    """Google Contacts CSV: its header for the most entries any contact has of each kind."""

    def __init__(self, max_counts: Mapping[str, int]) -> None:
        self.writer = GoogleCsvWriter(max_counts)

    def head(self) -> bytes:
        return self.writer.header_line().encode()

    def tail(self) -> bytes:
        return b""

    def page(self, entries: Sequence[Entry]) -> bytes:
        return self.writer.rows(card_of(e) for e in entries).encode()


class OutlookPages:
    """Outlook CSV in Windows-1252 (what Outlook reads), one encoder for the whole file."""

    def __init__(self) -> None:
        self.writer = OutlookCsvWriter()

    def head(self) -> bytes:
        return self.writer.encode(self.writer.header_line())

    def tail(self) -> bytes:
        return self.writer.end()

    def page(self, entries: Sequence[Entry]) -> bytes:
        return self.writer.encode(self.writer.rows(card_of(e) for e in entries))
