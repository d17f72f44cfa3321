"""The bounded purge: keeps what the retention settings promise, and no more.

A version is purged once it is older than `days`, unless it is among the `keep` newest of
its contact; a deleted contact leaves the trash after `trash_days` (its versions dropped,
its uploaded photos deleted) and is then the plain tombstone it was before history.

Each pass reads at most `purge_batch` versions in key order (the order they were made)
from where the last pass stopped, and deletes in one short transaction: it never holds
the writers for long. A pass that reaches versions too young to purge starts over from
the oldest next time, so versions kept only by the `keep` rule are looked at again once
newer ones push them out. The background worker (webhooks/delivery.py) runs `run_due`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import orjson
from sqlalchemy import delete, select

from rolodex.contacts.service import photo_urls
from rolodex.history.service import DAY_MS, HistoryService
from rolodex.settings import HistorySettings
from rolodex.store import Store
from rolodex.store.schema import contact_versions as v
from rolodex.store.schema import contacts
from rolodex.timestamps import now_ms

log = logging.getLogger("rolodex.history")


class HistoryPurge:
    def __init__(self, store: Store, settings: HistorySettings, history: HistoryService) -> None:
        self.store = store
        self.settings = settings
        self.history = history
        self._after = 0
        self._next_at = 0

    def run_due(self, now: int | None = None) -> None:
        """One pass when one is due: at once while a cycle through the versions is under
        way (the worker's next tick), else every `purge_interval_seconds`. A failure is
        logged and tried again next time."""
        now = now_ms() if now is None else now
        if now < self._next_at:
            return
        try:
            self.run(now)
        except Exception:
            log.exception("purging history failed; trying again")
            self._after = 0
        mid_cycle = self._after != 0
        self._next_at = now if mid_cycle else now + int(self.settings.purge_interval_seconds * 1000)

    def run(self, now: int | None = None) -> int:
        """One pass over at most `purge_batch` versions; how many versions it looked at."""
        now = now_ms() if now is None else now
        version_cutoff = now - self.settings.days * DAY_MS
        trash_cutoff = now - self.settings.trash_days * DAY_MS
        with self.store.read() as conn:
            rows = conn.execute(
                select(v.c.pk, v.c.owner_id, v.c.contact_id, v.c.changed_at)
                .where(v.c.pk > self._after)
                .order_by(v.c.pk)
                .limit(self.settings.purge_batch)
            ).all()
        old = [r for r in rows if r.changed_at < max(version_cutoff, trash_cutoff)]
        young = len(old) < len(rows) or len(rows) < self.settings.purge_batch
        self._after = 0 if young else rows[-1].pk
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for row in old:
            groups[(row.owner_id, row.contact_id)].append(row)
        self._purge(groups, version_cutoff, trash_cutoff)
        return len(rows)

    def _purge(
        self, groups: dict[tuple[str, str], list[Any]], version_cutoff: int, trash_cutoff: int
    ) -> None:
        if not groups:
            return
        with self.store.read() as conn:
            found = {
                (r.owner_id, r.contact_id): r
                for r in conn.execute(
                    select(
                        contacts.c.owner_id,
                        contacts.c.contact_id,
                        contacts.c.deleted_at,
                        contacts.c.data,
                    ).where(contacts.c.contact_id.in_([cid for _, cid in groups]))
                )
            }
            drop: list[int] = []
            for key, rows in groups.items():
                contact = found.get(key)
                if contact is None or (
                    contact.deleted_at is not None and contact.deleted_at < trash_cutoff
                ):
                    continue
                keep = set(
                    conn.execute(
                        select(v.c.pk)
                        .where(v.c.owner_id == key[0], v.c.contact_id == key[1])
                        .order_by(v.c.pk.desc())
                        .limit(self.settings.keep)
                    ).scalars()
                )
                drop += [r.pk for r in rows if r.changed_at < version_cutoff and r.pk not in keep]
        if drop:
            with self.store.write() as conn:
                conn.execute(delete(v).where(v.c.pk.in_(drop)))
        for owner_id, contact_id in groups:
            contact = found.get((owner_id, contact_id))
            if contact is None:
                self.history.leave_trash(owner_id, contact_id, [])
            elif contact.deleted_at is not None and contact.deleted_at < trash_cutoff:
                self.history.leave_trash(owner_id, contact_id, photo_urls(_data(contact.data)))


def _data(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = orjson.loads(text)
    return parsed
