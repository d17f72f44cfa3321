"""Exporting an owner's contacts as a file, page by page: memory holds one page.

Each contact becomes a `Card`: its data, its tags by name, its `UID` (kept from the
file it came from, or derived from its id: uids.py) and its kept extras, and, unless
photos are left out, its primary photo's bytes when that photo was uploaded (the
stored photos' URLs are not written: the file carries the image itself). The format's
writer (`rolodex.formats`) turns the cards into text; the chunks are bytes, one page at
a time, for a file, standard output or an HTTP response.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rolodex.contacts.cards import CardRepository, CardRow, max_list_lengths
from rolodex.contacts.model import Contact
from rolodex.contacts.service import ContactService
from rolodex.errors import DomainError, InvalidInput
from rolodex.formats import vcard
from rolodex.formats.card import Card, Photo
from rolodex.formats.google_csv import COUNTED_FIELDS, write_google_csv
from rolodex.formats.jsonl import write_jsonl
from rolodex.formats.outlook_csv import write_outlook_csv_bytes
from rolodex.photos.service import PHOTO_TYPE, PhotoService
from rolodex.photos.urls import photo_id_from_url
from rolodex.store import Store
from rolodex.transfer.tag_names import tag_names
from rolodex.transfer.uids import derived_uid

PAGE_SIZE = 500


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
        cards = self.cards(owner_id, photos=photos, progress=progress)
        if fmt.name in ("vcard", "vcard3"):
            version = "4.0" if fmt.name == "vcard" else "3.0"
            return (vcard.write_card(c, version, photos=photos).encode() for c in cards)
        if fmt.name == "google-csv":
            with self.store.read() as conn:
                counts = max_list_lengths(conn, owner_id, list(COUNTED_FIELDS.values()))
            max_counts = {kind: counts[field] for kind, field in COUNTED_FIELDS.items()}
            return (text.encode() for text in write_google_csv(cards, max_counts))
        if fmt.name == "outlook-csv":
            return write_outlook_csv_bytes(cards)
        return (line.encode() for line in write_jsonl(cards))

    def cards(
        self, owner_id: str, *, photos: bool, progress: Callable[[int], None] | None = None
    ) -> Iterator[Card]:
        """Every live contact of the owner as a `Card`, in a fixed order, a page at a time."""
        cursor: str | None = None
        while True:
            page = self.contacts.scroll(owner_id, size=PAGE_SIZE, cursor=cursor)
            yield from self._page_cards(owner_id, page.contacts, photos=photos)
            if progress is not None:
                progress(len(page.contacts))
            if page.cursor is None:
                return
            cursor = page.cursor

    def _page_cards(self, owner_id: str, found: list[Contact], *, photos: bool) -> Iterable[Card]:
        with self.store.read() as conn:
            names = tag_names(conn, owner_id, sorted({t for c in found for t in c.tag_ids}))
            rows = CardRepository.by_pks(conn, [c.pk for c in found])
        return [self.card_of(c, _tag_list(c, names), rows.get(c.pk), photos) for c in found]

    def card_of(self, contact: Contact, tags: list[str], row: CardRow | None, photos: bool) -> Card:
        data: dict[str, Any] = dict(contact.data)
        entries = [p for p in data.pop("photos", None) or [] if isinstance(p, dict)]
        kept = [p for p in entries if p.get("type") != PHOTO_TYPE] if photos else []
        if kept:
            data["photos"] = kept
        embedded: list[Photo] = []
        if photos and entries and entries[0].get("type") == PHOTO_TYPE:
            embedded = self._photo(str(entries[0].get("value", "")))
        return Card(
            contact_data=data,
            tags=tags,
            uid=row.uid if row is not None else derived_uid(contact.contact_id),
            photos=embedded,
            extras=row.extras if row is not None else {},
        )

    def _photo(self, url: str) -> list[Photo]:
        photo_id = photo_id_from_url(url)
        if photo_id is None:
            return []
        try:
            found = self.photos.read(photo_id)
        except DomainError:
            return []
        return [Photo(found.data, found.content_type)]


def _tag_list(contact: Contact, names: dict[str, str]) -> list[str]:
    """The contact's tag names in name order (a contact's tags have no order of their own)."""
    return sorted((names[t] for t in contact.tag_ids if t in names), key=str.casefold)
