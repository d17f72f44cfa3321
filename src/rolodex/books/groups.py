"""Group cards in a book: Apple's (`X-ADDRESSBOOKSERVER-KIND:group`) and vCard 4.0's
(`KIND:group`), kept as tags (issue 23, as the import does: formats/vcard/groups.py).

A PUT of a new group card makes (or finds) the tag of the group's name; a PUT of an
existing one with a new `FN` renames its tag in place (its id kept, as `tags.update` does;
a name another tag holds is a 409, never a merge). Either way the tag gets exactly
the members the card lists (by UID, with or without `urn:uuid:`, as the importer's
`targets_of` finds them): a listed contact gains the tag, a contact carrying it and not
listed loses it. The card's text is kept as sent (`group_cards`) with an etag of its
own, and the tag is touched (a new etag, an `updated` change), so every other device's
next sync sees the card. It is served with its members and name current
(group_listing.py), so a GET reads back exactly what was sent until the tag's members
or name change through any API. DELETE deletes the tag (off every contact carrying it,
the contacts kept) and keeps the row as the group's tombstone, so a sync can name the
card removed. A tag offered as a group card (`group-<tag id>.vcf` in the default book)
is written the same way: a PUT there stores the client's card, a DELETE deletes the tag.
One transaction each, through the contact and tag services' in-transaction writes
(change log, webhooks, search).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, and_, delete, select

from rolodex.books.group_listing import (
    GroupChanges,
    GroupView,
    group_cards_of,
    group_changes_since,
    group_heads,
    groups_named,
    live_group_names,
)
from rolodex.books.group_text import URN
from rolodex.books.model import AddressBook
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.errors import Conflict, EtagConflict, NotFound
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


def group_at(conn: Connection, book: AddressBook, name: str) -> GroupView | None:
    """The live group card of the book at `name`, as served now, or None."""
    return groups_named(conn, book, [name]).get(name)


def check_conditions(found: GroupView | None, if_match: str | None, if_none_match: bool) -> None:
    """RFC 9110 §13.1.1-2 for a group card, as for a contact's (412, nothing written)."""
    if if_none_match and found is not None:
        raise EtagConflict("a card of this name exists (If-None-Match: *)", field="If-None-Match")
    if if_match is not None and (found is None or found.etag != if_match):
        raise EtagConflict("the card changed since this etag was read", field="If-Match")


def members_named(conn: Connection, owner_id: str, uids: list[str]) -> list[Contact]:
    """The owner's live contacts a group card's members name (locked), each once.

    A member is `urn:uuid:<UID>` (Apple, DAVx5) of a card whose UID may itself be written
    with or without `urn:uuid:` (a contact made through another API has `urn:uuid:<its
    id as a UUID>`), so each is looked up both ways."""
    plain = list(dict.fromkeys(uids))
    asked = [*plain, *(URN + u for u in plain)]
    found, _ = targets_of(conn, owner_id, asked)
    return list({c.contact_id: c for c in found.values()}.values())


