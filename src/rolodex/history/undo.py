"""Undo one client: put back every contact one source changed since a moment.

A creation is undone by deleting the contact, a deletion by undeleting it, an edit by
restoring the version before that source's first change since the moment. A contact that
someone else changed after the source's last change is not touched: it is a conflict,
listed for a person to look at. Each put-back is a normal, versioned write, so an undo
can be undone too. Contacts are put back in batches, each batch one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from rolodex.contacts.model import Contact
from rolodex.contacts.put_back import PutBack
from rolodex.contacts.service import ContactService
from rolodex.contacts.versions import DELETED, RESTORED, UNDELETED, Snapshot
from rolodex.errors import InvalidInput
from rolodex.history.model import Change
from rolodex.history.repository import VersionRepository
from rolodex.store import Store

BATCH = 500


@dataclass
class UndoOutcome:
    """What an undo did (or, for a dry run, would do): contact ids by what is done to them."""

    dry_run: bool
    undeleted: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.undeleted) + len(self.deleted) + len(self.restored)


@dataclass(frozen=True, slots=True)
class _Plan:
    contact_id: str
    first: Change
    last: Change


class Undo:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self.store = store
        self.contacts = contacts

    def run(
        self,
        owner_id: str,
        *,
        since: int,
        credential_id: str | None = None,
        name: str | None = None,
        dry_run: bool = False,
    ) -> UndoOutcome:
        """Undo what the source (a credential id, or a source name) did since `since` (ms)."""
        if credential_id is None and name is None:
            raise InvalidInput("name the credential to undo", field="credentialId")
        with self.store.read() as conn:
            changes = VersionRepository.by_source(
                conn, owner_id, since=since, credential_id=credential_id, name=name
            )
        plans = _plans(changes)
        outcome = UndoOutcome(dry_run=dry_run)
        for start in range(0, len(plans), BATCH):
            batch = plans[start : start + BATCH]
            if dry_run:
                with self.store.read() as conn:
                    self._batch(conn, owner_id, batch, outcome, write=False)
            else:
                with self.store.write(owner_id=owner_id) as conn:
                    self._batch(conn, owner_id, batch, outcome, write=True)
        return outcome

    def _batch(
        self,
        conn: Connection,
        owner_id: str,
        batch: Sequence[_Plan],
        outcome: UndoOutcome,
        *,
        write: bool,
    ) -> None:
        ids = [plan.contact_id for plan in batch]
        latest = VersionRepository.latest_of(conn, owner_id, ids)
        found = self.contacts.repo.by_ids_with_tombstones(conn, owner_id, ids)
        wanted = {t for plan in batch if plan.first.before for t in plan.first.before.tag_ids}
        live_tags = set(VersionRepository.live_tags(conn, owner_id, sorted(wanted)))
        put_back: list[PutBack] = []
        for plan in batch:
            contact = found.get(plan.contact_id)
            if contact is None:
                continue
            if (
                latest.get(plan.contact_id) != plan.last.version_id
                or contact.etag != plan.last.etag
            ):
                outcome.conflicts.append(plan.contact_id)
                continue
            item = _put_back(plan, contact, live_tags, outcome)
            if item is not None:
                put_back.append(item)
        if write:
            self.contacts.put_back_many_in(conn, put_back)


def _put_back(
    plan: _Plan, contact: Contact, live_tags: set[str], outcome: UndoOutcome
) -> PutBack | None:
    """What undoing the source does to this contact (noted in `outcome`), if anything."""
    target = plan.first.before
    if target is None or target.deleted_at is not None:
        # It did not exist (or was deleted) before the source's first change.
        if contact.deleted:
            return None
        outcome.deleted.append(contact.contact_id)
        return PutBack(contact, Snapshot.of(contact), [], deleted=True, action=DELETED)
    (outcome.undeleted if contact.deleted else outcome.restored).append(contact.contact_id)
    action = UNDELETED if contact.deleted else RESTORED
    tags = [t for t in target.tag_ids if t in live_tags]
    return PutBack(contact, target, tags, deleted=False, action=action)


def _plans(changes: Sequence[Change]) -> list[_Plan]:
    """Per contact, in the order first changed: the source's first and last change."""
    firsts: dict[str, Change] = {}
    lasts: dict[str, Change] = {}
    for change in changes:
        firsts.setdefault(change.contact_id, change)
        lasts[change.contact_id] = change
    return [_Plan(cid, first, lasts[cid]) for cid, first in firsts.items()]
