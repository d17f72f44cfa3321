"""The change log (outbox): one row per write, appended in the write's own transaction.

Webhook batches and sync-token diffs are built from it, so a write without its change
or a change without its write cannot exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import Connection, func, insert, select

from rolodex.store.schema import changes

# Built once: every write runs it, and building a Core statement per call cost more
# than executing it (docs/benchmarks.md).
_APPEND = insert(changes)

_APPEND_MANY = (
    "INSERT INTO changes (owner_id, entity, entity_id, action, etag, occurred_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
_APPEND_MANY_SQLITE = _APPEND_MANY
_APPEND_MANY_PSYCOPG = _APPEND_MANY.replace("?", "%s")

CREATED = "created"
UPDATED = "updated"
DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Change:
    seq: int
    owner_id: str
    entity: str
    entity_id: str
    action: str
    etag: str | None
    occurred_at: int


class LoggedChange(Protocol):
    """What `last_of_each` reads of a change: the log's `Change`, or a row read with it."""

    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def action(self) -> str: ...


C = TypeVar("C", bound=LoggedChange)


def last_of_each(changes: Iterable[C], entity: str) -> tuple[set[str], dict[str, C]]:
    """The ids of `entity` created in these changes, and the last change of each id.

    A diff since a token reports each id once, by its last change, in the order of those
    last changes; an id created and deleted within it was never seen by the client.
    """
    created: set[str] = set()
    last: dict[str, C] = {}
    for change in changes:
        if change.entity != entity:
            continue
        if change.action == CREATED:
            created.add(change.entity_id)
        # Re-inserting moves the id to the end: ids come in the order of their last change.
        last.pop(change.entity_id, None)
        last[change.entity_id] = change
    return created, last


class ChangeLog:
    """Appends and reads changes; always called with the caller's open transaction."""

    @staticmethod
    def append(
        conn: Connection,
        *,
        owner_id: str,
        entity: str,
        entity_id: str,
        action: str,
        etag: str | None,
        occurred_at: int,
    ) -> None:
        conn.execute(
            _APPEND,
            {
                "owner_id": owner_id,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "etag": etag,
                "occurred_at": occurred_at,
            },
        )

    @staticmethod
    def append_many(
        conn: Connection,
        *,
        owner_id: str,
        entity: str,
        action: str,
        entries: Sequence[tuple[str, str | None]],
        occurred_at: int,
    ) -> None:
        """Append one change per (entity id, etag), all of one kind at one time (bulk writes).

        Straight to the driver with plain rows: a bulk import appends a thousand per
        batch, and Core's per-row parameter handling cost more than the insert itself.
        """
        if not entries:
            return
        sql = _APPEND_MANY_SQLITE if conn.dialect.name == "sqlite" else _APPEND_MANY_PSYCOPG
        conn.exec_driver_sql(
            sql,
            [
                (owner_id, entity, entity_id, action, etag, occurred_at)
                for entity_id, etag in entries
            ],
        )

    @staticmethod
    def since(conn: Connection, owner_id: str, after_seq: int, limit: int = 1000) -> list[Change]:
        """Changes of one owner after a sequence number, oldest first."""
        rows = conn.execute(
            select(changes)
            .where(changes.c.owner_id == owner_id, changes.c.seq > after_seq)
            .order_by(changes.c.seq)
            .limit(limit)
        )
        return [Change(**row._mapping) for row in rows]

    @staticmethod
    def last_seq(conn: Connection, owner_id: str) -> int:
        value = conn.execute(
            select(func.max(changes.c.seq)).where(changes.c.owner_id == owner_id)
        ).scalar()
        return int(value or 0)
