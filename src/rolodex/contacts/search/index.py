"""Keeps the search index in step with the contacts, inside the write's own transaction.

The repository calls `write` after every insert and save (a tombstone removes the
contact from the index), so a committed contact is always searchable as it is now and
a rolled-back write leaves the index as it was.

The bulk import builds each new contact's index row ahead of its write, in a worker
process (`prepare`), and writes the rows it was handed (`write_prepared`): the same rows
the backend's own `write(..., new=True)` makes, without the per-contact Python work in
the writing process.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import orjson
from sqlalchemy import Connection, select

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.search import fts5, tsvector
from rolodex.contacts.search import text as search_text
from rolodex.contacts.search.backend import backend_for
from rolodex.store import Store
from rolodex.store.schema import contacts

# One new contact's index row, without its key: for SQLite the FTS5 values (owner first,
# then text.COLUMNS), of which `write_prepared` makes the JSON kept in
# `contact_search.document`; for PostgreSQL the tsvector literal. Plain strings, so it
# crosses a process boundary cheaply.
PreparedRow = tuple[Any, ...]

_FTS_INSERT = (
    f"INSERT INTO {fts5.TABLE} (rowid, {', '.join(fts5._ALL)}) "
    f"VALUES ({', '.join('?' * (len(fts5._ALL) + 1))})"
)
_SQLITE_DOCUMENT = "INSERT INTO contact_search (contact_pk, owner_id, document) VALUES (?, ?, ?)"
_PG_DOCUMENT = (
    "INSERT INTO contact_search (contact_pk, owner_id, document) VALUES (%s, %s, %s::tsvector) "
    "ON CONFLICT (contact_pk) DO UPDATE SET owner_id = excluded.owner_id, "
    "document = excluded.document"
)


def write(conn: Connection, contacts: Sequence[Contact], *, new: bool = False) -> None:
    """Index these contacts as they are now (deleted ones are taken out).

    `new=True` for contacts just inserted: nothing of theirs is indexed yet.
    """
    backend_for(conn.dialect.name).write(conn, contacts, phones.default_region(), new=new)


def prepare(dialect: str, owner_id: str, data: dict[str, Any], region: str) -> PreparedRow:
    """The index row of a new contact of `owner_id`, exactly as the backend's `write` builds it."""
    if dialect == "sqlite":
        contact = Contact(0, "", owner_id, "", 0, 0, None, data, {})
        row = fts5._row(contact, region)
        return tuple(row[name] for name in fts5._ALL)
    if dialect == "postgresql":
        doc = search_text.document(data, region)
        return (tsvector.document_literal(owner_id, doc),)
    raise LookupError(f"no search backend for the {dialect!r} database")


@contextmanager
def bulk_load(store: Store) -> Iterator[None]:
    """Around writing many new contacts (an import): the index takes them in bulk.

    On PostgreSQL, GIN gathers the new entries in its pending list during the load and
    merges them at its end, however it ends (`tsvector.defer_index_entries`): measured
    on 20,000 contacts, 93 µs per contact against 285 with each entry put in the tree
    at once. SQLite's FTS5 already buffers a transaction's entries; nothing changes there.
    """
    if store.is_sqlite or not tsvector.defer_index_entries(store.engine, True):
        yield
        return
    try:
        yield
    except BaseException:
        # The load's own error is the one to report; the index is left merging at worst.
        with suppress(Exception):
            tsvector.defer_index_entries(store.engine, False)
        raise
    tsvector.defer_index_entries(store.engine, False)


def index_live_contacts(conn: Connection, *, batch: int = 1000) -> None:
    """Index every live contact, in batches by key, into an index that holds none of them.

    For the migrations that create or rebuild the index (0002, 0016): the rows are the
    ones `prepare` makes, so they are exactly what a write with this code would store.
    """
    region = phones.default_region()
    dialect = conn.dialect.name
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
        prepared = [prepare(dialect, owner, orjson.loads(data), region) for _, owner, data in rows]
        write_prepared(conn, [(pk, owner) for pk, owner, _ in rows], prepared)
        after = rows[-1].pk


def write_prepared(
    conn: Connection, keys: Sequence[tuple[int, str]], rows: Sequence[PreparedRow]
) -> None:
    """Index just-inserted contacts, given as (key, owner), from rows `prepare` built for them."""
    if not keys:
        return
    pairs = zip(keys, rows, strict=True)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(_FTS_INSERT, [(pk, *row) for (pk, _), row in pairs])
        conn.exec_driver_sql(
            _SQLITE_DOCUMENT,
            [
                (pk, owner, orjson.dumps(dict(zip(fts5._ALL, row, strict=True))).decode())
                for (pk, owner), row in zip(keys, rows, strict=True)
            ],
        )
    else:
        conn.exec_driver_sql(_PG_DOCUMENT, [(pk, owner, row[0]) for (pk, owner), row in pairs])
