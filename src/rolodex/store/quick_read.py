"""Short reads straight on the database driver: the hot path of every read API.

A `contacts.get` through SQLAlchemy Core spent several times longer in the engine
(compiled-cache lookup, event dispatch, result set-up) than in SQLite itself, plus a
pool checkout and a transaction begin and commit per read (the figures: docs/benchmarks.md,
"Numbers that were in comments").
The few reads that run on nearly every request (the bearer token, contacts by id, a
scroll page) therefore run here instead: SQL written once per dialect,
on one connection per thread that stays open for the life of the store.

SQL is written with `?` placeholders; on PostgreSQL they become psycopg's `%s`, so the
statements here must not hold a literal `%`. A list parameter goes in as one value:
`json_each(?)` on SQLite (the list as a JSON array), `= ANY(?)` on PostgreSQL.

Writes never come here: they keep the store's write transactions, locks and change log.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from rolodex.store.quick_read_async import AsyncQuickReads


class _Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    def fetchall(self) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class Statement:
    """One read, as each dialect writes it."""

    sqlite: str
    postgresql: str

    @classmethod
    def same(cls, sql: str) -> Statement:
        """A statement both dialects write alike (placeholders aside)."""
        return cls(sql, sql)


class Reader(Protocol):
    """Runs reads: `QuickReads` itself (each statement on its own) or a `snapshot()`."""

    @property
    def postgres(self) -> bool: ...

    def rows(self, statement: Statement, *params: Any) -> list[Any]: ...


class QuickReader:
    """Runs `Statement`s in one read snapshot on this thread's own connection."""

    __slots__ = ("_cursor", "postgres")

    def __init__(self, cursor: _Cursor, postgres: bool) -> None:
        self._cursor = cursor
        self.postgres = postgres

    def rows(self, statement: Statement, *params: Any) -> list[Any]:
        """Every row of the statement, as tuples in its column order."""
        if self.postgres:
            self._cursor.execute(psycopg_sql(statement.postgresql), params)
        else:
            self._cursor.execute(statement.sqlite, params)
        return self._cursor.fetchall()


_PSYCOPG: dict[str, str] = {}


def psycopg_sql(sql: str) -> str:
    """The statement with psycopg's placeholders, converted once."""
    converted = _PSYCOPG.get(sql)
    if converted is None:
        converted = _PSYCOPG[sql] = sql.replace("?", "%s")
    return converted


