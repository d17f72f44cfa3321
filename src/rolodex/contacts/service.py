"""The contact service: every read and write of contacts, whatever API asks for it.

Each write runs in one transaction that also appends its change to the change log, and
gives the contact a new etag and `updated` time. Ids of another owner behave exactly
like ids that do not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from rolodex.contacts import quick_reads
from rolodex.contacts.cursors import BOOK, SCROLL, CursorCodec
from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import PreparedContact
from rolodex.contacts.repository import ContactFilters, ContactRepository
from rolodex.errors import EtagConflict, InvalidInput, LimitExceeded, NotFound
from rolodex.ids import new_etag, new_etags, new_id, new_ids
from rolodex.oauth.credentials import CredentialService, Principal
from rolodex.store import Store
from rolodex.store.changelog import CREATED, DELETED, UPDATED, ChangeLog
from rolodex.timestamps import now_ms

ENTITY = "contact"

# (owner_id, contact_id, photo URLs that left the contact)
PhotosRemoved = Callable[[str, str, list[str]], None]
# (the write's connection, the contact as saved)
DataSaved = Callable[[Connection, Contact], None]


def photo_urls(data: dict[str, Any]) -> list[str]:
    """The `value` of each entry of `contactData.photos`."""
    entries = data.get("photos") or []
    return [e["value"] for e in entries if isinstance(e, dict) and isinstance(e.get("value"), str)]


def _in_order(wanted: Sequence[str], found: Sequence[Contact]) -> list[Contact]:
    """The contacts found, in the order their ids were asked for."""
    by_id = {c.contact_id: c for c in found}
    return [by_id[i] for i in wanted if i in by_id]


def fitting(found: Sequence[Contact], max_bytes: int) -> int:
    """How many of the first contacts fit in `max_bytes` (`Contact.stored_size`); one at least."""
    total = 0
    for count, contact in enumerate(found):
        total += contact.stored_size()
        if total > max_bytes:
            return max(count, 1)
    return len(found)


@dataclass(frozen=True, slots=True)
class ScrollPage:
    contacts: list[Contact]
    cursor: str | None


@dataclass(frozen=True, slots=True)
class ContactLimits:
    """Paging and batch limits, documented in docs/limits.md."""

    default_page_size: int = 100
    max_page_size: int = 1000
    # A page stops before its contacts' stored data passes this many bytes (but always
    # holds one contact) and hands out a cursor for the rest; a page by number over it
    # is refused (docs/limits.md, Pages).
    page_max_bytes: int = 8 * 1024 * 1024
    max_ids_per_get: int = 1000
    # Contacts one account or team may store, deleted ones (tombstones) included.
    max_contacts_per_owner: int = 2_000_000


class ContactService:
    def __init__(
        self,
        store: Store,
        limits: ContactLimits | None = None,
        cursors: CursorCodec | None = None,
    ) -> None:
        self.store = store
        self.limits = limits or ContactLimits()
        # Makes and checks every paging cursor (of tags and search too): signed with the
        # server's key by the Services wiring.
        self.cursors = cursors or CursorCodec()
        self.repo = ContactRepository
        # Set by the Services wiring (rolodex.photos): told, after a write committed, which
        # photo URLs left a contact, so that uploaded photos do not outlive their use.
        self.photos_removed: PhotosRemoved | None = None
        # Set by the Services wiring (rolodex.transfer): told, inside the write's
        # transaction, of every contact whose data a write changed, so that what a file
        # import kept with the contact follows the new data (docs/import-export.md).
        self.data_saved: DataSaved | None = None

    # -- reads -------------------------------------------------------------------------

    def get_many(self, owner_id: str, contact_ids: Sequence[str]) -> list[Contact]:
        """The live contacts among `contact_ids`, in the order asked, each once; unknown ids are skipped."""
        wanted = self._wanted(contact_ids)
        # One statement (tags included), so no transaction is needed around it.
        return _in_order(wanted, quick_reads.live_by_ids(self.store.quick, owner_id, wanted))

    async def get_many_async(self, owner_id: str, contact_ids: Sequence[str]) -> list[Contact]:
        """`get_many` for a caller on the event loop: on PostgreSQL, no worker thread."""
        wanted = self._wanted(contact_ids)
        found = await quick_reads.live_by_ids_async(self.store.quick, owner_id, wanted)
        return _in_order(wanted, found)

    async def get_one_with_credential(
        self,
        credentials: CredentialService,
        secret: str,
        contact_id: str,
        *,
        kinds: tuple[str, ...],
    ) -> tuple[Principal | None, list[Contact]]:
        """Who the secret stands for, and their own live contact of that id (if any).

        One statement for both (`contacts.get` of one id, the busiest call): on PostgreSQL
        that is one round trip instead of two. For a secret that resolves to nobody no
        contact is given; the caller checks the principal's scopes before showing it.
        """
        principal, rows = await credentials.resolve_with_async(
            secret,
            kinds=kinds,
            statement=quick_reads.LIVE_BY_ID_WITH_CREDENTIAL,
            params=(contact_id,),
        )
        return principal, quick_reads.joined_contacts(rows)

    def _wanted(self, contact_ids: Sequence[str]) -> list[str]:
        if len(contact_ids) > self.limits.max_ids_per_get:
            raise InvalidInput(
                f"at most {self.limits.max_ids_per_get} ids per call", field="contactIds"
            )
        return list(dict.fromkeys(contact_ids))

    def get_one(self, owner_id: str, contact_id: str) -> Contact:
        found = quick_reads.live_by_ids(self.store.quick, owner_id, [contact_id])
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
        found, more = quick_reads.page(
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

    # -- writes ------------------------------------------------------------------------

    def create(
        self,
        owner_id: str,
        data: dict[str, Any],
        meta: dict[str, Any] | None = None,
        *,
        tag_ids: Sequence[str] = (),
    ) -> Contact:
        """Store a new contact with a fresh id and etag (and its tags), and log `created`."""
        now = now_ms()
        contact = Contact(
            pk=0,
            contact_id=new_id("c_"),
            owner_id=owner_id,
            etag=new_etag(),
            created_at=now,
            updated_at=now,
            deleted_at=None,
            data=data,
            meta=dict(meta or {}),
            tag_ids=sorted(set(tag_ids)),
        )
        with self.store.write(owner_id=owner_id) as conn:
            self._reserve(conn, owner_id, 1)
            contact.pk = self.repo.insert(conn, contact)
            if contact.tag_ids:
                self.repo.set_tags(conn, contact.pk, contact.tag_ids)
            self._log(conn, contact, CREATED)
        return contact

    def create_many(
        self,
        conn: Connection,
        owner_id: str,
        datas: Sequence[dict[str, Any] | str],
        prepared: Sequence[PreparedContact] | None = None,
    ) -> int:
        """Create many contacts inside the caller's write transaction (the bulk import path).

        Each gets an id, etag and a `created` change, exactly as `create` gives one; the
        rows go in with one multi-row statement instead of one round trip each.
        `prepared[i]`, when given, is `prepared.prepare` of `datas[i]` for this owner, and
        `datas[i]` may then be its stored JSON (`prepared[i].data_json`) rather than a dict.
        """
        return len(self.create_many_in(conn, owner_id, datas, prepared))

    def create_many_in(
        self,
        conn: Connection,
        owner_id: str,
        datas: Sequence[dict[str, Any] | str],
        prepared: Sequence[PreparedContact] | None = None,
    ) -> list[Contact]:
        """`create_many`, answering the new contacts (their ids and keys), in order."""
        now = now_ms()
        new = [
            Contact(
                pk=0,
                contact_id=contact_id,
                owner_id=owner_id,
                etag=etag,
                created_at=now,
                updated_at=now,
                deleted_at=None,
                data=data,
                meta={},
            )
            for data, contact_id, etag in zip(
                datas, new_ids("c_", len(datas)), new_etags(len(datas)), strict=True
            )
        ]
        self._reserve(conn, owner_id, len(new))
        for contact, pk in zip(new, self.repo.insert_many(conn, new, prepared), strict=True):
            contact.pk = pk
        ChangeLog.append_many(
            conn,
            owner_id=owner_id,
            entity=ENTITY,
            action=CREATED,
            entries=[(c.contact_id, c.etag) for c in new],
            occurred_at=now,
        )
        return new

    def modify(
        self,
        owner_id: str,
        contact_id: str,
        change: Callable[[Contact], None],
        *,
        expected_etag: str | None,
        field: str = "etag",
    ) -> Contact:
        """Apply `change` to a contact under optimistic concurrency, atomically.

        `expected_etag=None` means the caller does not check (the REST and personal APIs
        without `If-Match`, or `resolveConflicts`); otherwise a stale etag is a conflict
        and nothing is written. `change` edits only what its API can express, which is
        how the fidelity rule of DESIGN.md holds.
        """
        with self.store.write(owner_id=owner_id) as conn:
            contact = self._locked(conn, owner_id, contact_id)
            if expected_etag is not None and expected_etag != contact.etag:
                raise EtagConflict(
                    "the contact changed since this etag was read; fetch it again", field=field
                )
            photos_before = photo_urls(contact.data)
            change(contact)
            contact.etag = new_etag()
            contact.updated_at = max(now_ms(), contact.updated_at + 1)
            self.repo.save(conn, contact)
            self._data_saved(conn, contact)
            self.repo.set_tags(conn, contact.pk, contact.tag_ids)
            self._log(conn, contact, UPDATED)
        self._photos_left(contact, photos_before, photo_urls(contact.data))
        return contact

    def replace_data(
        self,
        owner_id: str,
        contact_id: str,
        data: dict[str, Any],
        *,
        etag: str | None,
        resolve_conflicts: bool = False,
    ) -> Contact:
        """Contacts+ `contacts.update`: the new `contactData` replaces the old one whole."""
        if etag is None and not resolve_conflicts:
            raise InvalidInput("required to update a contact", field="contact.etag")

        def replace(contact: Contact) -> None:
            contact.data = data

        return self.modify(
            owner_id,
            contact_id,
            replace,
            expected_etag=None if resolve_conflicts else etag,
            field="contact.etag",
        )

    def delete(self, owner_id: str, contact_id: str, *, etag: str | None) -> Contact:
        """Mark a contact deleted (a tombstone kept for scrolls and sync) and log `deleted`.

        `etag=None` skips the concurrency check (for APIs without etags).
        """
        with self.store.write(owner_id=owner_id) as conn:
            contact = self._locked(conn, owner_id, contact_id)
            if etag is not None and etag != contact.etag:
                raise EtagConflict(
                    "the contact changed since this etag was read; fetch it again", field="etag"
                )
            contact.etag = new_etag()
            contact.updated_at = max(now_ms(), contact.updated_at + 1)
            contact.deleted_at = contact.updated_at
            contact.tag_ids = []
            self.repo.save(conn, contact)
            self.repo.set_tags(conn, contact.pk, [])
            self.repo.add_live(conn, owner_id, -1)
            self._log(conn, contact, DELETED)
        self._photos_left(contact, photo_urls(contact.data), [])
        return contact

    def restore(self, owner_id: str, contact_id: str, *, within_ms: int) -> Contact:
        """Undo a delete made at most `within_ms` ago: the tombstone becomes a live contact.

        The contact keeps its id, data and metadata, gets a new etag and `updated`, and
        `updated` is logged (a client that saw `deleted` sees it come back). Nothing else
        is re-attached: its tags and uploaded photos went with the delete. A contact that
        is live, unknown, or deleted longer ago than the window is NotFound.
        """
        with self.store.write(owner_id=owner_id) as conn:
            found = self.repo.by_ids_with_tombstones(conn, owner_id, [contact_id])
            contact = found.get(contact_id)
            now = now_ms()
            if (
                contact is None
                or contact.deleted_at is None
                or now - contact.deleted_at > within_ms
            ):
                raise NotFound("no deleted contact to restore", field="contactId")
            contact.deleted_at = None
            contact.tag_ids = []
            contact.etag = new_etag()
            contact.updated_at = max(now, contact.updated_at + 1)
            self.repo.save(conn, contact)
            self.repo.add_live(conn, owner_id, 1)
            self._log(conn, contact, UPDATED)
        return contact

    def record_in(self, conn: Connection, contact: Contact) -> None:
        """Save a contact that a caller changed inside its own write transaction.

        For writes over many contacts at once (`contacts.manageTags`, `contacts.changeOwner`,
        deleting a tag): the contact gets a new etag and `updated`, its tags are stored, and
        `updated` is logged, all in the caller's transaction, exactly as `modify` does for one.
        """
        contact.etag = new_etag()
        contact.updated_at = max(now_ms(), contact.updated_at + 1)
        self.repo.save(conn, contact)
        self._data_saved(conn, contact)
        self.repo.set_tags(conn, contact.pk, contact.tag_ids)
        self._log(conn, contact, UPDATED)

    # -- helpers -----------------------------------------------------------------------

    def _reserve(self, conn: Connection, owner_id: str, count: int) -> None:
        """Count `count` new contacts against the owner's limit, in the write's transaction.

        Over the limit, LimitExceeded rolls the whole write back, the count with it.
        """
        total = self.repo.add_to_count(conn, owner_id, count)
        if total > self.limits.max_contacts_per_owner:
            raise LimitExceeded(
                f"an address book holds at most {self.limits.max_contacts_per_owner} contacts"
                " (deleted ones included)",
                field="contact",
            )

    def _data_saved(self, conn: Connection, contact: Contact) -> None:
        """In the write's transaction: the contact's data was saved (`data_saved`)."""
        if self.data_saved is not None:
            self.data_saved(conn, contact)

    def _photos_left(self, contact: Contact, before: list[str], after: list[str]) -> None:
        """After commit: tell the photo service which URLs the contact no longer holds."""
        gone = [url for url in dict.fromkeys(before) if url not in set(after)]
        if gone and self.photos_removed is not None:
            self.photos_removed(contact.owner_id, contact.contact_id, gone)

    def _locked(self, conn: Connection, owner_id: str, contact_id: str) -> Contact:
        found = self.repo.by_ids(conn, owner_id, [contact_id], for_update=True)
        if contact_id not in found:
            raise NotFound("no such contact", field="contactId")
        return found[contact_id]

    @staticmethod
    def _log(conn: Connection, contact: Contact, action: str) -> None:
        ChangeLog.append(
            conn,
            owner_id=contact.owner_id,
            entity=ENTITY,
            entity_id=contact.contact_id,
            action=action,
            etag=contact.etag,
            occurred_at=contact.updated_at,
        )
