"""`BookService`: the books an account reaches and the cards in them, read.

Listings walk the contacts with the repository's scroll (a page at a time: a book of a
million cards streams in flat memory) and name each card by `names.name_of`. A book's
state is the last point of its owner's change log: it is the CTag and the sync token
(RFC 6578), so it never expires and needs no table of its own. Writes are writes.py's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from rolodex.books.model import DEFAULT_BOOK, Access, AddressBook, Member
from rolodex.books.names import candidates, candidates_of_many, name_of
from rolodex.books.repository import BookRepository
from rolodex.contacts.cards import CardRepository, CardRow, stored_bytes
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ENTITY, ContactService
from rolodex.errors import NotFound
from rolodex.formats import vcard
from rolodex.store import Store
from rolodex.store.changelog import CREATED, DELETED, ChangeLog
from rolodex.teams.model import ADMIN, OWNER
from rolodex.teams.service import TeamService
from rolodex.transfer.exporter import ContactExporter
from rolodex.transfer.tag_names import tag_names

# Contacts per page of a listing, and changes read per sync answer.
PAGE_SIZE = 500
MAX_SYNC_CHANGES = 5000


@dataclass(frozen=True, slots=True)
class BookChanges:
    """What changed in a book after a point of its history, and the point reached.

    `truncated`: more changes remain after `reached` (RFC 6578 §3.6, a 507 for the
    book); the client asks again with the new token.
    """

    changed: list[Member]
    removed: list[str]
    reached: int
    truncated: bool


class UnknownBookState(NotFound):
    """A sync token that is no point of this book's history."""

    code = "unknown_sync_token"


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

    # -- books -------------------------------------------------------------------------

    def books_for(self, account_id: str, access: Access) -> list[AddressBook]:
        """The account's own books, then each team's (the credential may read them).

        Every member may change a team's cards; its owners and admins manage its books.
        """
        homes: list[tuple[str, str, bool, bool, bool]] = []
        if access.own_read:
            homes.append((account_id, "Contacts", access.own_write, False, access.own_write))
        if access.team_read:
            for team in self.teams.teams_of(account_id):
                role = next((m.role for m in team.members if m.account_id == account_id), None)
                manager = access.team_write and role in (OWNER, ADMIN)
                homes.append((team.team_id, team.name, access.team_write, True, manager))
        with self.store.read() as conn:
            rows = BookRepository.rows_of(conn, [h[0] for h in homes])
        books = []
        for owner_id, title, writable, is_team, manager in homes:
            mine = {row.name: row for row in rows if row.owner_id == owner_id}
            default = mine.pop(DEFAULT_BOOK, None)
            books.append(
                AddressBook(
                    owner_id,
                    DEFAULT_BOOK,
                    default.display_name if default else title,
                    writable,
                    is_team,
                    manager,
                    default.description if default else "",
                )
            )
            books += [
                AddressBook(
                    owner_id, r.name, r.display_name, writable, is_team, manager, r.description
                )
                for r in mine.values()
            ]
        return books

    def book(self, account_id: str, owner_id: str, name: str, access: Access) -> AddressBook:
        """The book `name` of `owner_id` as the account sees it; NotFound when it may not."""
        for book in self.books_for(account_id, access):
            if book.owner_id == owner_id and book.name == name:
                return book
        raise NotFound("no such address book", field="book")

    def state(self, book: AddressBook) -> int:
        """The book's point in its owner's change log (CTag and sync token)."""
        with self.store.read() as conn:
            return ChangeLog.last_seq(conn, book.owner_id)

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

    def members(self, book: AddressBook, names: Sequence[str]) -> dict[str, Member]:
        """name -> live card for the names that have one (addressbook-multiget).

        A fixed number of statements for any number of names: the candidates of all of
        them, their contacts, their card rows and their books, each read at once.
        """
        wanted = set(names)
        with self.store.read() as conn:
            pks, ids = candidates_of_many(conn, book.owner_id, list(wanted))
            found = ContactRepository.by_pks(conn, book.owner_id, list(dict.fromkeys(pks)))
            found += ContactRepository.by_ids(conn, book.owner_id, ids).values()
            rows = CardRepository.by_pks(conn, [c.pk for c in found])
            books = BookRepository.books_of(conn, [c.pk for c in found])
        members: dict[str, Member] = {}
        for contact in found:
            name = name_of(contact.contact_id, rows.get(contact.pk))
            if name in wanted and books[contact.pk] == book.name:
                members[name] = Member(name, contact)
        return members

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
        for member in members:
            contact = member.contact
            raw = raws.get(contact.pk)
            if raw is not None and raw[1] == contact.etag and version_of(raw[0]) == version:
                # Unchanged since a client sent it: what it sent (clients compare).
                texts[member.name] = raw[0]
                continue
            tags = sorted((names[t] for t in contact.tag_ids if t in names), key=str.casefold)
            card = self.exporter.card_of_contact(contact, tags, rows.get(contact.pk), True)
            texts[member.name] = vcard.write_card(card, version)
        return texts

    # -- history -----------------------------------------------------------------------

    def changes_since(self, book: AddressBook, seq: int) -> BookChanges:
        """The book's cards changed after `seq` (the last change of each), and those gone.

        A card made and deleted since `seq` is left out: the client never saw it. A
        `seq` past the book's last point is UnknownBookState.
        """
        with self.store.read() as conn:
            if seq > ChangeLog.last_seq(conn, book.owner_id):
                raise UnknownBookState("unknown sync token", field="sync-token")
            changes = ChangeLog.since(conn, book.owner_id, seq, limit=MAX_SYNC_CHANGES + 1)
        truncated = len(changes) > MAX_SYNC_CHANGES
        changes = changes[:MAX_SYNC_CHANGES]
        reached = changes[-1].seq if changes else seq
        created: set[str] = set()
        last: dict[str, str] = {}
        for change in changes:
            if change.entity != ENTITY:
                continue
            if change.action == CREATED:
                created.add(change.entity_id)
            last.pop(change.entity_id, None)
            last[change.entity_id] = change.action
        gone = [i for i, a in last.items() if a == DELETED and i not in created]
        with self.store.read() as conn:
            alive = ContactRepository.by_ids(
                conn, book.owner_id, [i for i, a in last.items() if a != DELETED]
            )
            dead = ContactRepository.by_ids_with_tombstones(conn, book.owner_id, gone)
            pks = [c.pk for c in [*alive.values(), *dead.values()]]
            rows = CardRepository.names_by_pks(conn, pks)
            books = BookRepository.books_of(conn, pks)
        alive = {i: c for i, c in alive.items() if books[c.pk] == book.name}
        dead = {i: c for i, c in dead.items() if books[c.pk] == book.name}
        changed = [
            Member(name_of(c.contact_id, rows.get(c.pk)), c)
            for i in last
            if (c := alive.get(i)) is not None
        ]
        live_names = {m.name for m in changed}
        removed = [
            n
            for c in dead.values()
            if c.deleted_at is not None
            and (n := name_of(c.contact_id, rows.get(c.pk))) not in live_names
        ]
        return BookChanges(changed, removed, reached, truncated)


def version_of(text: str) -> str:
    """The VERSION of a vCard's text (3.0 when it names none)."""
    start = text.find("VERSION:")
    if start < 0:
        return "3.0"
    end = text.find("\n", start)
    return text[start + len("VERSION:") : end if end >= 0 else None].strip()


def live_at(
    conn: Connection, book: AddressBook, name: str, *, for_update: bool = False
) -> Member | None:
    """The live contact of the book whose card is named `name`, or None."""
    owner_id = book.owner_id
    pks, ids = candidates(conn, owner_id, name)
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
