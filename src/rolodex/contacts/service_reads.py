"""The reads of `ContactService`: contacts by id, the pages (scroll, by number, by name).

Split from service.py (the writes) along the one seam they share nothing across: every
read here is one statement (or one read transaction) through the repository, the hot
ones on the store's driver connections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from rolodex.contacts.cursors import BOOK, SCROLL, CursorCodec
from rolodex.contacts.limits import ContactLimits, fitting
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactFilters, ContactRepository
from rolodex.contacts.repository.rows import joined_contacts
from rolodex.errors import InvalidInput, NotFound
from rolodex.store import Store
from rolodex.store.credential_join import JoinResolver

# Whoever a `JoinResolver` says a secret stands for (oauth's `Principal`).
P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class ScrollPage:
    contacts: list[Contact]
    cursor: str | None


def _in_order(wanted: Sequence[str], found: Sequence[Contact]) -> list[Contact]:
    """The contacts found, in the order their ids were asked for."""
    by_id = {c.contact_id: c for c in found}
    return [by_id[i] for i in wanted if i in by_id]


class ContactReads:
    """The reading half of `ContactService` (its `__init__` sets these)."""

    store: Store
    limits: ContactLimits
    cursors: CursorCodec
    repo: type[ContactRepository]

    def get_many(self, owner_id: str, contact_ids: Sequence[str]) -> list[Contact]:
        """The live contacts among `contact_ids`, in the order asked, each once; unknown ids are skipped."""
        wanted = self._wanted(contact_ids)
        # One statement (tags included), so no transaction is needed around it.
        return _in_order(wanted, self.repo.live_by_ids(self.store.quick, owner_id, wanted))

    async def get_many_async(self, owner_id: str, contact_ids: Sequence[str]) -> list[Contact]:
        """`get_many` for a caller on the event loop: on PostgreSQL, no worker thread."""
        wanted = self._wanted(contact_ids)
        found = await self.repo.live_by_ids_async(self.store.quick, owner_id, wanted)
        return _in_order(wanted, found)

    async def get_one_with_credential(
        self,
        credentials: JoinResolver[P],
        secret: str,
        contact_id: str,
        *,
        kinds: tuple[str, ...],
    ) -> tuple[P | None, list[Contact]]:
        """Who the secret stands for, and their own live contact of that id (if any).

        One statement for both (`contacts.get` of one id, the busiest call): on PostgreSQL
        that is one round trip instead of two. `credentials` (oauth's `CredentialService`)
        resolves the secret; for a secret that resolves to nobody no contact is given. The
        caller checks the principal's scopes before showing the contact.
        """
        principal, rows = await credentials.resolve_with_async(
            secret, kinds=kinds, join=self.repo.LIVE_BY_ID_WITH_CREDENTIAL, params=(contact_id,)
        )
        return principal, joined_contacts(rows)

    def _wanted(self, contact_ids: Sequence[str]) -> list[str]:
        if len(contact_ids) > self.limits.max_ids_per_get:
            raise InvalidInput(
                f"at most {self.limits.max_ids_per_get} ids per call", field="contactIds"
            )
        return list(dict.fromkeys(contact_ids))

    def get_one(self, owner_id: str, contact_id: str) -> Contact:
        found = self.repo.live_by_ids(self.store.quick, owner_id, [contact_id])
        if not found:
            raise NotFound("no such contact", field="contactId")
        return found[0]

    def page_size(self, size: int | None, *, field: str = "size") -> int:
        if size is None:
            return self.limits.default_page_size
        if not 1 <= size <= self.limits.max_page_size:
            raise InvalidInput(f"must be between 1 and {self.limits.max_page_size}", field=field)
        return size

    def scroll(
        self,
        owner_id: str,
        *,
        size: int | None = None,
        cursor: str | None = None,
        include_deleted: bool = False,
    ) -> ScrollPage:
        """One page of the owner's contacts in a fixed order, and a cursor while more remain.

        The order is the contacts' internal key, which only grows: a walk sees every
        contact that lives throughout it exactly once, and contacts created during the
        walk at its end. A page holds `size` contacts, or fewer when their stored data
        would pass `limits.page_max_bytes` (never none), with a cursor for the rest.
        """
        limit = self.page_size(size)
        after = (
            0
            if cursor is None
            else self.cursors.position(cursor, SCROLL, owner_id, field="scrollCursor")
        )
        found, more = self.repo.scroll_page(
            self.store.quick,
            owner_id,
            after_pk=after,
            limit=limit,
            max_bytes=self.limits.page_max_bytes,
            include_deleted=include_deleted,
        )
        next_cursor = self.cursors.encode(SCROLL, owner_id, found[-1].pk) if more else None
        return ScrollPage(found, next_cursor)

    def list_page(
        self,
        owner_id: str,
        *,
        offset: int,
        limit: int,
        filters: ContactFilters | None = None,
        field: str = "limit",
    ) -> tuple[list[Contact], int]:
        """One offset page of live contacts in creation order, and the total that match.

        For the APIs that page by number (REST `page`/`limit`, personal `skip`/`top`);
        a page past the end is simply empty. A page whose contacts would pass
        `limits.page_max_bytes` is refused (`check_page_bytes`) rather than cut short:
        a shorter page would make the next page by number skip contacts.
        """
        with self.store.read() as conn:
            found, total = self.repo.page_offset(
                conn,
                owner_id,
                offset=offset,
                limit=limit,
                filters=filters,
                max_bytes=self.limits.page_max_bytes,
            )
        self.check_page_bytes(found, field=field)
        return found, total

    def check_page_bytes(self, found: Sequence[Contact], *, field: str) -> None:
        """A 400 on the page-size parameter `field` when `found` is over the byte budget.

        For the APIs that page by number, which cannot hand out a cursor for the rest:
        the message says how many contacts from this position fit (docs/limits.md).
        """
        fits = fitting(found, self.limits.page_max_bytes)
        if fits < len(found):
            raise InvalidInput(
                f"these contacts hold more than {self.limits.page_max_bytes} bytes, the most"
                f" one page may hold: ask for at most {fits} from here",
                field=field,
            )

    def list_by_name(
        self,
        owner_id: str,
        *,
        size: int | None = None,
        cursor: str | None = None,
        tag_ids: Sequence[str] = (),
        favorites_only: bool = False,
        from_key: str | None = None,
    ) -> ScrollPage:
        """One page of live contacts sorted by the name they are shown under (the address book).

        Keyset paging on (sort_key, pk): the cursor names the last contact shown, so a
        page costs the same at the start or the end of 100,000 contacts, and contacts
        renamed during a walk may show twice or not at all (never an error). Without a
        cursor, `from_key` starts the page at the first sort key at or after it (a jump
        to a letter: keys are case-folded and accent-free, `sort_names.sort_key`).
        """
        limit = self.page_size(size)
        after: tuple[str, int] | None = None
        if cursor is not None:
            pk, key = self.cursors.decode(cursor, BOOK, owner_id, field="after", shape="is")
            after = (key, pk)
        with self.store.read() as conn:
            found = self.repo.page_by_name(
                conn,
                owner_id,
                after=after,
                limit=limit + 1,
                tag_ids=tag_ids,
                favorites_only=favorites_only,
                from_key=from_key,
            )
        more = len(found) > limit
        found = found[:limit]
        # The byte budget, counted after reading: a page holds at most `size` (50 in the
        # address book) contacts, each under the body limit.
        fits = fitting([c for c, _ in found], self.limits.page_max_bytes)
        more, found = more or fits < len(found), found[:fits]
        last = found[-1] if found else None
        next_cursor = (
            self.cursors.encode(BOOK, owner_id, last[0].pk, last[1]) if more and last else None
        )
        return ScrollPage([c for c, _ in found], next_cursor)

    def count_live(self, owner_id: str) -> int:
        """How many live contacts the owner has (the address book's total): one row read."""
        with self.store.read() as conn:
            return self.repo.count_live(conn, owner_id)

    def name_starts(self, owner_id: str, starts: Sequence[str]) -> set[str]:
        """Which of the one-character sort-key prefixes `starts` some live contact's name has.

        For the address book's A-Z index: letters no name starts with are shown unlinked.
        """
        with self.store.read() as conn:
            return self.repo.starts_present(conn, owner_id, starts)

    def get_with_tombstones(self, owner_id: str, contact_ids: Sequence[str]) -> dict[str, Contact]:
        """The owner's contacts among the ids, deleted ones included (sync diffs show deletions)."""
        with self.store.read() as conn:
            return self.repo.by_ids_with_tombstones(conn, owner_id, contact_ids)
