"""Contacts with their tags by name, the REST API's way: reads, filtered listings, writes.

Each write is one transaction. The tags it names are found by their name key (one
statement on the index of owner and key) and the missing ones are made inside the
contact's own write, so a write refused for any reason (a bad name, an unknown contact,
a stale etag, a full address book) leaves no tag behind. Names compare as the tag
service compares them (`rolodex.tags.model.name_key`): naming a tag in a write makes it
on first use, like `tags.create`; filtering or removing by name never makes one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactFilters
from rolodex.contacts.search.service import SearchService
from rolodex.contacts.service import ContactService
from rolodex.errors import InvalidInput
from rolodex.store import Store
from rolodex.tags.service import TagService

# A contact's tags on a write through this service.
TAGS_FIELD = "tags"


@dataclass(frozen=True, slots=True)
class NamedContact:
    """A contact and the names of its live tags."""

    contact: Contact
    tag_names: list[str]


@dataclass(frozen=True, slots=True)
class ContactQuery:
    """What a listing narrows by; every condition given must hold."""

    # A contact must carry every one; a name no tag has matches nothing. Blank names
    # are ignored.
    tag_names: tuple[str, ...] = ()
    location_id: str | None = None
    # Compared case-insensitively with `contactMetadata.source`.
    source: str | None = None
    # The contact search's language; results then come best first.
    search_text: str | None = None


class TagsByName:
    def __init__(
        self, store: Store, contacts: ContactService, tags: TagService, search: SearchService
    ) -> None:
        self.store = store
        self.contacts = contacts
        self.tags = tags
        self.search = search

    # -- reads -------------------------------------------------------------------------

    def get(self, owner_id: str, contact_id: str) -> NamedContact:
        [named] = self._named([self.contacts.get_one(owner_id, contact_id)])
        return named

    def list_page(
        self,
        owner_id: str,
        *,
        offset: int,
        limit: int,
        query: ContactQuery,
        search_field: str,
    ) -> list[NamedContact]:
        """One offset page of the owner's live contacts that match `query`.

        In creation order, or best first with `search_text` (as `contacts.search` ranks
        them). Every condition is SQL, so a page costs what it reads, however many
        contacts the conditions leave out. A bad `search_text` is a 400 on `search_field`.
        """
        with self.store.read() as conn:
            found = self.tags.ids_named_in(conn, owner_id, query.tag_names)
        tag_ids = [tag_id for tag_id in found.values() if tag_id is not None]
        if len(tag_ids) < len(found):
            return []
        filters = ContactFilters(
            tag_ids=tuple(tag_ids), location_id=query.location_id, source=query.source
        )
        if query.search_text is None:
            contacts, _total = self.contacts.list_page(
                owner_id, offset=offset, limit=limit, filters=filters
            )
            return self._named(contacts)
        try:
            contacts, _total = self.search.search_offset(
                owner_id, query.search_text, offset=offset, limit=limit, filters=filters
            )
        except InvalidInput as exc:
            # The search names its own fields; here the query is `search_field`.
            raise InvalidInput(exc.message, field=search_field) from None
        self.contacts.check_page_bytes(contacts, field="limit")
        return self._named(contacts)

    # -- writes ------------------------------------------------------------------------

    def create(
        self,
        owner_id: str,
        data: dict[str, Any],
        meta: dict[str, Any],
        tag_names: Sequence[str],
    ) -> NamedContact:
        """A new contact carrying the tags of these names (made on first use)."""
        contact = self.contacts.create(
            owner_id, data, meta, tags_in=lambda conn: self._ensure(conn, owner_id, tag_names)
        )
        return self._named([contact])[0]

    def modify(
        self,
        owner_id: str,
        contact_id: str,
        change: Callable[[Contact], None],
        *,
        tag_names: Sequence[str] | None,
        expected_etag: str | None,
        field: str,
    ) -> NamedContact:
        """`ContactService.modify`, and with `tag_names` the contact's tags become those."""

        def retag(conn: Connection, contact: Contact) -> None:
            if tag_names is not None:
                contact.tag_ids = sorted(self._ensure(conn, owner_id, tag_names))

        return self._modify(owner_id, contact_id, change, retag, expected_etag, field)

    def add(
        self,
        owner_id: str,
        contact_id: str,
        tag_names: Sequence[str],
        *,
        expected_etag: str | None,
        field: str,
    ) -> NamedContact:
        """Put the tags of these names on the contact, making those that do not exist."""

        def add(conn: Connection, contact: Contact) -> None:
            named = self._ensure(conn, owner_id, tag_names)
            contact.tag_ids = sorted(set(contact.tag_ids) | set(named))

        return self._modify(owner_id, contact_id, _unchanged, add, expected_etag, field)

    def remove(
        self,
        owner_id: str,
        contact_id: str,
        tag_names: Sequence[str],
        *,
        expected_etag: str | None,
        field: str,
    ) -> NamedContact:
        """Take the tags of these names off the contact; names no tag has are ignored."""

        def remove(conn: Connection, contact: Contact) -> None:
            found = self.tags.ids_named_in(conn, owner_id, tag_names)
            named = {tag_id for tag_id in found.values() if tag_id is not None}
            contact.tag_ids = sorted(set(contact.tag_ids) - named)

        return self._modify(owner_id, contact_id, _unchanged, remove, expected_etag, field)

    # -- helpers -----------------------------------------------------------------------

    def _modify(
        self,
        owner_id: str,
        contact_id: str,
        change: Callable[[Contact], None],
        retag: Callable[[Connection, Contact], None],
        expected_etag: str | None,
        field: str,
    ) -> NamedContact:
        contact = self.contacts.modify(
            owner_id, contact_id, change, expected_etag=expected_etag, field=field, within=retag
        )
        return self._named([contact])[0]

    def _ensure(self, conn: Connection, owner_id: str, tag_names: Sequence[str]) -> list[str]:
        return self.tags.ensure_named_in(conn, owner_id, tag_names, field=TAGS_FIELD)

    def _named(self, contacts: Sequence[Contact]) -> list[NamedContact]:
        """The contacts with the names of their live tags (one read, none without tags)."""
        wanted = [tag_id for contact in contacts for tag_id in contact.tag_ids]
        names: dict[str, str] = {}
        if wanted:
            owner_id = contacts[0].owner_id
            with self.store.read() as conn:
                names = self.tags.names_in(conn, owner_id, wanted)
        return [NamedContact(c, [names[t] for t in c.tag_ids if t in names]) for c in contacts]


def _unchanged(contact: Contact) -> None:
    """The change of a write that changes only tags (made in the write's `within`)."""
