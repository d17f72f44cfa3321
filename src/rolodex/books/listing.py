"""A book's listings, its state and its changes, read the short way (quick.py's SQL).

A listing is what PROPFIND Depth 1, sync-collection and addressbook-multiget answer for
every card: a name and an etag (`CardEntry`), and for a REPORT asking `address-data` the
card's text. Texts are the one vCard mapping's (formats/vcard/fast.py writes the same
bytes as `write_card`), or the client's own text while the contact is unchanged since
it PUT it; a card the fast writer does not cover (photos, value details) goes through
`BookService.card_texts`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

import orjson

from rolodex.books.model import DEFAULT_BOOK, AddressBook, BookChanges, CardEntry, UnknownBookState
from rolodex.books.names import SUFFIX, name_from
from rolodex.books.quick import ChangeRow, QuickBookReads, QuickCardReads, TextRow
from rolodex.contacts.service import ENTITY
from rolodex.formats.vcard.fast import FastWriter
from rolodex.store import Store
from rolodex.store.changelog import DELETED, last_of_each
from rolodex.transfer.tag_names import tag_names
from rolodex.transfer.uids import URN, contact_id_of, derived_uid

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch
# Cards per page of a listing (a page is a few hundred bytes per card).
LISTING_PAGE = 1000
MAX_SYNC_CHANGES = 5000

# The slow road for the cards the fast writer does not cover: (pks, version) -> texts by pk.
SlowTexts = Callable[[list[int], str], dict[int, str]]


def _entry(
    pk: int, contact_id: str, etag: str, updated: int, uid: str | None, name: str | None
) -> CardEntry:
    return CardEntry(name_from(contact_id, uid, name), pk, contact_id, etag, updated)


class BookListing:
    def __init__(self, store: Store) -> None:
        self.store = store

    def pages(self, book: AddressBook) -> Iterator[list[CardEntry]]:
        """Every live card of the book, a page at a time, in key order."""
        after = 0
        while True:
            rows = QuickBookReads.page(
                self.store.quick, book.owner_id, book.name, after, LISTING_PAGE
            )
            if rows:
                yield [_entry(*row) for row in rows]
                after = rows[-1][0]
            if len(rows) < LISTING_PAGE:
                return

    def state(self, book: AddressBook) -> int:
        """The book's point in its owner's log: its last change (CTag and sync token)."""
        return QuickBookReads.state(self.store.quick, book.owner_id, book.name)

    def changes_since(self, book: AddressBook, seq: int) -> BookChanges:
        """The book's cards changed after `seq` (the last change of each), and those gone.

        A card made and deleted since `seq` is left out: the client never saw it. A
        `seq` past the owner's last point is UnknownBookState. Changes of the owner's
        other books are not read: the point reached is the book's own.
        """
        with self.store.quick.snapshot() as reader:
            if seq > QuickBookReads.last_seq(reader, book.owner_id):
                raise UnknownBookState("unknown sync token", field="sync-token")
            rows = [
                ChangeRow(*row)
                for row in QuickBookReads.since(
                    reader, book.owner_id, book.name, seq, MAX_SYNC_CHANGES + 1
                )
            ]
        truncated = len(rows) > MAX_SYNC_CHANGES
        rows = rows[:MAX_SYNC_CHANGES]
        reached = rows[-1].seq if rows else seq
        created, last = last_of_each(rows, ENTITY)
        changed: list[CardEntry] = []
        removed: list[str] = []
        for contact_id, row in last.items():
            if row.pk is None or row.etag is None or row.updated_at is None:
                continue  # gone for good (purged): nothing to name it by
            entry = _entry(row.pk, contact_id, row.etag, row.updated_at, row.uid, row.resource_name)
            if row.action != DELETED and row.deleted_at is None:
                changed.append(entry)
            elif row.action == DELETED and contact_id not in created and row.deleted_at is not None:
                removed.append(entry.name)
        live = {e.name for e in changed}
        return BookChanges(changed, [n for n in removed if n not in live], reached, truncated)

    def named(self, book: AddressBook, names: Sequence[str]) -> dict[str, CardEntry]:
        """name -> live card of the book, for the names that have one (one statement)."""
        wanted = list(dict.fromkeys(names))
        bases = [n[: -len(SUFFIX)] for n in wanted if n.endswith(SUFFIX)]
        uids = [*bases, *(URN + b for b in bases)]
        # A derived name is the UUID as `derived_uid` writes it; nothing else can be one.
        ids = [i for b in bases if _UUID(b) and (i := contact_id_of(URN + b)) is not None]
        rows = QuickCardReads.named(self.store.quick, book.owner_id, book.name, wanted, uids, ids)
        keep = set(wanted)
        found: dict[str, CardEntry] = {}
        for *card, in_book in rows:
            entry = _entry(*card)
            if entry.name in keep and (in_book or DEFAULT_BOOK) == book.name:
                found[entry.name] = entry
        return found

    def texts(
        self, book: AddressBook, entries: Sequence[CardEntry], version: str, slow: SlowTexts
    ) -> dict[str, str]:
        """name -> the vCard text (3.0 or 4.0) of each card: the client's own text while
        its contact is unchanged since it sent it, else the one mapping's."""
        pks = [e.pk for e in entries]
        with self.store.quick.snapshot() as reader:
            rows = [TextRow(*row) for row in QuickCardReads.texts(reader, book.owner_id, pks)]
        tag_ids = sorted({t for row in rows for t in orjson.loads(row.tag_ids)})
        names: dict[str, str] = {}
        if tag_ids:
            with self.store.read() as conn:
                names = tag_names(conn, book.owner_id, tag_ids)
        writer = FastWriter(version)
        by_pk: dict[int, str] = {}
        slow_pks: list[int] = []
        for row in rows:
            if row.raw is not None and row.raw_etag == row.etag and version_of(row.raw) == version:
                by_pk[row.pk] = row.raw
                continue
            tags = sorted(
                (names[t] for t in orjson.loads(row.tag_ids) if t in names), key=str.casefold
            )
            extras = orjson.loads(row.extras) if row.extras else {}
            uid = row.uid if row.uid is not None else derived_uid(row.contact_id)
            text = writer.text(
                orjson.loads(row.data), uid, tags, extras if isinstance(extras, dict) else {}
            )
            if text is None:
                slow_pks.append(row.pk)
            else:
                by_pk[row.pk] = text
        if slow_pks:
            by_pk.update(slow(slow_pks, version))
        return {e.name: by_pk[e.pk] for e in entries if e.pk in by_pk}


def version_of(text: str) -> str:
    """The VERSION of a vCard's text (3.0 when it names none)."""
    start = text.find("VERSION:")
    if start < 0:
        return "3.0"
    end = text.find("\n", start)
    return text[start + len("VERSION:") : end if end >= 0 else None].strip()
