"""The history service: a contact's versions, the trash, restores, and what each client did.

Every put-back (`restore_version`, `undelete`, `undo`: undo.py) is a normal write through
`ContactService.put_back_in`: a new etag and `updated`, the change logged (webhooks, sync
tokens), and the version it replaced kept, so that it can be undone in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Connection

from rolodex.contacts.cursors import CursorCodec
from rolodex.contacts.model import Contact
from rolodex.contacts.search import index as search_index
from rolodex.contacts.service import ContactService, photo_urls
from rolodex.contacts.versions import Snapshot
from rolodex.errors import EtagConflict, NotFound
from rolodex.history.guard import DeletionGuard, Hold
from rolodex.history.model import UNKNOWN, Activity, Change, Source, Trashed, Version
from rolodex.history.repository import VersionRepository
from rolodex.history.undo import Undo, UndoOutcome
from rolodex.settings import HistorySettings
from rolodex.store import Store
from rolodex.timestamps import now_ms

DAY_MS = 24 * 3600 * 1000
_HISTORY = "history"
_TRASH = "trash"

# (owner_id, contact_id, photo URLs): PhotoService.forget, once a contact leaves the trash.
ForgetPhotos = Callable[[str, str, list[str]], None]


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    cursor: str | None


class HistoryService:
    def __init__(
        self,
        store: Store,
        contacts: ContactService,
        settings: HistorySettings,
        cursors: CursorCodec,
        guard: DeletionGuard,
    ) -> None:
        self.store = store
        self.contacts = contacts
        self.settings = settings
        self.cursors = cursors
        self.guard = guard
        self.undo = Undo(store, contacts)
        # Set by the Services wiring (rolodex.photos): the uploaded photos of a contact
        # whose trash time is over, or that was emptied from the trash.
        self.forget_photos: ForgetPhotos | None = None

    # -- reading -----------------------------------------------------------------------

    def history(
        self, owner_id: str, contact_id: str, *, size: int | None = None, cursor: str | None = None
    ) -> Page[Version]:
        """The kept versions of a contact (deleted ones too), newest first, a page at a time.

        Each version's `source` is who made it (the change before the one that replaced
        it), UNKNOWN when that change is no longer kept.
        """
        limit = self.contacts.page_size(size)
        before_pk = None
        if cursor is not None:
            [before_pk] = self.cursors.decode(
                cursor, _HISTORY, f"{owner_id}/{contact_id}", field="cursor", shape="i"
            )
        self._known(owner_id, contact_id)
        with self.store.read() as conn:
            changes = VersionRepository.of_contact(
                conn, owner_id, contact_id, before_pk=before_pk, limit=limit + 1
            )
        versions = []
        for i, change in enumerate(changes[:limit]):
            if change.before is None:
                continue
            made_by = changes[i + 1].source if i + 1 < len(changes) else UNKNOWN
            versions.append(
                Version(
                    change.version_id,
                    contact_id,
                    change.before,
                    made_by,
                    change.changed_at,
                    change.source,
                )
            )
        next_cursor = None
        if len(changes) > limit:
            next_cursor = self.cursors.encode(
                _HISTORY, f"{owner_id}/{contact_id}", changes[limit - 1].version_id
            )
        return Page(versions, next_cursor)

    def latest_change(self, owner_id: str, contact_id: str) -> Change | None:
        """The newest kept write to a contact: who made its current version, and when.

        None when none is kept (purged, or written before versions were kept); the caller
        compares its `etag` with the contact's to know it is the current version's.
        """
        with self.store.read() as conn:
            found = VersionRepository.of_contact(
                conn, owner_id, contact_id, before_pk=None, limit=1
            )
        return found[0] if found else None

    def trash(
        self, owner_id: str, *, size: int | None = None, cursor: str | None = None
    ) -> Page[Trashed]:
        """The contacts deleted within the trash period, newest deletion first."""
        limit = self.contacts.page_size(size)
        after = None
        if cursor is not None:
            deleted_at, pk = self.cursors.decode(
                cursor, _TRASH, owner_id, field="cursor", shape="ii"
            )
            after = (int(deleted_at), int(pk))
        with self.store.read() as conn:
            rows = VersionRepository.trash_page(
                conn, owner_id, deleted_since=self._trash_cutoff(), after=after, limit=limit + 1
            )
            deletions = VersionRepository.last_deletions(
                conn, owner_id, [r.contact_id for r in rows]
            )
        items = []
        for row in rows[:limit]:
            deletion = deletions.get(row.contact_id)
            tags = deletion.before.tag_ids if deletion and deletion.before else ()
            state = Snapshot(row.etag, row.updated_at, row.deleted_at, row.data, row.meta, tags)
            source = deletion.source if deletion else UNKNOWN
            items.append(Trashed(row.contact_id, int(row.deleted_at), state, source))
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = self.cursors.encode(_TRASH, owner_id, last.deleted_at, last.pk)
        return Page(items, next_cursor)

    def activity(self, owner_id: str, since: int) -> list[Activity]:
        """What each source did in the book since a moment, most contacts first."""
        with self.store.read() as conn:
            rows = VersionRepository.activity(conn, owner_id, since)
        found: dict[tuple[str, str, str | None], dict[str, int]] = {}
        for kind, name, credential_id, action, count, first, last in rows:
            entry = found.setdefault(
                (kind, name, credential_id),
                {"created": 0, "changed": 0, "deleted": 0, "first": first, "last": last},
            )
            bucket = action if action in ("created", "deleted") else "changed"
            entry[bucket] += int(count)
            entry["first"] = min(entry["first"], int(first))
            entry["last"] = max(entry["last"], int(last))
        out = [
            Activity(
                Source(k, n, c), e["created"], e["changed"], e["deleted"], e["first"], e["last"]
            )
            for (k, n, c), e in found.items()
        ]
        return sorted(out, key=lambda a: -(a.created + a.changed + a.deleted))

    def holds(self, owner_id: str) -> list[Hold]:
        return self.guard.holds(owner_id)

    def release(self, owner_id: str, credential_id: str) -> bool:
        """A person confirms a held credential's deletions (guard.py)."""
        return self.guard.release(owner_id, credential_id)

    # -- putting back ------------------------------------------------------------------

    def restore_version(
        self,
        owner_id: str,
        contact_id: str,
        version_id: int,
        *,
        etag: str | None,
        force: bool = False,
    ) -> Contact:
        """Bring a live contact back to a kept version (its data, metadata and live tags).

        The etag rule: unless `force`, `etag` must be the contact's current one, else
        EtagConflict and nothing is written. A deleted contact is undeleted first.
        """
        with self.store.write(owner_id=owner_id) as conn:
            change = VersionRepository.one(conn, owner_id, contact_id, version_id)
            if change is None or change.before is None:
                raise NotFound("no such version of this contact", field="versionId")
            found = self.contacts.repo.by_ids_with_tombstones(conn, owner_id, [contact_id])
            contact = found.get(contact_id)
            if contact is None:
                raise NotFound("no such contact", field="contactId")
            if not force and etag != contact.etag:
                raise EtagConflict(
                    "the contact changed since this etag was read; fetch it again", field="etag"
                )
            tags = VersionRepository.live_tags(conn, owner_id, change.before.tag_ids)
            return self.contacts.put_back_in(conn, contact, change.before, tags, deleted=False)

    def undelete(self, owner_id: str, contact_id: str) -> Contact:
        """Bring a contact back from the trash with its id, data, tags and photos."""
        return self.contacts.restore(
            owner_id,
            contact_id,
            within_ms=self.settings.trash_days * DAY_MS,
            tags_in=self._tags_before,
        )

    def empty_trash(self, owner_id: str, contact_ids: Sequence[str] | None = None) -> int:
        """Drop the kept versions of trashed contacts (all, or these): they become plain
        tombstones at once, their uploaded photos deleted. How many were emptied."""
        emptied = 0
        cursor = None
        while True:
            page = self.trash(owner_id, size=self.contacts.limits.max_page_size, cursor=cursor)
            for item in page.items:
                if contact_ids is None or item.contact_id in contact_ids:
                    self.leave_trash(owner_id, item.contact_id, photo_urls(item.state.data()))
                    emptied += 1
            if page.cursor is None:
                return emptied
            cursor = page.cursor

    def leave_trash(self, owner_id: str, contact_id: str, photos: list[str]) -> None:
        """A deleted contact stops being restorable: its versions and photos go."""
        with self.store.write(owner_id=owner_id) as conn:
            VersionRepository.forget_contact(conn, owner_id, contact_id)
            search_index.forget_trashed(conn, owner_id, [contact_id])
        if photos and self.forget_photos is not None:
            self.forget_photos(owner_id, contact_id, photos)

    def undo_credential(
        self,
        owner_id: str,
        *,
        since: int,
        credential_id: str | None = None,
        name: str | None = None,
        dry_run: bool = False,
    ) -> UndoOutcome:
        """Undo everything one client did since `since` (undo.py), or count it (`dry_run`)."""
        return self.undo.run(
            owner_id, since=since, credential_id=credential_id, name=name, dry_run=dry_run
        )

    # -- helpers -----------------------------------------------------------------------

    def _trash_cutoff(self) -> int:
        return now_ms() - self.settings.trash_days * DAY_MS

    def _tags_before(self, conn: Connection, contact: Contact) -> list[str]:
        """The live tags a deleted contact had, from its last kept deletion."""
        deletion = VersionRepository.last_deletions(conn, contact.owner_id, [contact.contact_id])
        change = deletion.get(contact.contact_id)
        if change is None or change.before is None:
            # Emptied from the trash (or deleted before versions were kept).
            raise NotFound("no deleted contact to restore", field="contactId")
        return VersionRepository.live_tags(conn, contact.owner_id, change.before.tag_ids)

    def _known(self, owner_id: str, contact_id: str) -> None:
        if not self.contacts.get_with_tombstones(owner_id, [contact_id]):
            raise NotFound("no such contact", field="contactId")


__all__ = ["HistoryService", "Page", "UndoOutcome"]
