"""MergeService: a group of one person's records made one, and the merge undone.

A merge is one transaction: the survivor gets the merged data (merging.py, or the
caller's own `contactData`), the other records become tombstones, and the merge is
recorded (`merges`: each record as it was, and the etags the merge gave them). To
every client it is ordinary writes: personal sync, CardDAV and webhooks learn of one
update and the deletions, and the kept versions name the merge as who made them
(`acting_as` an actor of kind `merge`, with the caller's account and credential).

The deletions do not go past the mass-deletion guard: they are a person's deliberate
act (the guard holds a credential's deletions, and counts them by its name: a merge's
are named "merge"), and `unmerge` takes every one back.

`unmerge` puts every record back from what the merge kept: the same ids, data,
metadata and tags, live again, with new etags. If any of them changed since the merge
(the survivor edited, a tombstone undeleted), it is a `MergeChanged` (a Conflict, the
changed records in it as they are now, so a page can say who changed them) unless
`force`. `recent` lists an owner's merges not undone, so any of them can be taken back.

What the records' cards held that has no field (their kept vCard extras) is the formats'
business, so two hooks (wired in services.py: rolodex.transfer.extras) carry it: `cards_merged`
gives the survivor's card row every merged-away card's extras, in the merge's
transaction, and returns the row as it was, kept with the survivor's snapshot
(`befores[0]["card"]`); `card_restored` puts that back on unmerge. A dry run writes
nothing, so it shows the merged `contactData` only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update

from rolodex.actors import MERGE, Actor, acting_as, current
from rolodex.contacts.model import Contact, clean_contact_data
from rolodex.contacts.put_back import PutBack
from rolodex.contacts.service import ContactService
from rolodex.contacts.versions import DELETED, RESTORED, UPDATED, Snapshot
from rolodex.duplicates.merging import merge_data, merge_meta, merge_tags
from rolodex.errors import Conflict, InvalidInput, NotFound
from rolodex.ids import new_id
from rolodex.store import Store
from rolodex.store.schema import merges
from rolodex.timestamps import now_ms

MAX_MERGE = 50
RECENT = 20

# (conn, the group as it was, the survivor first; the merged data) -> the survivor's card
# row as it was, or None when the merge left it alone.
CardsMerged = Callable[[Connection, Sequence[Contact], dict[str, Any]], dict[str, Any] | None]
# (conn, the survivor as put back, what `CardsMerged` returned).
CardRestored = Callable[[Connection, Contact, dict[str, Any]], None]


class MergeChanged(Conflict):
    """Unmerge refused: contacts of the merge changed since it (`changed`, as they are now)."""

    def __init__(self, changed: list[Contact]) -> None:
        super().__init__(
            "contacts changed since the merge: "
            + ", ".join(c.contact_id for c in changed)
            + "; pass force to put them back anyway",
            field="mergeId",
        )
        self.changed = changed


@dataclass(frozen=True, slots=True)
class MergeRecord:
    """A merge that can still be undone: its survivor and every contact it took in."""

    merge_id: str
    survivor_id: str
    contact_ids: tuple[str, ...]
    created_at: int


@contextmanager
def as_merge(name: str = "merge") -> Iterator[Actor]:
    """State the merge's writes: kind `merge`, with the caller's account and credential."""
    outer = current()
    actor = Actor(
        kind=MERGE,
        name=name,
        account_id=outer.account_id if outer else None,
        credential_id=outer.credential_id if outer else None,
    )
    with acting_as(actor):
        yield actor


def _check_ids(contact_ids: Sequence[str], survivor_id: str | None) -> None:
    if len(contact_ids) < 2:
        raise InvalidInput("name at least two contacts to merge", field="contactIds")
    if len(contact_ids) > MAX_MERGE:
        raise InvalidInput(f"at most {MAX_MERGE} contacts merge at once", field="contactIds")
    if len(set(contact_ids)) != len(contact_ids):
        raise InvalidInput("a contact is named more than once", field="contactIds")
    if survivor_id is not None and survivor_id not in contact_ids:
        raise InvalidInput("the survivor must be one of contactIds", field="survivorId")


def _snapshot_json(s: Snapshot) -> dict[str, Any]:
    return {
        "etag": s.etag,
        "updatedAt": s.updated_at,
        "deletedAt": s.deleted_at,
        "data": s.data_json,
        "meta": s.meta_json,
        "tagIds": list(s.tag_ids),
    }


def _snapshot_of(raw: dict[str, Any]) -> Snapshot:
    return Snapshot(
        etag=raw["etag"],
        updated_at=raw["updatedAt"],
        deleted_at=raw["deletedAt"],
        data_json=raw["data"],
        meta_json=raw["meta"],
        tag_ids=tuple(raw["tagIds"]),
    )


class MergeService:
    def __init__(
        self,
        store: Store,
        contacts: ContactService,
        cards_merged: CardsMerged | None = None,
        card_restored: CardRestored | None = None,
    ) -> None:
        self.store = store
        self.contacts = contacts
        self.cards_merged = cards_merged
        self.card_restored = card_restored

    def merge(
        self,
        owner_id: str,
        contact_ids: Sequence[str],
        survivor_id: str | None = None,
        contact_data: dict[str, Any] | None = None,
        *,
        dry_run: bool = False,
    ) -> tuple[Contact, str | None]:
        """Merge the contacts into the survivor (the first named when none is); with
        `dry_run`, the survivor as it would be and no merge id, nothing written."""
        ids = list(contact_ids)
        _check_ids(ids, survivor_id)
        survivor_id = survivor_id or ids[0]
        if contact_data is not None:
            contact_data = clean_contact_data(contact_data, field_name="contactData")
        if dry_run:
            with self.store.read() as conn:
                group = self._group(conn, owner_id, ids, survivor_id)
                return self._merged(group, contact_data), None
        with as_merge(), self.store.write(owner_id=owner_id) as conn:
            group = self._group(conn, owner_id, ids, survivor_id, lock=True)
            befores = [Snapshot.of(c) for c in group]
            merged = self._merged(group, contact_data)
            survivor, others = group[0], group[1:]
            card = self.cards_merged(conn, group, merged.data) if self.cards_merged else None
            kept = [_snapshot_json(s) for s in befores]
            if card is not None:
                kept[0]["card"] = card
            state = Snapshot.of(merged)
            batch = [PutBack(survivor, state, merged.tag_ids, deleted=False, action=UPDATED)]
            batch += [PutBack(c, Snapshot.of(c), [], deleted=True, action=DELETED) for c in others]
            self.contacts.put_back_many_in(conn, batch)
            merge_id = new_id("m_")
            conn.execute(
                insert(merges).values(
                    merge_id=merge_id,
                    owner_id=owner_id,
                    survivor_id=survivor.contact_id,
                    contact_ids=orjson.dumps([c.contact_id for c in group]).decode(),
                    befores=orjson.dumps(kept).decode(),
                    after_etags=orjson.dumps({c.contact_id: c.etag for c in group}).decode(),
                    created_at=now_ms(),
                )
            )
        return survivor, merge_id

    def unmerge(self, owner_id: str, merge_id: str, *, force: bool = False) -> list[Contact]:
        """Every contact of the merge as it was before it (the module docstring)."""
        with as_merge("unmerge"), self.store.write(owner_id=owner_id) as conn:
            row = conn.execute(
                select(merges).where(merges.c.owner_id == owner_id, merges.c.merge_id == merge_id)
            ).first()
            if row is None:
                raise NotFound("no such merge", field="mergeId")
            if row.undone_at is not None:
                raise Conflict("this merge was already undone", field="mergeId")
            ids: list[str] = orjson.loads(row.contact_ids)
            raws: list[dict[str, Any]] = orjson.loads(row.befores)
            befores = [_snapshot_of(raw) for raw in raws]
            after: dict[str, str] = orjson.loads(row.after_etags)
            found = self.contacts.repo.by_ids_with_tombstones(conn, owner_id, ids)
            if any(i not in found for i in ids):
                raise NotFound("a merged contact no longer exists", field="mergeId")
            changed = [found[i] for i in ids if found[i].etag != after[i]]
            if changed and not force:
                raise MergeChanged(changed)
            batch = [
                PutBack(found[i], s, s.tag_ids, deleted=s.deleted_at is not None, action=RESTORED)
                for i, s in zip(ids, befores, strict=True)
            ]
            self.contacts.put_back_many_in(conn, batch)
            card = raws[0].get("card")
            if isinstance(card, dict) and self.card_restored is not None:
                self.card_restored(conn, found[ids[0]], card)
            conn.execute(
                update(merges).where(merges.c.merge_id == merge_id).values(undone_at=now_ms())
            )
        return [found[i] for i in ids]

    def recent(self, owner_id: str, limit: int = RECENT) -> list[MergeRecord]:
        """The owner's merges not undone, newest first (at most `limit`)."""
        m = merges.c
        with self.store.read() as conn:
            rows = conn.execute(
                select(m.merge_id, m.survivor_id, m.contact_ids, m.created_at)
                .where(m.owner_id == owner_id, m.undone_at.is_(None))
                .order_by(m.created_at.desc(), m.merge_id.desc())
                .limit(limit)
            ).all()
        return [
            MergeRecord(r.merge_id, r.survivor_id, tuple(orjson.loads(r.contact_ids)), r.created_at)
            for r in rows
        ]

    def _group(
        self,
        conn: Connection,
        owner_id: str,
        ids: list[str],
        survivor_id: str,
        *,
        lock: bool = False,
    ) -> list[Contact]:
        """The live contacts, the survivor first; any unknown (or another owner's) is 404."""
        found = self.contacts.repo.by_ids(conn, owner_id, ids, for_update=lock)
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound("no such contact: " + ", ".join(missing), field="contactIds")
        return [found[survivor_id]] + [found[i] for i in ids if i != survivor_id]

    @staticmethod
    def _merged(group: list[Contact], contact_data: dict[str, Any] | None) -> Contact:
        """The survivor as the merge makes it (a copy; nothing saved)."""
        data = contact_data
        if data is None:
            data = merge_data([c.data for c in group])
            try:
                data = clean_contact_data(data, field_name="contactData")
            except InvalidInput as exc:
                raise InvalidInput(
                    "the merged contact would be too large; send contactData", field="contactData"
                ) from exc
        first = group[0]
        return Contact(
            pk=first.pk,
            contact_id=first.contact_id,
            owner_id=first.owner_id,
            etag=first.etag,
            created_at=first.created_at,
            updated_at=first.updated_at,
            deleted_at=None,
            data=data,
            meta=merge_meta([c.meta for c in group]),
            tag_ids=merge_tags([c.tag_ids for c in group]),
        )
