"""The store's engine and its two kinds of transaction.

SQLite allows one writer at a time. A deferred transaction that later writes can fail
with "database is locked" when another connection got there first, so every write
transaction here starts with `BEGIN IMMEDIATE` and, inside one process, waits on a
lock rather than in SQLite's busy loop. Reads run in plain `BEGIN` transactions,
which in WAL mode see one consistent snapshot and never block the writer.

On PostgreSQL a write transaction takes a transaction-scoped advisory lock on the
owner it changes: writes of one owner are serialised, so their change-log sequence
numbers are also their commit order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Engine, make_url

from rolodex.store.quick_read import QuickReads

# The page cache of a connection that runs bulk writes (`Store.write(bulk=True)`), in KiB.
BULK_CACHE_KIB = 131_072


class Store:
    """One database, and the transactions the services run in."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "NORMAL") -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self._write_lock = threading.Lock()
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(
                url,
                pool_size=16,
                max_overflow=16,
                connect_args={"check_same_thread": False, "timeout": 30},
            )
            _configure_sqlite(self.engine, sqlite_synchronous)
        else:
            self.engine = create_engine(url, pool_size=16, max_overflow=16, pool_pre_ping=True)
        # The hot reads, straight on the driver (quick_read.py): `store.quick.snapshot()`.
        self.quick = QuickReads(url, is_sqlite=self.is_sqlite)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction: one consistent snapshot of the store."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self, *, owner_id: str | None = None, bulk: bool = False) -> Iterator[Connection]:
        """A write transaction; everything in it, change-log entries included, commits or none does.

        `bulk`: one of many large writes in a row (an import's batches). On SQLite the
        connection then keeps a page cache of `BULK_CACHE_KIB`: at a million contacts
        the random keys of new rows (ids, sort keys) land all over the indexes, and the
        default 2 MB cache made each batch read its pages back (docs/benchmarks.md).
        """
        if self.is_sqlite:
            with (
                self._write_lock,
                self.engine.connect().execution_options(rolodex_write=True) as conn,
                conn.begin(),
            ):
                if bulk:
                    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
                yield conn
        else:
            with self.engine.connect() as conn, conn.begin():
                if owner_id is not None:
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(hashtext(:owner))"), {"owner": owner_id}
                    )
                yield conn

    def analyze(self) -> None:
        """Refresh the planner's statistics and tidy the indexes, as after a bulk load.

        Right after an import PostgreSQL still plans with the empty tables' statistics
        (autovacuum gets to it later), which made searches scan; and a GIN index filled by
        many inserts keeps them in its pending list until a vacuum, which made searches
        several times slower (docs/benchmarks.md); and until a vacuum sets the visibility
        map, counting a duplicate key's contacts reads the table, not just the index, which
        made the duplicates check slow (docs/benchmarks.md, "Duplicates"). VACUUM cannot
        run in a transaction, so this one runs on its own. SQLite's `optimize` does what is worth doing there.
        """
        if self.is_sqlite:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
                conn.commit()
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(
                "VACUUM (ANALYZE) contacts, contact_search, contact_tags, changes,"
                " duplicate_keys, duplicate_profiles"
            )

    def ping(self) -> None:
        """Raise unless the database answers."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.quick.close()
        self.engine.dispose()


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    """WAL, foreign keys, and transactions that Python's sqlite3 module does not meddle with."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN below be the only transaction control (pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Straight to the driver: going through exec_driver_sql cost more than the reads
        # it starts (measured on contacts.get).
        raw = conn.connection.driver_connection
        assert raw is not None
        if conn.get_execution_options().get("rolodex_write"):
            raw.execute("BEGIN IMMEDIATE")
        else:
            raw.execute("BEGIN")
