"""The owner's contact counts (`owner_counts`): every contact and the live ones.

Kept in the writes' own transactions: `add_to_count` (new contacts, checked against
the owner's limit) and `add_live` (a delete, a restore). A write that makes a contact
live or not live in any other way must call `add_live` too (revision 0018_book_letters).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from rolodex.store.schema import owner_counts

_COUNT_LIVE = select(owner_counts.c.live).where(owner_counts.c.owner_id == bindparam("owner"))
_ADD_LIVE = (
    update(owner_counts)
    .where(owner_counts.c.owner_id == bindparam("owner"))
    .values(live=owner_counts.c.live + bindparam("change"))
)


def _count_upsert(dialect_insert: Any) -> Any:
    # New contacts are live: both counts grow by the same number.
    statement = dialect_insert(owner_counts).values(
        owner_id=bindparam("owner"), contacts=bindparam("count"), live=bindparam("count")
    )
    return statement.on_conflict_do_update(
        index_elements=[owner_counts.c.owner_id],
        set_={
            "contacts": owner_counts.c.contacts + statement.excluded.contacts,
            "live": owner_counts.c.live + statement.excluded.live,
        },
    ).returning(owner_counts.c.contacts)


_COUNT_UPSERT = {"sqlite": _count_upsert(sqlite_insert), "postgresql": _count_upsert(pg_insert)}


class ContactCounts:
    @staticmethod
    def count_live(conn: Connection, owner_id: str) -> int:
        """How many live contacts the owner has: one row read (`owner_counts.live`)."""
        found = conn.execute(_COUNT_LIVE, {"owner": owner_id}).scalar()
        return int(found or 0)

    @staticmethod
    def add_live(conn: Connection, owner_id: str, change: int) -> None:
        """Count contacts becoming live (+) or deleted (-), in the write's transaction."""
        conn.execute(_ADD_LIVE, {"owner": owner_id, "change": change})

    @staticmethod
    def add_to_count(conn: Connection, owner_id: str, count: int) -> int:
        """Add `count` new (live) contacts to the owner's counts (one upsert); the new total."""
        statement = _COUNT_UPSERT[conn.dialect.name]
        return int(conn.execute(statement, {"owner": owner_id, "count": count}).scalar_one())
