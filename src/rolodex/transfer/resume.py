"""Where a resumable import of one file stands: the `imports` table, one row per file.

The row commits with each batch (the last line written), so an interrupted import
resumes after the last committed batch and never writes a card twice. A file imported
in full is not imported again unless asked to start over.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from rolodex.store import Store
from rolodex.store.schema import imports
from rolodex.timestamps import now_ms


def resume_point(
    store: Store, key: str, owner_id: str, source: str, *, restart: bool
) -> tuple[int, bool]:
    """(lines done, finished) for this import, starting its record if it is new."""
    with store.write() as conn:
        row = conn.execute(select(imports).where(imports.c.import_key == key)).first()
        if row is not None and not restart:
            return int(row.lines_done), row.finished_at is not None
        now = now_ms()
        fresh = {
            "lines_done": 0,
            "contacts_created": 0,
            "started_at": now,
            "updated_at": now,
            "finished_at": None,
        }
        if row is not None:
            conn.execute(update(imports).where(imports.c.import_key == key).values(**fresh))
        else:
            conn.execute(
                insert(imports).values(import_key=key, owner_id=owner_id, source=source, **fresh)
            )
    return 0, False


def record_batch(conn: Connection, key: str, last_line: int, created: int) -> None:
    """In the batch's transaction: the batch is written up to `last_line`."""
    conn.execute(
        update(imports)
        .where(imports.c.import_key == key)
        .values(
            lines_done=last_line,
            contacts_created=imports.c.contacts_created + created,
            updated_at=now_ms(),
        )
    )


def finish(store: Store, key: str) -> None:
    with store.write() as conn:
        conn.execute(
            update(imports).where(imports.c.import_key == key).values(finished_at=now_ms())
        )
