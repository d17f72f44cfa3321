"""Putting contacts back to a kept state, many at once: undelete, restore, undo.

`ContactService.put_back_many_in` gives each contact of a batch the data and metadata of
a `Snapshot`, its tags, and live or deleted, as a normal write: a new etag and
`updated`, the change logged (webhooks, sync), the version it replaced kept. With one
statement per kind of row for the whole batch (an undo of 10,000 deletions goes 500 at
a time: rolodex.history.undo), not one per contact; an undeleted contact's search
document comes back from where its deletion put it (contacts/search/index.py) instead of
being built again. A contact put back to the version a CardDAV client's card was sent
for serves that card again as it was sent (`CardRepository.carry_raw`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from rolodex.contacts.cards import CardRepository
from rolodex.contacts.model import Contact
from rolodex.contacts.versions import RESTORED, UNDELETED, Snapshot
from rolodex.ids import new_etags
from rolodex.store.changelog import DELETED, UPDATED, ChangeLog
from rolodex.timestamps import now_ms

if TYPE_CHECKING:
    from rolodex.contacts.service import ContactService

ENTITY = "contact"


@dataclass(frozen=True, slots=True)
class PutBack:
    """One contact of a batch: the state it gets, its tags, deleted or live, and what its
    kept version says the write did."""

    contact: Contact
    state: Snapshot
    tag_ids: Sequence[str]
    deleted: bool
    action: str = RESTORED


def put_back_many(service: ContactService, conn: Connection, batch: Sequence[PutBack]) -> None:
    """The batch's contacts (of one owner, read in `conn`'s write transaction), put back."""
    if not batch:
        return
    # One time for the batch: later than now and than every contact's last write.
    when = max(now_ms(), *(item.contact.updated_at + 1 for item in batch))
    befores = [Snapshot.of(item.contact) for item in batch]
    live_change = 0
    for item, etag in zip(batch, new_etags(len(batch)), strict=True):
        contact = item.contact
        contact.data = item.state.data_json
        contact.meta = item.state.meta_json
        contact.tag_ids = [] if item.deleted else sorted(set(item.tag_ids))
        contact.etag = etag
        contact.updated_at = when
        live_change += int(contact.deleted) - int(item.deleted)
        contact.deleted_at = when if item.deleted else None
    contacts = [item.contact for item in batch]
    service.repo.save_many(conn, contacts)
    # Only a kept version put back whole (a merge's survivor is a new state: UPDATED).
    CardRepository.carry_raw(
        conn,
        [
            (i.contact.pk, i.state.etag, i.contact.etag)
            for i in batch
            if not i.deleted
            and i.action in (RESTORED, UNDELETED)
            and i.contact.tag_ids == sorted(set(i.state.tag_ids))
        ],
    )
    service.data_saved_many_in(conn, [c for c in contacts if not c.deleted])
    service.repo.set_tags_many(conn, [(c.pk, c.tag_ids) for c in contacts])
    owner_id = contacts[0].owner_id
    if live_change:
        service.repo.add_live(conn, owner_id, live_change)
    logged: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    kept: dict[str, list[tuple[Contact, Snapshot | None]]] = defaultdict(list)
    for item, before in zip(batch, befores, strict=True):
        logged[DELETED if item.deleted else UPDATED].append(
            (item.contact.contact_id, item.contact.etag)
        )
        kept[item.action].append((item.contact, before))
    for action, entries in logged.items():
        ChangeLog.append_many(
            conn, owner_id=owner_id, entity=ENTITY, action=action, entries=entries, occurred_at=when
        )
    for action, changes in kept.items():
        service.kept(conn, action, changes)
