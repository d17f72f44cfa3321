"""Keeps the search index in step with the contacts, inside the write's own transaction.

The repository calls `write` after every insert and save (a tombstone removes the
contact from the index), so a committed contact is always searchable as it is now and
a rolled-back write leaves the index as it was.

The bulk import builds each new contact's index row ahead of its write, in a worker
process (`prepare`), and writes the rows it was handed (`write_prepared`): the same rows
the backend's own `write(..., new=True)` makes, without the per-contact Python work in
the writing process.

Every function here hands the work to the database's backend (backend.py): none of them
knows which database it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Connection, select

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.search.backend import PreparedRow, backend_for
from rolodex.store import Store
from rolodex.store.schema import contacts

__all__ = [
    "PreparedRow",
    "bulk_load",
    "index_live_contacts",
    "prepare",
    "write",
    "write_prepared",
]


def write(conn: Connection, contacts: Sequence[Contact], *, new: bool = False) -> None:
    """Index these contacts as they are now (deleted ones are taken out).

    `new=True` for contacts just inserted: nothing of theirs is indexed yet.
    """
    backend_for(conn.dialect.name).write(conn, contacts, phones.default_region(), new=new)


def prepare(dialect: str, owner_id: str, data: dict[str, Any], region: str) -> PreparedRow:
    """The index row of a new contact of `owner_id`, exactly as the backend's `write` builds it."""
    return backend_for(dialect).prepare(owner_id, data, region)


def write_prepared(
    conn: Connection, keys: Sequence[tuple[int, str]], rows: Sequence[PreparedRow]
) -> None:
    """Index just-inserted contacts, given as (key, owner), from rows `prepare` built for them."""
    backend_for(conn.dialect.name).write_prepared(conn, keys, rows)


@contextmanager
def bulk_load(store: Store) -> Iterator[None]:
    """Around writing many new contacts (an import): the index takes them in bulk, as its
    backend knows how (`SearchBackend.bulk_load`)."""
    with backend_for(store.engine.dialect.name).bulk_load(store.engine):
        yield


def index_live_contacts(conn: Connection, *, batch: int = 1000) -> None:
    """Index every live contact, in batches by key, into an index that holds none of them.

    For the migrations that create or rebuild the index (0002, 0016): the rows are the
    ones `prepare` makes, so they are exactly what a write with this code would store.
    """
    backend = backend_for(conn.dialect.name)
    region = phones.default_region()
    after = 0
    while True:
        rows = conn.execute(
            select(contacts.c.pk, contacts.c.owner_id, contacts.c.data)
            .where(contacts.c.pk > after, contacts.c.deleted_at.is_(None))
            .order_by(contacts.c.pk)
            .limit(batch)
        ).all()
        if not rows:
            return
        prepared = [backend.prepare(owner, orjson.loads(data), region) for _, owner, data in rows]
        backend.write_prepared(conn, [(pk, owner) for pk, owner, _ in rows], prepared)
        after = rows[-1].pk
