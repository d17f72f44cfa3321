"""Exporting an owner's contacts as a file, page by page: memory holds one page.

Each contact is written with its data, its tags by name, its `UID` (kept from the file
it came from, or derived from its id: uids.py) and its kept extras, and, unless photos
are left out, its primary photo's bytes when that photo was uploaded (the stored
photos' URLs are not written: the file carries the image itself). The chunks are
bytes, one page at a time, for a file, standard output or an HTTP response.

An export of a million contacts must run at tens of thousands a second
(docs/benchmarks.md, "Import and export"), so no `Contact` or `Card` is made for a
contact without photos: the page is read as plain rows (`ContactRepository.export_page`),
each row becomes an `export_pages.Plain` (the stored texts, its tag names and UID), and
the format's page writer (export_pages.py) writes the page as one chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from rolodex.contacts.cards import CardRow, max_list_lengths
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.errors import DomainError, InvalidInput
from rolodex.formats.card import Card, Photo
from rolodex.formats.google_csv import COUNTED_FIELDS
from rolodex.photos.service import PHOTO_TYPE, PhotoService
from rolodex.photos.urls import photo_id_from_url
from rolodex.store import Store
from rolodex.transfer.export_pages import (
    Entry,
    GooglePages,
    JsonlPages,
    OutlookPages,
    PageWriter,
    Plain,
    VcardPages,
    extras_of,
)
from rolodex.transfer.tag_names import tag_names
from rolodex.transfer.uids import derived_uid

# Contacts a page holds, and the most stored text it reads (a few big contacts make
# a short page): a page is one statement and one chunk of the file.
PAGE_SIZE = 2000
PAGE_BYTES = 8 * 1024 * 1024
# A contact's stored data names its photos so: only those contacts need the photo store.
_PHOTOS_KEY = '"photos":'


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str


EXPORT_FORMATS = {
    f.name: f
    for f in (
        ExportFormat("vcard", "text/vcard; charset=utf-8", "vcf"),
        ExportFormat("vcard3", "text/vcard; charset=utf-8", "vcf"),
        ExportFormat("google-csv", "text/csv; charset=utf-8", "csv"),
        ExportFormat("outlook-csv", "text/csv; charset=windows-1252", "csv"),
        ExportFormat("jsonl", "application/x-ndjson", "jsonl"),
    )
}


def export_format(name: str, *, field: str = "format") -> ExportFormat:
    """The format of this name, or a 400 naming the ones there are."""
    found = EXPORT_FORMATS.get(name)
    if found is None:
        raise InvalidInput(
            f"unknown format {name!r}: one of {', '.join(EXPORT_FORMATS)}", field=field
        )
    return found


class ContactExporter:
    def __init__(self, store: Store, contacts: ContactService, photos: PhotoService) -> None:
        self.store = store
        self.contacts = contacts
        self.photos = photos

    def count(self, owner_id: str) -> int:
        """How many contacts an export of this owner writes (for a progress bar)."""
        return self.contacts.count_live(owner_id)

    def chunks(
        self,
        owner_id: str,
        fmt: ExportFormat,
        *,
        photos: bool = True,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[bytes]:
        """The file, in chunks of bytes; `progress` is told the contacts of each page."""
        writer = self.writer(owner_id, fmt, photos=photos)
        return self._chunks(owner_id, writer, photos, progress)

    def writer(self, owner_id: str, fmt: ExportFormat, *, photos: bool) -> PageWriter:
        """The format's page writer (for Google CSV, its header needs one count first)."""
        if fmt.name in ("vcard", "vcard3"):
            return VcardPages("4.0" if fmt.name == "vcard" else "3.0", photos=photos)
        if fmt.name == "google-csv":
            with self.store.read() as conn:
                counts = max_list_lengths(conn, owner_id, list(COUNTED_FIELDS.values()))
            return GooglePages({kind: counts[field] for kind, field in COUNTED_FIELDS.items()})
        if fmt.name == "outlook-csv":
            return OutlookPages()
        return JsonlPages()

    def _chunks(
        self,
        owner_id: str,
        writer: PageWriter,
        photos: bool,
        progress: Callable[[int], None] | None,
    ) -> Iterator[bytes]:
        head = writer.head()
        if head:
            yield head
        for entries in self.pages(owner_id, photos=photos):
            yield writer.page(entries)
            if progress is not None:
                progress(len(entries))
        tail = writer.tail()
        if tail:
            yield tail

    def pages(self, owner_id: str, *, photos: bool) -> Iterator[list[Entry]]:
        """Every live contact of the owner, in a fixed order (its key), a page at a time."""
        names: dict[str, str] = {}
        after = 0
        while True:
            rows = ContactRepository.export_page(
                self.store.quick, owner_id, after_pk=after, limit=PAGE_SIZE, max_bytes=PAGE_BYTES
            )
            if not rows:
                return
            after = rows[-1][0]
            tags = self._tags(owner_id, [row[3] for row in rows], names)
            yield [
                self._entry(row, tag_list, photos) for row, tag_list in zip(rows, tags, strict=True)
            ]

    def _tags(self, owner_id: str, texts: list[str], names: dict[str, str]) -> list[list[str]]:
        """Each row's tag names in name order (a contact's tags have no order of their own);
        `names` keeps the names looked up so far, and the page looks up only new ids."""
        ids = [[] if text == "[]" else orjson.loads(text) for text in texts]
        missing = sorted({t for found in ids for t in found if t not in names})
        if missing:
            with self.store.read() as conn:
                names.update(tag_names(conn, owner_id, missing))
            # A tag deleted meanwhile has no name: remember that too, as no name.
            names.update((t, "") for t in missing if t not in names)
        return [
            sorted((names[t] for t in found if names[t]), key=str.casefold) if found else []
            for found in ids
        ]

    def _entry(self, row: tuple[Any, ...], tags: list[str], photos: bool) -> Entry:
        _, contact_id, data, _, uid, extras = row
        if uid is None:
            uid = derived_uid(contact_id)
        if _PHOTOS_KEY in data:
            return self.card_of(orjson.loads(data), tags, uid, extras_of(extras), photos)
        return Plain(data, tags, uid, extras)

    def card_of(
        self, data: dict[str, Any], tags: list[str], uid: str, extras: dict[str, Any], photos: bool
    ) -> Card:
        """A contact with photos: the uploaded ones are not written as URLs, and the
        primary one (the first, when it was uploaded) is embedded unless `photos` is off."""
        entries = [p for p in data.pop("photos", None) or [] if isinstance(p, dict)]
        kept = [p for p in entries if p.get("type") != PHOTO_TYPE] if photos else []
        if kept:
            data["photos"] = kept
        embedded: list[Photo] = []
        if photos and entries and entries[0].get("type") == PHOTO_TYPE:
            embedded = self._photo(str(entries[0].get("value", "")))
        return Card(contact_data=data, tags=tags, uid=uid, photos=embedded, extras=extras)

    def card_of_contact(
        self, contact: Contact, tags: list[str], row: CardRow | None, photos: bool
    ) -> Card:
        """`card_of` for one stored contact (CardDAV's card reads): its UID and extras are
        the card row's when it was imported, else the UID derived from its id."""
        uid = row.uid if row is not None else derived_uid(contact.contact_id)
        extras = row.extras if row is not None else {}
        return self.card_of(dict(contact.data), tags, uid, extras, photos)

    def _photo(self, url: str) -> list[Photo]:
        photo_id = photo_id_from_url(url)
        if photo_id is None:
            return []
        try:
            found = self.photos.read(photo_id)
        except DomainError:
            return []
        return [Photo(found.data, found.content_type)]