class GroupCards:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self.store = store
        self.contacts = contacts
        self.tags = TagService(store, contacts)

    # -- reads (listings chain these after the contacts' cards) ----------------------------

    def get(self, book: AddressBook, name: str, version: str = "3.0") -> GroupView | None:
        with self.store.read() as conn:
            return groups_named(conn, book, [name], version).get(name)

    def listing(self, book: AddressBook, version: str = "3.0") -> list[GroupView]:
        """Every group card of the book (PROPFIND Depth 1, an initial sync)."""
        with self.store.read() as conn:
            return list(group_cards_of(conn, book, version))

    def heads(self, book: AddressBook, version: str = "3.0") -> list[tuple[str, str]]:
        """(name, text without members) of every group card of the book (a query's test)."""
        with self.store.read() as conn:
            return list(group_heads(conn, book, version))

    def named(
        self, book: AddressBook, names: Sequence[str], version: str = "3.0"
    ) -> dict[str, GroupView]:
        """name -> group card, for the names that are one (addressbook-multiget)."""
        with self.store.read() as conn:
            return groups_named(conn, book, names, version)

    def changes_since(
        self, book: AddressBook, seq: int, until: int, version: str = "3.0"
    ) -> GroupChanges:
        """The group cards changed and removed after `seq` up to `until` (sync-collection)."""
        with self.store.read() as conn:
            return group_changes_since(conn, book, seq, until, version)

    # -- writes ----------------------------------------------------------------------------

    def put_in(
        self, conn: Connection, book: AddressBook, name: str, text: str, group: Group
    ) -> tuple[GroupView, bool]:
        """Store the group card at `name` and give its tag exactly its members; the card
        as served and whether it is new. The caller holds the write and has checked the
        conditions."""
        owner_id = book.owner_id
        if any(b != book.name for b in live_group_names(conn, owner_id, name)):
            raise Conflict("another book of this owner has a card of this name", field="href")
        tag_name = clean_name(group.name, field="FN")
        before = group_at(conn, book, name)
        renamed = False
        if before is None:
            tag_id = ensure_tags(conn, owner_id, [tag_name])[name_key(tag_name)]
        else:
            # The group's card rewritten: a new FN renames its tag in place (same id).
            tag_id = before.tag_id
            renamed = self._rename(conn, owner_id, tag_id, tag_name)
        members = members_named(conn, owner_id, group.members)
        wanted = {c.contact_id for c in members}
        carriers = TagRepository.contact_ids_carrying(conn, owner_id, tag_id)
        for contact in ContactRepository.by_ids(conn, owner_id, carriers, for_update=True).values():
            if contact.contact_id not in wanted:
                contact.tag_ids = [t for t in contact.tag_ids if t != tag_id]
                self.contacts.record_in(conn, contact)
        for contact in members:
            if tag_id not in contact.tag_ids:
                contact.tag_ids = sorted({*contact.tag_ids, tag_id})
                self.contacts.record_in(conn, contact)
        # The row (or a deleted group's tombstone) at this name is replaced.
        conn.execute(
            delete(group_cards).where(
                group_cards.c.owner_id == owner_id, group_cards.c.resource_name == name
            )
        )
        conn.execute(
            group_cards.insert().values(
                owner_id=owner_id,
                resource_name=name,
                book=book.name,
                tag_id=tag_id,
                uid=group.uid or "",
                raw=text,
                etag=new_etag(),
                updated_at=now_ms(),
            )
        )
        if not renamed:
            self._touch_tag(conn, owner_id, tag_id)
        stored = group_at(conn, book, name)
        assert stored is not None
        return stored, before is None

    def delete(self, book: AddressBook, name: str, *, if_match: str | None) -> None:
        """Delete the group card's tag (the members stay), its row kept as the group's
        tombstone; NotFound when there is no group card at `name`."""
        with self.store.write(owner_id=book.owner_id) as conn:
            found = group_at(conn, book, name)
            if found is None:
                raise NotFound("no card of this name", field="href")
            check_conditions(found, if_match, if_none_match=False)
            self._drop_tag(conn, book.owner_id, found.tag_id)

    def delete_book_groups_in(self, conn: Connection, book: AddressBook) -> None:
        """A deleted book's group cards go, and their tags (BookAdmin.delete's write)."""
        where = and_(group_cards.c.owner_id == book.owner_id, group_cards.c.book == book.name)
        tag_ids = list(conn.execute(select(group_cards.c.tag_id).where(where)).scalars())
        conn.execute(delete(group_cards).where(where))
        for tag_id in dict.fromkeys(tag_ids):
            self._drop_tag(conn, book.owner_id, tag_id)

    def _rename(self, conn: Connection, owner_id: str, tag_id: str, name: str) -> bool:
        """Rename the group's tag as `TagService.rename` does (a name another live tag of
        the owner holds is a Conflict, 409: never a merge); whether it was renamed."""
        tag = TagRepository.by_ids(conn, owner_id, [tag_id], for_update=True)[tag_id]
        if tag.name == name:
            return False
        holder = TagRepository.live_by_key(conn, owner_id, name_key(name))
        if holder is not None and holder.tag_id != tag_id:
            raise Conflict("another tag already has this name", field="FN")
        self.tags.rename_in(conn, tag, name)
        return True

    def _touch_tag(self, conn: Connection, owner_id: str, tag_id: str) -> None:
        tag = TagRepository.by_ids(conn, owner_id, [tag_id], for_update=True).get(tag_id)
        if tag is not None:
            self.tags.touch_in(conn, tag)

    def _drop_tag(self, conn: Connection, owner_id: str, tag_id: str) -> None:
        tag = TagRepository.by_ids(conn, owner_id, [tag_id], for_update=True).get(tag_id)
        if tag is not None and tag.deleted_at is None:
            self.tags.delete_in(conn, tag)
