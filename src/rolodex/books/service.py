"""`BookService`: the books an account reaches and the cards in them, read.

CardDAV's listings (PROPFIND Depth 1, sync-collection, addressbook-multiget) are
listing.py's: a page of names and etags per statement, a book of a million cards in flat
memory. `pages` walks the contacts themselves (addressbook-query's filters read them).
A book's state is the last point of its owner's change log that is of this book (its
contacts' changes; a tag's change is every book's): the CTag and the sync token
(RFC 6578), so it never expires and needs no table of its own. Writes are writes.py's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Connection

from rolodex.books.listing import BookListing, version_of
from rolodex.books.model import (
    DEFAULT_BOOK,
    Access,
    AddressBook,
    BookChanges,
    CardEntry,
    Member,
    UnknownBookState,
)
from rolodex.books.names import candidates, name_of
from rolodex.books.repository import BookRepository, BookRow
from rolodex.contacts.cards import CardRepository, CardRow, stored_bytes
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.errors import NotFound
from rolodex.formats.vcard.fast import FastWriter
from rolodex.store import Store
from rolodex.teams.model import ADMIN, OWNER
from rolodex.teams.service import TeamService
from rolodex.transfer.exporter import ContactExporter
from rolodex.transfer.tag_names import tag_names

# Contacts per page of `pages` (whole contacts, for addressbook-query's filters).
PAGE_SIZE = 500
# The display name of an account's own default book until a client renames it.
OWN_TITLE = "Contacts"
__all__ = ["BookService", "UnknownBookState"]


class BookService:
    def __init__(
        self,
        store: Store,
        contacts: ContactService,
        teams: TeamService,
        exporter: ContactExporter,
    ) -> None:
        self.store = store
        self.contacts = contacts
        self.teams = teams
        self.exporter = exporter
        self.listing = BookListing(store)

    # -- books -------------------------------------------------------------------------

    def books_for(self, account_id: str, access: Access) -> list[AddressBook]:
        """The account's own books, then each team's (the credential may read them).

        Every member may change a team's cards; its owners and admins manage its books.
        """
        homes: list[tuple[str, str, bool, bool, bool]] = []
        if access.own_read:
            homes.append((account_id, OWN_TITLE, access.own_write, False, access.own_write))
        if access.team_read:
            for team in self.teams.teams_of(account_id):
                role = next((m.role for m in team.members if m.account_id == account_id), None)
                manager = access.team_write and role in (OWNER, ADMIN)
                homes.append((team.team_id, team.name, access.team_write, True, manager))
        with self.store.read() as conn:
            rows = BookRepository.rows_of(conn, [h[0] for h in homes])
        return [book for home in homes for book in _home_books(*home, rows)]

    def book(self, account_id: str, owner_id: str, name: str, access: Access) -> AddressBook:
        """The book `name` of `owner_id` as the account sees it; NotFound when it may not.

        A book of the account's own is found with one read of its books, without the
        teams (every CardDAV request names its book: a PUT's share of time).
        """
        if owner_id == account_id:
            found: list[AddressBook] = []
            if access.own_read:
                rows = BookRepository.rows_of_owner(self.store.quick, account_id)
                home = (account_id, OWN_TITLE, access.own_write, False, access.own_write)
                found = _home_books(*home, rows)
        else:
            found = self.books_for(account_id, access)
        for book in found:
            if book.owner_id == owner_id and book.name == name:
                return book
        raise NotFound("no such address book", field="book")

    def state(self, book: AddressBook) -> int:
        """The book's point in its owner's change log (CTag and sync token)."""
        return self.listing.state(book)

    def usage(self, book: AddressBook) -> tuple[int, int]:
        """(live cards, their stored bytes), for the quota properties (RFC 4331)."""
        live = self.contacts.count_live(book.owner_id)
        with self.store.read() as conn:
            return live, stored_bytes(conn, book.owner_id, live)

    # -- cards -------------------------------------------------------------------------

    def pages(self, book: AddressBook) -> Iterator[list[Member]]:
        """Every live card of the book, a page at a time, in a fixed order."""
        if not book.is_default:
            yield from self._member_pages(book)
            return
        cursor: str | None = None
        while True:
            page = self.contacts.scroll(book.owner_id, size=PAGE_SIZE, cursor=cursor)
            yield self.in_book(book, page.contacts)
            if page.cursor is None:
                return
            cursor = page.cursor

    def _member_pages(self, book: AddressBook) -> Iterator[list[Member]]:
        after = 0
        while True:
            with self.store.read() as conn:
                pks = BookRepository.member_page(
                    conn, book.owner_id, book.name, after_pk=after, limit=PAGE_SIZE
                )
                found = ContactRepository.by_pks(conn, book.owner_id, pks)
            if not pks:
                return
            yield self.named(found)
            after = pks[-1]

    def in_book(self, book: AddressBook, found: Sequence[Contact]) -> list[Member]:
        """Those of these contacts that are in the book, with their cards' names."""
        with self.store.read() as conn:
            books = BookRepository.books_of(conn, [c.pk for c in found])
        return self.named([c for c in found if books[c.pk] == book.name])

    def named(self, found: Sequence[Contact]) -> list[Member]:
        """These contacts with their cards' names (one read for the page)."""
        with self.store.read() as conn:
            rows = CardRepository.names_by_pks(conn, [c.pk for c in found])
        return [Member(name_of(c.contact_id, rows.get(c.pk)), c) for c in found]

    def member(self, book: AddressBook, name: str) -> Member | None:
        """The live card of that name, or None."""
        with self.store.read() as conn:
            return live_at(conn, book, name)

    def listed(self, book: AddressBook) -> Iterator[list[CardEntry]]:
        """Every live card of the book as names and etags, a page at a time (listing.py)."""
        return self.listing.pages(book)

    def entries(self, book: AddressBook, names: Sequence[str]) -> dict[str, CardEntry]:
        """name -> live card, for the names that have one (addressbook-multiget)."""
        return self.listing.named(book, names)

    def texts(
        self, book: AddressBook, entries: Sequence[CardEntry], version: str
    ) -> dict[str, str]:
        """name -> the vCard text of each listed card (3.0 or 4.0), as `card_texts`."""
        return self.listing.texts(
            book, entries, version, lambda pks, v: self._slow_texts(book, pks, v)
        )

    def _slow_texts(self, book: AddressBook, pks: list[int], version: str) -> dict[int, str]:
        with self.store.read() as conn:
            found = ContactRepository.by_pks(conn, book.owner_id, pks)
        members = [Member(str(c.pk), c) for c in found]
        return {int(k): v for k, v in self.card_texts(book, members, version).items()}

    def card_texts(
        self, book: AddressBook, members: Sequence[Member], version: str
    ) -> dict[str, str]:
        """name -> the vCard text of each card (3.0 or 4.0), through the one mapping.

        A card no write has changed since a client PUT it is that client's own text, when
        it is of the version asked.
        """
        found = [m.contact for m in members]
        with self.store.read() as conn:
            names = tag_names(conn, book.owner_id, sorted({t for c in found for t in c.tag_ids}))
            rows = CardRepository.by_pks(conn, [c.pk for c in found])
            raws = CardRepository.raw_of(conn, [c.pk for c in found])
        texts: dict[str, str] = {}
        writer = FastWriter(version)
        for member in members:
            contact = member.contact
            raw = raws.get(contact.pk)
            if raw is not None and raw[1] == contact.etag and version_of(raw[0]) == version:
                # Unchanged since a client sent it: what it sent (clients compare).
                texts[member.name] = raw[0]
                continue
            tags = sorted((names[t] for t in contact.tag_ids if t in names), key=str.casefold)
            card = self.exporter.card_of_contact(contact, tags, rows.get(contact.pk), True)
            texts[member.name] = writer.write(card)
        return texts

    # -- history -----------------------------------------------------------------------

    def changes_since(self, book: AddressBook, seq: int) -> BookChanges:
        """The book's cards changed after `seq`, and those gone (listing.py)."""
        return self.listing.changes_since(book, seq)


def _home_books(
    owner_id: str,
    title: str,
    writable: bool,
    is_team: bool,
    manager: bool,
    rows: Sequence[BookRow],
) -> list[AddressBook]:
    """One owner's books: the default one (named `title` until a client renames it),
    then those made, from the stored rows (of any owners)."""
    mine = {row.name: row for row in rows if row.owner_id == owner_id}
    default = mine.pop(DEFAULT_BOOK, None)
    books = [
        AddressBook(
            owner_id,
            DEFAULT_BOOK,
            default.display_name if default else title,
            writable,
            is_team,
            manager,
            default.description if default else "",
        )
    ]
    books += [
        AddressBook(owner_id, r.name, r.display_name, writable, is_team, manager, r.description)
        for r in mine.values()
    ]
    return books


def live_at(
    conn: Connection, book: AddressBook, name: str, *, for_update: bool = False
) -> Member | None:
    """The live contact of the book whose card is named `name`, or None."""
    owner_id = book.owner_id
    pks, ids = candidates(conn, owner_id, book.name, name)
    found = ContactRepository.by_pks(conn, owner_id, pks)
    found += ContactRepository.by_ids(conn, owner_id, ids).values()
    rows: dict[int, CardRow] = CardRepository.by_pks(conn, [c.pk for c in found])
    books = BookRepository.books_of(conn, [c.pk for c in found])
    for contact in found:
        if name_of(contact.contact_id, rows.get(contact.pk)) != name:
            continue
        if books[contact.pk] != book.name:
            return None
        if for_update:
            locked = ContactRepository.by_ids(conn, owner_id, [contact.contact_id], for_update=True)
            contact = locked[contact.contact_id]
        return Member(name, contact)
    return None
