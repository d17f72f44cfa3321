"""Turning the change log into batches, per webhook.

Each webhook keeps a cursor: the last change-log sequence number it has turned into
batches. Building a batch reads the owner's changes after the cursor, keeps those the
webhook's triggers name (at most `batch_size` events), stores the batch and moves the
cursor past every change it read, all in one transaction. The cursor moves by
compare-and-set, so two workers building at once cannot both make a batch for the same
changes: the second one's transaction is rolled back. Within an owner the change log's
order is commit order (store/engine.py), so nothing committed later can appear behind
the cursor.
"""

from __future__ import annotations

from rolodex.ids import new_id
from rolodex.store import Store
from rolodex.store.changelog import Change, ChangeLog
from rolodex.timestamps import now_ms
from rolodex.webhooks.events import render_events
from rolodex.webhooks.model import PENDING, TRIGGER_OF_CHANGE, Batch, Webhook
from rolodex.webhooks.repository import WebhookRepository


class _CursorMoved(Exception):
    """Another worker built this webhook's next batch first."""


class BatchBuilder:
    def __init__(self, store: Store, *, batch_size: int) -> None:
        self.store = store
        self.batch_size = batch_size

    def build_all(self, *, now: int | None = None, max_batches_per_webhook: int = 50) -> int:
        """Build batches for every webhook that is behind; returns how many were made."""
        with self.store.read() as conn:
            behind = WebhookRepository.behind(conn)
        made = 0
        for webhook in behind:
            for _ in range(max_batches_per_webhook):
                try:
                    result = self.build_one(webhook, now=now)
                except _CursorMoved:
                    break
                if result is None:
                    break
                made += result
        return made

    def build_one(self, webhook: Webhook, *, now: int | None = None) -> int | None:
        """Build the webhook's next batch: 1 if one was made, 0 if only the cursor moved
        (changes no trigger names), None when it is caught up, deleted or disabled."""
        with self.store.write() as conn:
            cursor = WebhookRepository.current_cursor(conn, webhook.webhook_id)
            if cursor is None:
                return None
            wanted = set(webhook.triggers)
            picked: list[Change] = []
            last = cursor
            while len(picked) < self.batch_size:
                found = ChangeLog.since(conn, webhook.owner_id, last, limit=self.batch_size * 4)
                if not found:
                    break
                for change in found:
                    trigger = TRIGGER_OF_CHANGE.get((change.entity, change.action))
                    if trigger in wanted:
                        picked.append(change)
                    last = change.seq
                    if len(picked) == self.batch_size:
                        break
            if last == cursor:
                return None
            if not WebhookRepository.advance_cursor(conn, webhook.webhook_id, cursor, last):
                raise _CursorMoved
            if not picked:
                return 0
            made_at = now_ms() if now is None else now
            WebhookRepository.insert_batch(
                conn,
                Batch(
                    batch_id=new_id("b_"),
                    webhook_id=webhook.webhook_id,
                    owner_id=webhook.owner_id,
                    status=PENDING,
                    first_seq=picked[0].seq,
                    last_seq=last,
                    events=render_events(conn, webhook.owner_id, picked),
                    created_at=made_at,
                    attempts=0,
                    next_attempt_at=made_at,
                    last_attempt_at=None,
                    last_status_code=None,
                    last_error=None,
                    delivered_at=None,
                ),
            )
            return 1
