"""SQL for webhooks and their batches: the only module that knows their tables."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from rolodex.store.schema import changes, webhook_batches, webhooks
from rolodex.webhooks.model import PENDING, Batch, Webhook

_WEBHOOK_COLUMNS = [c for c in webhooks.c if c.name != "secret"]


def _to_webhook(row: Any) -> Webhook:
    return Webhook(
        webhook_id=row.webhook_id,
        owner_id=row.owner_id,
        account_id=row.account_id,
        team_id=row.team_id,
        url=row.url,
        triggers=[t for t in row.triggers.split(",") if t],
        created_at=row.created_at,
        cursor_seq=row.cursor_seq,
        disabled_at=row.disabled_at,
        disabled_reason=row.disabled_reason,
    )


def _to_batch(row: Any) -> Batch:
    return Batch(
        batch_id=row.batch_id,
        webhook_id=row.webhook_id,
        owner_id=row.owner_id,
        status=row.status,
        first_seq=row.first_seq,
        last_seq=row.last_seq,
        events=orjson.loads(row.events),
        created_at=row.created_at,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_attempt_at=row.last_attempt_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        delivered_at=row.delivered_at,
    )


class WebhookRepository:
    # -- webhooks ----------------------------------------------------------------------

    @staticmethod
    def insert(conn: Connection, webhook: Webhook, secret: str) -> None:
        conn.execute(
            insert(webhooks).values(
                webhook_id=webhook.webhook_id,
                owner_id=webhook.owner_id,
                account_id=webhook.account_id,
                team_id=webhook.team_id,
                url=webhook.url,
                triggers=",".join(webhook.triggers),
                secret=secret,
                created_at=webhook.created_at,
                cursor_seq=webhook.cursor_seq,
            )
        )

    @staticmethod
    def count(conn: Connection, owner_id: str) -> int:
        return int(
            conn.execute(
                select(func.count()).select_from(webhooks).where(webhooks.c.owner_id == owner_id)
            ).scalar_one()
        )

    @staticmethod
    def of_owner(conn: Connection, owner_id: str) -> list[Webhook]:
        """The owner's webhooks, oldest first (a handful: their number is limited)."""
        rows = conn.execute(
            select(*_WEBHOOK_COLUMNS)
            .where(webhooks.c.owner_id == owner_id)
            .order_by(webhooks.c.created_at, webhooks.c.webhook_id)
        )
        return [_to_webhook(r) for r in rows]

    @staticmethod
    def one(conn: Connection, owner_id: str, webhook_id: str) -> Webhook | None:
        row = conn.execute(
            select(*_WEBHOOK_COLUMNS).where(
                webhooks.c.owner_id == owner_id, webhooks.c.webhook_id == webhook_id
            )
        ).first()
        return None if row is None else _to_webhook(row)

    @staticmethod
    def delete(conn: Connection, owner_id: str, webhook_id: str) -> bool:
        """Remove a webhook and its batches: nothing of it is sent after this commits."""
        result = conn.execute(
            delete(webhooks).where(
                webhooks.c.owner_id == owner_id, webhooks.c.webhook_id == webhook_id
            )
        )
        if not result.rowcount:
            return False
        conn.execute(delete(webhook_batches).where(webhook_batches.c.webhook_id == webhook_id))
        return True

    @staticmethod
    def disable(conn: Connection, webhook_id: str, reason: str, now: int) -> None:
        conn.execute(
            update(webhooks)
            .where(webhooks.c.webhook_id == webhook_id, webhooks.c.disabled_at.is_(None))
            .values(disabled_at=now, disabled_reason=reason)
        )

    # -- building batches --------------------------------------------------------------

    @staticmethod
    def behind(conn: Connection) -> list[Webhook]:
        """Active webhooks whose owner has changes after the webhook's cursor."""
        newer = exists().where(
            changes.c.owner_id == webhooks.c.owner_id, changes.c.seq > webhooks.c.cursor_seq
        )
        rows = conn.execute(
            select(*_WEBHOOK_COLUMNS).where(webhooks.c.disabled_at.is_(None), newer)
        )
        return [_to_webhook(r) for r in rows]

    @staticmethod
    def current_cursor(conn: Connection, webhook_id: str) -> int | None:
        """The cursor of an active webhook; None once it is deleted or disabled."""
        value = conn.execute(
            select(webhooks.c.cursor_seq).where(
                webhooks.c.webhook_id == webhook_id, webhooks.c.disabled_at.is_(None)
            )
        ).scalar()
        return None if value is None else int(value)

    @staticmethod
    def advance_cursor(conn: Connection, webhook_id: str, old: int, new: int) -> bool:
        """Compare-and-set: False when another worker moved the cursor first."""
        result = conn.execute(
            update(webhooks)
            .where(webhooks.c.webhook_id == webhook_id, webhooks.c.cursor_seq == old)
            .values(cursor_seq=new)
        )
        return bool(result.rowcount)

    @staticmethod
    def insert_batch(conn: Connection, batch: Batch) -> None:
        conn.execute(
            insert(webhook_batches).values(
                batch_id=batch.batch_id,
                webhook_id=batch.webhook_id,
                owner_id=batch.owner_id,
                status=batch.status,
                first_seq=batch.first_seq,
                last_seq=batch.last_seq,
                events=orjson.dumps(batch.events).decode(),
                created_at=batch.created_at,
                attempts=0,
                next_attempt_at=batch.next_attempt_at,
            )
        )

    # -- reading batches ---------------------------------------------------------------

    @staticmethod
    def batches(
        conn: Connection,
        webhook_id: str,
        *,
        since: int,
        batch_id: str | None,
        limit: int,
    ) -> list[Batch]:
        """The webhook's batches made since `since`, newest first."""
        query = select(webhook_batches).where(
            webhook_batches.c.webhook_id == webhook_id, webhook_batches.c.created_at >= since
        )
        if batch_id is not None:
            query = query.where(webhook_batches.c.batch_id == batch_id)
        query = query.order_by(webhook_batches.c.first_seq.desc()).limit(limit)
        return [_to_batch(r) for r in conn.execute(query)]

    # -- delivering --------------------------------------------------------------------

    @staticmethod
    def due(
        conn: Connection,
        now: int,
        *,
        limit: int,
        per_owner: int,
        skip_owners: list[str] | None = None,
    ) -> list[tuple[str, str]]:
        """Batches that may be sent now, as (batch id, owner id): pending, due, unleased
        (or the lease expired), of an active webhook, and the oldest pending batch of that
        webhook (order).

        Round-robin by owner, so that one owner's many due batches cannot crowd out the
        others': every owner's longest-waiting batch first, then every owner's second,
        and so on, at most `per_owner` of each, none of the owners in `skip_owners`.
        """
        earlier = aliased(webhook_batches)
        older_pending = exists().where(
            earlier.c.webhook_id == webhook_batches.c.webhook_id,
            earlier.c.status == PENDING,
            earlier.c.first_seq < webhook_batches.c.first_seq,
        )
        rank = (
            func.row_number()
            .over(
                partition_by=webhook_batches.c.owner_id,
                order_by=(webhook_batches.c.next_attempt_at, webhook_batches.c.batch_id),
            )
            .label("owner_rank")
        )
        conditions = [
            webhook_batches.c.status == PENDING,
            webhook_batches.c.next_attempt_at <= now,
            or_(webhook_batches.c.lease_until.is_(None), webhook_batches.c.lease_until < now),
            webhooks.c.disabled_at.is_(None),
            ~older_pending,
        ]
        if skip_owners:
            conditions.append(webhook_batches.c.owner_id.not_in(skip_owners))
        ranked = (
            select(
                webhook_batches.c.batch_id,
                webhook_batches.c.owner_id,
                webhook_batches.c.next_attempt_at,
                rank,
            )
            .join(webhooks, webhooks.c.webhook_id == webhook_batches.c.webhook_id)
            .where(*conditions)
            .subquery()
        )
        query = (
            select(ranked.c.batch_id, ranked.c.owner_id)
            .where(ranked.c.owner_rank <= per_owner)
            .order_by(ranked.c.owner_rank, ranked.c.next_attempt_at, ranked.c.batch_id)
            .limit(limit)
        )
        return [(str(r[0]), str(r[1])) for r in conn.execute(query)]

    @staticmethod
    def claim(conn: Connection, batch_id: str, lease_owner: str, now: int, until: int) -> bool:
        """Take the lease of a pending batch; False when someone else holds it.

        A conditional UPDATE: on PostgreSQL a second claimer waits for the first to
        commit and then finds the condition false, so exactly one wins.
        """
        result = conn.execute(
            update(webhook_batches)
            .where(
                webhook_batches.c.batch_id == batch_id,
                webhook_batches.c.status == PENDING,
                or_(webhook_batches.c.lease_until.is_(None), webhook_batches.c.lease_until < now),
            )
            .values(lease_owner=lease_owner, lease_until=until)
        )
        return bool(result.rowcount)

    @staticmethod
    def for_delivery(conn: Connection, batch_id: str) -> tuple[Batch, str, str] | None:
        """A batch with its webhook's URL and secret."""
        row = conn.execute(
            select(webhook_batches, webhooks.c.url, webhooks.c.secret)
            .join(webhooks, webhooks.c.webhook_id == webhook_batches.c.webhook_id)
            .where(webhook_batches.c.batch_id == batch_id)
        ).first()
        if row is None:
            return None
        return _to_batch(row), row.url, row.secret

    @staticmethod
    def record(conn: Connection, batch_id: str, lease_owner: str, **values: Any) -> bool:
        """Write an attempt's outcome and release the lease, if the lease is still ours."""
        result = conn.execute(
            update(webhook_batches)
            .where(
                webhook_batches.c.batch_id == batch_id,
                webhook_batches.c.lease_owner == lease_owner,
                webhook_batches.c.status == PENDING,
            )
            .values(
                attempts=webhook_batches.c.attempts + 1,
                lease_owner=None,
                lease_until=None,
                **values,
            )
        )
        return bool(result.rowcount)

    @staticmethod
    def purge(conn: Connection, before: int) -> int:
        """Forget finished batches made before `before` (the 14-day history)."""
        result = conn.execute(
            delete(webhook_batches).where(
                webhook_batches.c.created_at < before,
                webhook_batches.c.status != PENDING,
            )
        )
        return int(result.rowcount or 0)