class QuickReads:
    """This store's per-thread driver connections, opened on first use, closed with the store."""

    def __init__(self, url: str, *, is_sqlite: bool) -> None:
        self.is_sqlite = is_sqlite
        parsed = make_url(url)
        if is_sqlite:
            self._target = parsed.database or ""
        else:
            self._target = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self._local = threading.local()
        # Weak: a connection lives as long as its thread does (the thread-local holds it),
        # so threads that come and go (a test client's, say) leave no connection behind.
        self._opened: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False
        # PostgreSQL's reads awaited on the event loop (quick_read_async.py), made on first use.
        self._async: AsyncQuickReads | None = None

    @property
    def postgres(self) -> bool:
        return not self.is_sqlite

    def rows(self, statement: Statement, *params: Any) -> list[Any]:
        """One statement on its own: a single statement always sees one consistent state.

        On PostgreSQL a connection that died while idle (a server restart) is known to be
        dead only once a round trip fails; the statement is then retried once on a new one.
        """
        if self.is_sqlite:
            # Every `contacts.get` runs two of these: the connection's own `execute` (its
            # own cursor, no reader object) is the shortest way through the driver.
            return self._connection().execute(statement.sqlite, params).fetchall()  # type: ignore[no-any-return]
        for attempt in (1, 2):
            conn = self._connection()
            try:
                cursor = conn.cursor()
                try:
                    return QuickReader(cursor, postgres=not self.is_sqlite).rows(statement, *params)
                finally:
                    cursor.close()
            except Exception as exc:
                if attempt == 2 or not self._dropped(conn, exc):
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def stepping(self, statement: Statement, params: tuple[Any, ...]) -> Iterator[Iterator[Any]]:
        """The rows of `statement`, for a caller that may stop before the last.

        For reads whose rows may be large (a scroll page of big contacts): on SQLite the
        statement is stepped row by row, so the rows after a stop are never read from
        disk. A PostgreSQL statement must bound itself, as the driver receives its whole
        result at once.
        """
        if not self.is_sqlite:
            yield iter(self.rows(statement, *params))
            return
        cursor = self._connection().execute(statement.sqlite, params)
        try:
            yield cursor
        finally:
            cursor.close()

    async def rows_async(self, statement: Statement, *params: Any) -> list[Any]:
        """`rows`, for a caller on the event loop: no worker thread on either store.

        SQLite answers from its page cache in microseconds, so the statement simply runs
        here; PostgreSQL's round trip is awaited on the loop's own connections.
        """
        if self.is_sqlite:
            return self.rows(statement, *params)
        if self._async is None:
            from rolodex.store.quick_read_async import AsyncQuickReads

            self._async = AsyncQuickReads(self._target)
        return await self._async.rows(statement, params)

    def close_loop(self) -> None:
        """Close the running event loop's PostgreSQL connections (a server's shutdown)."""
        if self._async is not None:
            self._async.close_loop()

    @contextmanager
    def snapshot(self) -> Iterator[QuickReader]:
        """A read-only transaction: every statement in it sees the same state of the store."""
        conn, cursor = self._begin()
        try:
            yield QuickReader(cursor, postgres=not self.is_sqlite)
        except Exception as exc:
            self._dropped(conn, exc)
            raise
        finally:
            # A read changes nothing: ending it either way just releases the snapshot.
            try:
                if _in_transaction(conn):
                    cursor.execute("COMMIT")
                cursor.close()
            except Exception as exc:
                if not self._dropped(conn, exc):
                    raise

    def _begin(self) -> tuple[Any, Any]:
        """A connection and a cursor in a fresh transaction.

        As in `rows`, a PostgreSQL connection that died while idle fails the `BEGIN`,
        which is retried once on a new connection.
        """
        for attempt in (1, 2):
            conn = self._connection()
            try:
                cursor = conn.cursor()
                # PostgreSQL's default (read committed) gives each statement its own snapshot;
                # SQLite's deferred BEGIN holds one from the first read (WAL).
                cursor.execute(
                    "BEGIN" if self.is_sqlite else "BEGIN ISOLATION LEVEL REPEATABLE READ"
                )
                return conn, cursor
            except Exception as exc:
                if attempt == 2 or not self._dropped(conn, exc):
                    raise
        raise AssertionError("unreachable")

    def _dropped(self, conn: Any, exc: Exception) -> bool:
        """Forget a PostgreSQL connection the error shows is gone; whether it was."""
        if self.is_sqlite or not _is_disconnect(exc):
            return False
        self._forget(conn)
        return True

    def close(self) -> None:
        """Close every connection opened here, from whichever thread opened it."""
        with self._lock:
            self._closed = True
            opened = list(self._opened)
            self._opened.clear()
        if self._async is not None:
            self._async.close_all()
        for conn in opened:
            # Closing at shutdown must not fail the shutdown.
            with suppress(Exception):
                conn.close()

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        # sqlite3 connections have no `closed` (asking would raise and catch each time).
        if conn is not None and (self.is_sqlite or not conn.closed):
            return conn
        conn = self._open()
        with self._lock:
            if self._closed:
                conn.close()
                raise RuntimeError("the store is closed")
            self._opened.add(conn)
        self._local.conn = conn
        return conn

    def _open(self) -> Any:
        if self.is_sqlite:
            conn = sqlite3.connect(
                self._target,
                check_same_thread=False,
                isolation_level=None,
                timeout=30,
                factory=_SqliteConnection,
            )
            # Reads only, and never a write by mistake through this path.
            conn.execute("PRAGMA query_only=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            return conn
        import psycopg

        server = psycopg.connect(self._target, autocommit=True)
        server.execute("SET default_transaction_read_only = on")
        return server

    def _forget(self, conn: Any) -> None:
        with self._lock:
            self._opened.discard(conn)
        self._local.conn = None
        with suppress(Exception):  # it is already broken
            conn.close()


class _SqliteConnection(sqlite3.Connection):
    """A plain sqlite3 connection that can be weakly referenced (the C type cannot)."""


def _in_transaction(conn: Any) -> bool:
    if isinstance(conn, sqlite3.Connection):
        return conn.in_transaction
    import psycopg

    return bool(conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)


def _is_disconnect(exc: Exception) -> bool:
    import psycopg

    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
