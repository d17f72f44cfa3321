"""Group cards in a book: Apple's (`X-ADDRESSBOOKSERVER-KIND:group`) and vCard 4.0's
(`KIND:group`), kept as tags (issue 23, as the import does: formats/vcard/groups.py).

A PUT of a group card makes or updates the tag of the group's name and gives it exactly
the members the card lists (by UID, as the importer's `targets_of` finds them): a listed
contact gains the tag, a contact carrying it and not listed loses it. The card's text
is kept as sent (`group_cards`) with an etag of its own, so a GET reads it back
unchanged at the name the client chose. DELETE removes the row and deletes the tag (off
every contact carrying it, the contacts kept). One transaction each, through the
contact and tag services' in-transaction writes (change log, webhooks, search).

Not done: a tag made through another API is not offered as a group card, and group
cards are not listed by PROPFIND, multiget or sync-collection (docs/carddav.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, and_, delete, select

from rolodex.books.model import AddressBook
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.errors import EtagConflict, NotFound
from rolodex.formats.vcard import Group
from rolodex.ids import new_etag
from rolodex.store import Store
from rolodex.store.schema import group_cards
from rolodex.tags.model import clean_name, name_key
from rolodex.tags.repository import TagRepository
from rolodex.tags.service import TagService
from rolodex.timestamps import now_ms
from rolodex.transfer.batches import targets_of
from rolodex.transfer.tag_names import ensure_tags


@dataclass(frozen=True, slots=True)
class GroupCard:
    """A group card as stored: its text as sent, its etag, the tag it is."""

    name: str
    raw: str
    etag: str
    tag_id: str
    updated_at: int


def _where(book: AddressBook, name: str) -> ColumnElement[bool]:
    return and_(
        group_cards.c.owner_id == book.owner_id,
        group_cards.c.resource_name == name,
        group_cards.c.book == book.name,
    )


def group_at(conn: Connection, book: AddressBook, name: str) -> GroupCard | None:
    row = conn.execute(select(group_cards).where(_where(book, name))).first()
    if row is None:
        return None
    return GroupCard(row.resource_name, row.raw, row.etag, row.tag_id, row.updated_at)


def check_conditions(found: GroupCard | None, if_match: str | None, if_none_match: bool) -> None:
    """RFC 9110 §13.1.1-2 for a group card, as for a contact's (412, nothing written)."""
    if if_none_match and found is not None:
        raise EtagConflict("a card of this name exists (If-None-Match: *)", field="If-None-Match")
    if if_match is not None and (found is None or found.etag != if_match):
        raise EtagConflict("the card changed since this etag was read", field="If-Match")


class GroupCards:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self.store = store
        self.contacts = contacts
        self.tags = TagService(store, contacts)

    def get(self, book: AddressBook, name: str) -> GroupCard | None:
        with self.store.read() as conn:
            return group_at(conn, book, name)

    def put_in(
        self, conn: Connection, book: AddressBook, name: str, text: str, group: Group
    ) -> tuple[GroupCard, bool]:
        """Store the group card at `name` and give its tag exactly its members; whether
        it is new. The caller holds the write and has checked the conditions."""
        owner_id = book.owner_id
        tag_name = clean_name(group.name, field="FN")
        tag_id = ensure_tags(conn, owner_id, [tag_name])[name_key(tag_name)]
        before = group_at(conn, book, name)
        if before is not None and before.tag_id != tag_id:
            self._drop_tag(conn, owner_id, before.tag_id)
        members, _ = targets_of(conn, owner_id, list(dict.fromkeys(group.members)))
        wanted = {c.contact_id for c in members.values()}
        carriers = TagRepository.contact_ids_carrying(conn, owner_id, tag_id)
        for contact in ContactRepository.by_ids(conn, owner_id, carriers, for_update=True).values():
            if contact.contact_id not in wanted:
                contact.tag_ids = [t for t in contact.tag_ids if t != tag_id]
                self.contacts.record_in(conn, contact)
        for contact in members.values():
            if tag_id not in contact.tag_ids:
                contact.tag_ids = sorted({*contact.tag_ids, tag_id})
                self.contacts.record_in(conn, contact)
        card = GroupCard(name, text, new_etag(), tag_id, now_ms())
        if before is not None:
            conn.execute(delete(group_cards).where(_where(book, name)))
        conn.execute(
            group_cards.insert().values(
                owner_id=owner_id,
                resource_name=name,
                book=book.name,
                tag_id=tag_id,
                uid=group.uid or "",
                raw=text,
                etag=card.etag,
                updated_at=card.updated_at,
            )
        )
        return card, before is None

    def delete(self, book: AddressBook, name: str, *, if_match: str | None) -> None:
        """Delete the group card and its tag (the members stay); NotFound when none."""
        with self.store.write(owner_id=book.owner_id) as conn:
            found = group_at(conn, book, name)
            if found is None:
                raise NotFound("no card of this name", field="href")
            check_conditions(found, if_match, if_none_match=False)
            conn.execute(delete(group_cards).where(_where(book, name)))
            self._drop_tag(conn, book.owner_id, found.tag_id)

    def delete_book_groups(self, book: AddressBook) -> None:
        """A deleted book's group cards go, and their tags (BookAdmin.delete)."""
        with self.store.write(owner_id=book.owner_id) as conn:
            where = and_(group_cards.c.owner_id == book.owner_id, group_cards.c.book == book.name)
            tag_ids = list(conn.execute(select(group_cards.c.tag_id).where(where)).scalars())
            conn.execute(delete(group_cards).where(where))
            for tag_id in tag_ids:
                self._drop_tag(conn, book.owner_id, tag_id)

    def _drop_tag(self, conn: Connection, owner_id: str, tag_id: str) -> None:
        tag = TagRepository.by_ids(conn, owner_id, [tag_id], for_update=True).get(tag_id)
        if tag is not None and tag.deleted_at is None:
            self.tags.delete_in(conn, tag)
