"""Cards written into a book: PUT and DELETE, through the contact service.

A PUT is one transaction: the card at that name is found and locked, the client's
conditions are checked (`If-Match`, `If-None-Match: *`), the `UID` is checked against
the book's other cards, then the contact is made (`ContactService.create_many_in`, the
import's insert path) or its data, tags and kept extras replaced
(`ContactService.record_in`): the change log, webhooks and search index follow as for
every API. The card is read and checked exactly as an import reads it
(`transfer.checks.check_card`); `CATEGORIES` are the contact's tags, made by name in
the same transaction, and a card without the property keeps the contact's tags (a client
that keeps groups as group cards, books/groups.py, sends none); a new card joins the
group cards that listed its UID before it came. Photos go through the photo store after
the commit, as an import's do: a card that carries the photo the contact already has
keeps it without a write. The card's text is kept as it was sent (`contact_cards.raw`)
with the contact's new etag, so that it reads back byte for byte until anything
changes the contact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from rolodex.books.group_listing import groups_awaiting
from rolodex.books.groups import GroupCards, check_conditions, group_at
from rolodex.books.model import DEFAULT_BOOK, AddressBook, Member
from rolodex.books.names import SUFFIX, name_of
from rolodex.books.repository import BookRepository, Met, met_by_put
from rolodex.books.service import live_at
from rolodex.contacts import phones
from rolodex.contacts.cards import CardRepository, CardRow
from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import prepare
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.errors import Conflict, DomainError, EtagConflict, InvalidInput
from rolodex.formats import vcard
from rolodex.formats.card import CardProblem
from rolodex.formats.vcard import Group
from rolodex.photos.images import ImageLimits
from rolodex.photos.service import PhotoService
from rolodex.photos.urls import photo_id_from_url
from rolodex.store import Store
from rolodex.tags.model import name_key
from rolodex.transfer.batches import uploaded
from rolodex.transfer.checks import CheckedCard, check_card
from rolodex.transfer.tag_names import ensure_tags
from rolodex.transfer.uids import URN, contact_id_of

log = logging.getLogger("rolodex.books")

# The kinds of card `met_by_put` finds.
CARD, DERIVED, GROUP = "card", "derived", "group"


# The longest UID and resource name, in bytes: both are keys of a unique index, and a
# PostgreSQL index entry holds at most about 2,700 bytes.
MAX_KEY_BYTES = 1024


class InvalidCard(InvalidInput):
    """Not exactly one well-formed vCard with a UID (RFC 6352 §6.3.2.1 valid-address-data)."""

    code = "valid_address_data"


class UidConflict(Conflict):
    """The card's UID is another card's of the book (RFC 6352 §6.3.2.1 no-uid-conflict)."""

    code = "no_uid_conflict"

    def __init__(self, message: str, *, holder: str, book: str) -> None:
        super().__init__(message, field="UID")
        self.holder = holder
        self.book = book


class NotWritable(DomainError):
    """The credential or the account's role allows reading this book only."""

    code = "read_only"


@dataclass(frozen=True, slots=True)
class Written:
    """The stored card's etag, whether the PUT made it, and whether it reads back exactly
    as it was sent (false when the photo store changed the contact after the write)."""

    etag: str
    created: bool
    exact: bool = True


def read_card(text: str, limits: ImageLimits) -> CheckedCard | Group:
    """The one card of a PUT body, checked as an import checks it (a group card is the
    group it lists: books/groups.py), or InvalidCard."""
    if "\x00" in text:
        # PostgreSQL text cannot hold NUL, and no vCard needs it.
        raise InvalidCard("a card may not contain the NUL character", field="body")
    items = list(vcard.read_cards(text))
    if len(items) != 1:
        raise InvalidCard(f"the body holds {len(items)} vCards; a card holds exactly one")
    item = items[0]
    if isinstance(item, CardProblem):
        raise InvalidCard(item.message)
    checked = check_card(item, limits)
    if isinstance(checked, CardProblem):
        raise InvalidCard(checked.message)
    if not checked.uid:
        raise InvalidCard("the card has no UID (RFC 6350 §6.7.6)", field="UID")
    if len(checked.uid.encode()) > MAX_KEY_BYTES:
        raise InvalidCard(f"a UID is at most {MAX_KEY_BYTES} bytes", field="UID")
    return checked


