"""The contact service: every read and write of contacts, whatever API asks for it.

The writes are here; the reads are service_reads.py's (`ContactReads`, which
`ContactService` extends), the limits limits.py's. Each write runs in one transaction that also appends its change to the change log, and
gives the contact a new etag and `updated` time, and hands the version it replaced to
the version keeper (versions.py; rolodex.history keeps them). Putting contacts back to a
kept version, a batch at once, is put_back.py's. Ids of another owner behave exactly
like ids that do not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection

from rolodex.contacts.cursors import CursorCodec
from rolodex.contacts.limits import ContactLimits, fitting
from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import PreparedContact
from rolodex.contacts.put_back import PutBack, put_back_many
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service_reads import ContactReads, ScrollPage
from rolodex.contacts.versions import CREATED as MADE
from rolodex.contacts.versions import DELETED as REMOVED
from rolodex.contacts.versions import RESTORED, UNDELETED, Snapshot, VersionKeeper
from rolodex.contacts.versions import UPDATED as CHANGED
from rolodex.errors import EtagConflict, InvalidInput, LimitExceeded, NotFound
from rolodex.ids import new_etag, new_etags, new_id, new_ids
from rolodex.store import Store
from rolodex.store.changelog import CREATED, DELETED, UPDATED, ChangeLog
from rolodex.timestamps import now_ms

__all__ = ["ENTITY", "ContactLimits", "ContactService", "ScrollPage", "fitting", "photo_urls"]

ENTITY = "contact"

# (owner_id, contact_id, photo URLs that left the contact)
PhotosRemoved = Callable[[str, str, list[str]], None]
# (the write's connection, the contact as saved)
DataSaved = Callable[[Connection, Contact], None]
# (the write's connection, the contacts just made, and their prepared forms if any)
ContactsCreated = Callable[[Connection, Sequence[Contact], Sequence[PreparedContact] | None], None]
# (the write's connection, the contacts as saved): `DataSaved` of many in one go
DataSavedMany = Callable[[Connection, Sequence[Contact]], None]


def photo_urls(data: dict[str, Any]) -> list[str]:
    """The `value` of each entry of `contactData.photos`."""
    entries = data.get("photos") or []
    return [e["value"] for e in entries if isinstance(e, dict) and isinstance(e.get("value"), str)]


class ContactService(ContactReads):
    """Every read (service_reads.py) and write of contacts, whatever API asks for it."""

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
        # Its batch form, for writes of many contacts at once (put_back.py).
        self.data_saved_many: DataSavedMany | None = None
        # Set by the Services wiring (rolodex.history): keeps, in each write's transaction,
        # the version the write replaced, and may refuse a deletion (the mass-deletion
        # guard). With it, a deleted contact's photos stay for the trash.
        self.versions: VersionKeeper | None = None
        # Set by the Services wiring (rolodex.duplicates): told, inside the write's
        # transaction, of every contact a create made, once per write (a batch at once).
        self.contacts_created: ContactsCreated | None = None

    # -- writes ------------------------------------------------------------------------

    def create(
        self,
        owner_id: str,
        data: dict[str, Any],
        meta: dict[str, Any] | None = None,
        *,
        tag_ids: Sequence[str] = (),
        tags_in: Callable[[Connection], Sequence[str]] | None = None,
    ) -> Contact:
        """Store a new contact with a fresh id and etag (and its tags), and log `created`.

        `tags_in`, when given, names the contact's tags from inside the write's
        transaction (tags made by name on first use), so that whatever refuses the
        write takes those tags back with it.
        """
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
            if tags_in is not None:
                contact.tag_ids = sorted(set(tags_in(conn)))
            self._reserve(conn, owner_id, 1)
            contact.pk = self.repo.insert(conn, contact)
            if contact.tag_ids:
                self.repo.set_tags(conn, contact.pk, contact.tag_ids)
            self._created(conn, [contact], None)
            self._log(conn, contact, CREATED)
            self.kept(conn, MADE, [(contact, None)])
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
        self._created(conn, new, prepared)
        ChangeLog.append_many(
            conn,
            owner_id=owner_id,
            entity=ENTITY,
            action=CREATED,
            entries=[(c.contact_id, c.etag) for c in new],
            occurred_at=now,
        )
        self.kept(conn, MADE, [(c, None) for c in new])
        return new

    def modify(
        self,
        owner_id: str,
        contact_id: str,
        change: Callable[[Contact], None],
        *,
        expected_etag: str | None,
        field: str = "etag",
        within: Callable[[Connection, Contact], None] | None = None,
        action: str = CHANGED,
    ) -> Contact:
        """Apply `change` to a contact under optimistic concurrency, atomically.

        `expected_etag=None` means the caller does not check (the REST and personal APIs
        without `If-Match`, or `resolveConflicts`); otherwise a stale etag is a conflict
        and nothing is written. `change` edits only what its API can express, which is
        how the fidelity rule of DESIGN.md holds.

        `within`, when given, runs in the write's transaction as soon as the contact is
        found, before its etag is checked: for a change that reads or writes other rows
        (tags made by name). Its refusals come after a 404 and before a 412, and if
        anything refuses the write, the rows it wrote go with it. `action` is what the
        kept version says the write did (a restore of an old version says so).
        """
        with self.store.write(owner_id=owner_id) as conn:
            contact = self._locked(conn, owner_id, contact_id)
            before = self._snapshot(contact)
            photos_before = photo_urls(contact.data)
            if within is not None:
                within(conn, contact)
            if expected_etag is not None and expected_etag != contact.etag:
                raise EtagConflict(
                    "the contact changed since this etag was read; fetch it again", field=field
                )
            change(contact)
            contact.etag = new_etag()
            contact.updated_at = max(now_ms(), contact.updated_at + 1)
            self.repo.save(conn, contact)
            self._data_saved(conn, contact)
            self.repo.set_tags(conn, contact.pk, contact.tag_ids)
            self._log(conn, contact, UPDATED)
            self.kept(conn, action, [(contact, before)])
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

        `etag=None` skips the concurrency check (for APIs without etags). With versions
        kept (rolodex.history), the keeper may refuse first (the mass-deletion guard), and
        the contact's uploaded photos stay for the trash instead of being forgotten.
        """
        if self.versions is not None:
            self.versions.may_delete(owner_id)
        with self.store.write(owner_id=owner_id) as conn:
            contact = self._locked(conn, owner_id, contact_id)
            if etag is not None and etag != contact.etag:
                raise EtagConflict(
                    "the contact changed since this etag was read; fetch it again", field="etag"
                )
            before = self._snapshot(contact)
            contact.etag = new_etag()
            contact.updated_at = max(now_ms(), contact.updated_at + 1)
            contact.deleted_at = contact.updated_at
            contact.tag_ids = []
            self.repo.save(conn, contact)
            self.repo.set_tags(conn, contact.pk, [])
            self.repo.add_live(conn, owner_id, -1)
            self._log(conn, contact, DELETED)
            self.kept(conn, REMOVED, [(contact, before)])
        if self.versions is None:
            self._photos_left(contact, photo_urls(contact.data), [])
        return contact

    def may_delete_many(self, owner_id: str, count: int) -> None:
        """Before a deletion of `count` contacts at once: the mass-deletion guard's say."""
        if self.versions is not None and count > 0:
            self.versions.may_delete(owner_id, count)

    def delete_many_in(self, conn: Connection, found: Sequence[Contact]) -> None:
        """Delete these live contacts of one owner (read in the caller's write, after
        `may_delete_many`), as `delete` does each: tombstones, `deleted` changes, kept
        versions, one statement per kind of row for the batch (put_back.py). Their
        uploaded photos stay for the trash (rolodex.history keeps versions)."""
        self.put_back_many_in(conn, [PutBack(c, Snapshot.of(c), (), True, REMOVED) for c in found])

    def restore(
        self,
        owner_id: str,
        contact_id: str,
        *,
        within_ms: int,
        tags_in: Callable[[Connection, Contact], Sequence[str]] | None = None,
    ) -> Contact:
        """Undo a delete made at most `within_ms` ago: the tombstone becomes a live contact.

        The contact keeps its id, data and metadata, gets a new etag and `updated`, and
        `updated` is logged (a client that saw `deleted` sees it come back). Its tags are
        those `tags_in` names from inside the write (the trash keeps them: rolodex.history),
        else none. A contact that is live, unknown, or deleted longer ago than the window
        is NotFound.
        """
        with self.store.write(owner_id=owner_id) as conn:
            found = self.repo.by_ids_with_tombstones(conn, owner_id, [contact_id])
            contact = found.get(contact_id)
            if (
                contact is None
                or contact.deleted_at is None
                or now_ms() - contact.deleted_at > within_ms
            ):
                raise NotFound("no deleted contact to restore", field="contactId")
            tags = list(tags_in(conn, contact)) if tags_in is not None else []
            state = Snapshot.of(contact)
            self.put_back_in(conn, contact, state, tags, deleted=False, action=UNDELETED)
        return contact

    def put_back_in(
        self,
        conn: Connection,
        contact: Contact,
        state: Snapshot,
        tag_ids: Sequence[str],
        *,
        deleted: bool,
        action: str = RESTORED,
    ) -> Contact:
        """Give a contact (read in the caller's write transaction) the data and metadata of
        `state`, these tags, and live or deleted as asked: a normal write (new etag and
        `updated`, the change logged, the version it replaced kept). For undelete, restore
        and undo (rolodex.history); `put_back_many_in` does a batch at once.
        """
        self.put_back_many_in(conn, [PutBack(contact, state, tag_ids, deleted, action)])
        return contact

    def put_back_many_in(self, conn: Connection, batch: Sequence[PutBack]) -> None:
        """`put_back_in` of many contacts of one owner at once (put_back.py)."""
        put_back_many(self, conn, batch)

    def record_in(self, conn: Connection, contact: Contact) -> None:
        """Save a contact that a caller changed inside its own write transaction.

        For writes over many contacts at once (`contacts.manageTags`, `contacts.changeOwner`,
        deleting a tag): the contact gets a new etag and `updated`, its tags are stored, and
        `updated` is logged, all in the caller's transaction, exactly as `modify` does for one.
        """
        before = None
        if self.versions is not None:
            stored = self.repo.by_ids_with_tombstones(conn, contact.owner_id, [contact.contact_id])
            before = Snapshot.of(stored[contact.contact_id]) if stored else None
        contact.etag = new_etag()
        contact.updated_at = max(now_ms(), contact.updated_at + 1)
        self.repo.save(conn, contact)
        self._data_saved(conn, contact)
        self.repo.set_tags(conn, contact.pk, contact.tag_ids)
        self._log(conn, contact, UPDATED)
        self.kept(conn, CHANGED, [(contact, before)])

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

    def _snapshot(self, contact: Contact) -> Snapshot | None:
        """The contact as read, before the write changes it: only when versions are kept."""
        return Snapshot.of(contact) if self.versions is not None else None

    def kept(
        self, conn: Connection, action: str, changes: Sequence[tuple[Contact, Snapshot | None]]
    ) -> None:
        """In the write's transaction: hand what changed to the version keeper, if any."""
        if self.versions is not None:
            self.versions.kept(conn, action, changes)

    def data_saved_in(self, conn: Connection, contact: Contact) -> None:
        """In the write's transaction: the contact's data was saved (`data_saved`)."""
        self._data_saved(conn, contact)

    def data_saved_many_in(self, conn: Connection, contacts: Sequence[Contact]) -> None:
        """`data_saved_in` of many contacts at once (one statement where the hook has a batch form)."""
        if self.data_saved_many is not None:
            self.data_saved_many(conn, contacts)
            return
        for contact in contacts:
            self._data_saved(conn, contact)

    def _data_saved(self, conn: Connection, contact: Contact) -> None:
        """In the write's transaction: the contact's data was saved (`data_saved`)."""
        if self.data_saved is not None:
            self.data_saved(conn, contact)

    def _created(
        self,
        conn: Connection,
        contacts: Sequence[Contact],
        prepared: Sequence[PreparedContact] | None,
    ) -> None:
        """In the write's transaction: these contacts were made (`contacts_created`)."""
        if self.contacts_created is not None and contacts:
            self.contacts_created(conn, contacts, prepared)

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
