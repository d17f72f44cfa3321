"""The hot reads on PostgreSQL without a worker thread: psycopg's async connections.

A `contacts.get` on PostgreSQL is two round trips to another process. Run in a worker
thread (as every other call is), most of the server's CPU per read went to handing
requests to threads and back and waiting on the driver under the GIL; awaited on the
event loop, the same read costs about half as much, and reads waiting on the database no
longer hold a thread each (docs/benchmarks.md, "Numbers that were in comments").

The connections belong to one event loop each (asyncio waits on a socket in the loop
that asked), so each loop has its own few, opened on first use. There is no background
task to start or stop: a set is a queue of slots, and a slot holds an open connection or
`None` (not opened yet, or dropped after it failed). That keeps this usable from any loop
a test or a server happens to run, and closable from outside any loop (`close_all`).
"""

from __future__ import annotations

import asyncio
import weakref
from contextlib import suppress
from typing import Any

import psycopg

from rolodex.store.quick_read import Statement, psycopg_sql

# Enough to keep PostgreSQL busy while the loop parses and renders other requests; more
# measured no faster on two cores (each extra connection is another backend process).
CONNECTIONS_PER_LOOP = 4


class LoopConnections:
    """A few async connections for one event loop, each with one cursor kept open."""

    def __init__(self, target: str, size: int) -> None:
        self._target = target
        self._slots: asyncio.Queue[_Open | None] = asyncio.Queue()
        for _ in range(size):
            self._slots.put_nowait(None)
        self._opened: set[_Open] = set()

    async def rows(self, statement: Statement, params: tuple[Any, ...]) -> list[Any]:
        """Every row of one statement. A connection found dead is replaced, once."""
        sql = psycopg_sql(statement.postgresql)
        for attempt in (1, 2):
            slot = await self._slots.get()
            try:
                if slot is None or slot.conn.closed:
                    slot = await self._open()
                await slot.cursor.execute(sql, params, prepare=True)
                found: list[Any] = await slot.cursor.fetchall()
            except (psycopg.OperationalError, psycopg.InterfaceError):
                self._drop(slot)
                self._slots.put_nowait(None)
                if attempt == 2:
                    raise
                continue
            except BaseException:
                # A statement that failed (or a cancelled request) may leave the
                # connection mid-answer: it is not handed to anyone else.
                self._drop(slot)
                self._slots.put_nowait(None)
                raise
            self._slots.put_nowait(slot)
            return found
        raise AssertionError("unreachable")

    async def _open(self) -> _Open:
        conn = await psycopg.AsyncConnection.connect(self._target, autocommit=True)
        await conn.execute("SET default_transaction_read_only = on")
        opened = _Open(conn, conn.cursor())
        self._opened.add(opened)
        return opened

    def _drop(self, slot: _Open | None) -> None:
        if slot is not None:
            self._opened.discard(slot)
            _finish(slot.conn)

    def close(self) -> None:
        """Close every connection now; slots in use are closed under their requests."""
        for opened in list(self._opened):
            _finish(opened.conn)
        self._opened.clear()


class _Open:
    __slots__ = ("conn", "cursor")

    def __init__(self, conn: psycopg.AsyncConnection[Any], cursor: Any) -> None:
        self.conn = conn
        self.cursor = cursor


def _finish(conn: psycopg.AsyncConnection[Any]) -> None:
    # `AsyncConnection.close()` awaits nothing but this; calling it directly lets a
    # connection be closed from any thread, with or without its loop still running.
    with suppress(Exception):
        conn.pgconn.finish()


class AsyncQuickReads:
    """One `LoopConnections` per running event loop, for a store's PostgreSQL target."""

    def __init__(self, target: str, size: int = CONNECTIONS_PER_LOOP) -> None:
        self._target = target
        self._size = size
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopConnections] = (
            weakref.WeakKeyDictionary()
        )
        self._closed = False

    async def rows(self, statement: Statement, params: tuple[Any, ...]) -> list[Any]:
        loop = asyncio.get_running_loop()
        connections = self._by_loop.get(loop)
        if connections is None:
            if self._closed:
                raise RuntimeError("the store is closed")
            connections = self._by_loop[loop] = LoopConnections(self._target, self._size)
        return await connections.rows(statement, params)

    def close_loop(self) -> None:
        """Close the running loop's connections (a server's shutdown)."""
        with suppress(RuntimeError):
            connections = self._by_loop.pop(asyncio.get_running_loop(), None)
            if connections is not None:
                connections.close()

    def close_all(self) -> None:
        """Close every loop's connections, from any thread (the store's close)."""
        self._closed = True
        for connections in list(self._by_loop.values()):
            connections.close()
        self._by_loop.clear()