class CardWriter:
    def __init__(self, store: Store, contacts: ContactService, photos: PhotoService) -> None:
        self.store = store
        self.contacts = contacts
        self.photos = photos
        self.groups = GroupCards(store, contacts)

    def put(
        self,
        book: AddressBook,
        name: str,
        text: str,
        *,
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> Written:
        """Store the card at `name`: a new contact, or the contact already there replaced.

        `if_match`: the card's current etag (EtagConflict otherwise, nothing written);
        `if_none_match`: only when no card has that name. A UID another live card of the
        book holds is a UidConflict naming that card.
        """
        if not book.writable:
            raise NotWritable("this address book is read-only for this credential")
        if len(name.encode()) > MAX_KEY_BYTES:
            raise InvalidInput(f"a card's name is at most {MAX_KEY_BYTES} bytes", field="href")
        card = read_card(text, self.photos.limits)
        if isinstance(card, Group):
            return self._put_group(book, name, text, card, if_match, if_none_match)
        owner_id = book.owner_id
        assert card.uid is not None
        with self.store.write(owner_id=owner_id) as conn:
            member, conflict = self._meet(conn, book, name, card.uid)
            _check_conditions(member, if_match, if_none_match)
            if conflict is not None:
                raise conflict
            tag_ids = ensure_tags(conn, owner_id, card.tags)
            tags = sorted({tag_ids[name_key(n)] for n in card.tags})
            if member is not None and not _has_categories(text):
                # Apple's Contacts and DAVx5 (by default) keep groups as group cards and
                # send no CATEGORIES: the contact keeps its tags, its groups.
                tags = sorted(member.contact.tag_ids)
            data, pending = self._photos_kept(card, member)
            if member is None:
                # A group card PUT before this card lists it: it joins that group now.
                tags = sorted({*tags, *groups_awaiting(conn, book, card.uid)})
                contact = self._create(conn, owner_id, data, tags)
                BookRepository.place(conn, owner_id, contact.pk, book.name)
            else:
                contact = member.contact
                contact.data = data
                contact.tag_ids = tags
                self.contacts.record_in(conn, contact)
            row = CardRow(contact.pk, owner_id, card.uid, card.extras, name, book.name)
            CardRepository.put_card(conn, row, text, contact.etag, new=member is None)
        contact = self._upload(owner_id, contact, pending)
        return Written(contact.etag, member is None, exact=not pending)

    def _put_group(
        self,
        book: AddressBook,
        name: str,
        text: str,
        group: Group,
        if_match: str | None,
        if_none_match: bool,
    ) -> Written:
        """A group card: its tag and members (books/groups.py), its text kept as sent."""
        with self.store.write(owner_id=book.owner_id) as conn:
            if live_at(conn, book, name) is not None:
                raise Conflict("a contact's card has this name", field="href")
            check_conditions(group_at(conn, book, name), if_match, if_none_match)
            stored, created = self.groups.put_in(conn, book, name, text, group)
        # Served as sent unless it lists a member twice, or one of another book's.
        return Written(stored.etag, created, exact=stored.text == text)

    def delete(self, book: AddressBook, name: str, *, if_match: str | None = None) -> None:
        """Delete the card's contact (a tombstone, its change logged); NotFound when none."""
        if not book.writable:
            raise NotWritable("this address book is read-only for this credential")
        with self.store.read() as conn:
            member = live_at(conn, book, name)
        if member is None:
            self.groups.delete(book, name, if_match=if_match)
            return
        self.contacts.delete(book.owner_id, member.contact.contact_id, etag=if_match)

    # -- steps -------------------------------------------------------------------------

    @staticmethod
    def _meet(
        conn: Connection, book: AddressBook, name: str, uid: str
    ) -> tuple[Member | None, UidConflict | None]:
        """The live card at `name` (locked), and the UidConflict to raise once the
        client's conditions hold, if another live card of the book holds the UID.

        One read finds what the PUT meets (`met_by_put`): a group card at the name is a
        Conflict; a UID is unique per book (RFC 6352 §6.3.2.1), so other books may hold
        it; deleted contacts of the book give up the name and the UID the card takes.
        """
        owner_id = book.owner_id
        base = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else None
        urn_base = None if base is None else URN + base
        default = book.name == DEFAULT_BOOK
        met = met_by_put(
            conn,
            owner_id,
            book.name,
            name,
            uid,
            base=base,
            urn_base=urn_base,
            name_id=contact_id_of(urn_base) if default and urn_base else None,
            uid_id=contact_id_of(uid) if default else None,
        )
        if any(m.kind == GROUP for m in met):
            raise Conflict("a group card has this name", field="href")
        at_name = [m for m in met if not m.deleted and _named(m, name, base, urn_base)]
        # A name a client chose comes before one derived from a UID (`names.name_of`).
        at_name.sort(key=lambda m: m.resource_name != name)
        mine = at_name[0] if at_name else None
        conflict = None
        for m in met:
            if m.deleted or (mine is not None and m.contact_pk == mine.contact_pk):
                continue
            if m.uid == uid or (m.kind == DERIVED and m.contact_id == contact_id_of(uid)):
                conflict = UidConflict(
                    "another card of this address book has this UID",
                    holder=_name_of(m),
                    book=book.name,
                )
        gone = [
            m.contact_pk
            for m in met
            if m.kind == CARD and m.deleted and (m.resource_name == name or m.uid == uid)
        ]
        CardRepository.remove(conn, list(dict.fromkeys(gone)))
        if mine is None:
            return None, conflict
        locked = ContactRepository.by_ids(conn, owner_id, [mine.contact_id], for_update=True)
        return Member(name, locked[mine.contact_id]), conflict

    def _create(
        self, conn: Connection, owner_id: str, data: dict[str, Any], tags: list[str]
    ) -> Contact:
        prepared = prepare(conn.dialect.name, owner_id, data, phones.default_region())
        contact = self.contacts.create_many_in(conn, owner_id, [prepared.data_json], [prepared])[0]
        contact.data = data
        if tags:
            contact.tag_ids = tags
            ContactRepository.set_tags(conn, contact.pk, tags)
        return contact

    def _photos_kept(
        self, card: CheckedCard, member: Member | None
    ) -> tuple[dict[str, Any], list[bytes]]:
        """The data to store, and the photos to upload after the commit.

        A contact whose primary uploaded photo is the card's first keeps its uploads and
        uploads nothing; otherwise the card's photos replace them.
        """
        data = dict(card.data)
        if not card.photos:
            return data, []
        kept = [] if member is None else uploaded(member.contact.data)
        if kept and self._same_photo(str(kept[0].get("value", "")), card.photos[0]):
            data["photos"] = [*kept, *(data.get("photos") or [])]
            return data, []
        return data, card.photos

    def _same_photo(self, url: str, raw: bytes) -> bool:
        photo_id = photo_id_from_url(url)
        if photo_id is None:
            return False
        try:
            return self.photos.read(photo_id).data == raw
        except DomainError:
            return False

    def _upload(self, owner_id: str, contact: Contact, pending: list[bytes]) -> Contact:
        """The card's photos through the photo store's checks, the first as the primary."""
        for raw in reversed(pending):
            try:
                contact = self.photos.upload(owner_id, contact.contact_id, raw)
            except DomainError as exc:
                log.info("a card's photo was not kept: %s", exc.message)
        return contact


def _has_categories(text: str) -> bool:
    return any(p.name == "CATEGORIES" for p in vcard.properties_of(text))


def _named(met: Met, name: str, base: str | None, urn_base: str | None) -> bool:
    """Whether the card met is the one at `name` (`names.name_of` of it is `name`)."""
    if met.kind == DERIVED:
        return urn_base is not None and met.contact_id == contact_id_of(urn_base)
    if met.kind != CARD:
        return False
    if met.resource_name is not None:
        return met.resource_name == name
    return base is not None and met.uid in (base, urn_base)


def _name_of(met: Met) -> str:
    if met.kind == DERIVED or met.uid is None:
        return name_of(met.contact_id, None)
    return name_of(met.contact_id, CardRow(met.contact_pk, "", met.uid, {}, met.resource_name))


def _check_conditions(member: Member | None, if_match: str | None, if_none_match: bool) -> None:
    """RFC 9110 §13.1.1-2: a failed precondition writes nothing (412)."""
    if if_none_match and member is not None:
        raise EtagConflict("a card of this name exists (If-None-Match: *)", field="If-None-Match")
    if if_match is not None and (member is None or member.contact.etag != if_match):
        raise EtagConflict("the card changed since this etag was read", field="If-Match")
