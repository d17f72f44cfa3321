"""Keeps the search index in step with the contacts, inside the write's own transaction.

The repository calls `write` after every insert and save (a tombstone removes the
contact from the index), so a committed contact is always searchable as it is now and
a rolled-back write leaves the index as it was.

The bulk import builds each new contact's index row ahead of its write, in a worker
process (`prepare`), and writes the rows it was handed (`write_prepared`): the same rows
the backend's own `write(..., new=True)` makes, without the per-contact Python work in
the writing process.

A deleted contact's document is not thrown away: `write` moves it to
`contact_search_trash` with a digest of the data it was built from, and a later write
that makes the contact live again with that same data (an undelete, an undo) moves it
back, instead of building it again (most of an undo's time otherwise). Any other write
of the contact drops what was kept, so a kept document always matches its contact's data
at its deletion. Nothing searches `contact_search_trash`.

Every function here hands the work to the database's backend (backend.py): none of them
knows which database it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Connection, delete, select

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.search.backend import PreparedRow, backend_for
from rolodex.store import Store
from rolodex.store.schema import contact_search_trash as trash
from rolodex.store.schema import contacts

# A deleted contact's document, kept aside with the digest of its data (digest, key).
_TRASH = (
    "INSERT INTO contact_search_trash (contact_pk, owner_id, data_digest, document)"
    " SELECT contact_pk, owner_id, ?, document FROM contact_search WHERE contact_pk = ?"
)

__all__ = [
    "PreparedRow",
    "bulk_load",
    "forget_trashed",
    "index_live_contacts",
    "prepare",
    "write",
    "write_prepared",
]


def write(
    conn: Connection,
    contacts: Sequence[Contact],
    *,
    new: bool = False,
    data_texts: Sequence[str] | None = None,
) -> None:
    """Index these contacts as they are now (deleted ones are taken out).

    `new=True` for contacts just inserted: nothing of theirs is indexed yet.
    `data_texts`: each contact's data as stored; with them, a deleted contact's document
    is kept aside and a contact made live again with the same data gets it back.
    """
    backend = backend_for(conn.dialect.name)
    region = phones.default_region()
    if new or data_texts is None:
        backend.write(conn, contacts, region, new=new)
        return
    digests = {c.pk: data_digest(text) for c, text in zip(contacts, data_texts, strict=True)}
    keys = list(digests)
    kept = conn.execute(
        select(trash.c.contact_pk, trash.c.data_digest).where(trash.c.contact_pk.in_(keys))
    ).all()
    live = {c.pk for c in contacts if not c.deleted}
    back = [pk for pk, digest in kept if pk in live and digest == digests[pk]]
    backend.put_back(conn, back)
    if kept:
        conn.execute(delete(trash).where(trash.c.contact_pk.in_(keys)))
    gone = [(digests[c.pk], c.pk) for c in contacts if c.deleted]
    if gone:
        sql = _TRASH if conn.dialect.name == "sqlite" else _TRASH.replace("?", "%s")
        conn.exec_driver_sql(sql, gone)
    moved = set(back)
    backend.write(conn, [c for c in contacts if c.pk not in moved], region)


def data_digest(text: str) -> str:
    """What a kept document was built from: a digest of the contact's stored data."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def forget_trashed(conn: Connection, owner_id: str, contact_ids: Sequence[str]) -> None:
    """Drop the kept documents of these contacts (they leave the trash for good)."""
    pks = select(contacts.c.pk).where(
        contacts.c.owner_id == owner_id, contacts.c.contact_id.in_(list(contact_ids))
    )
    conn.execute(delete(trash).where(trash.c.contact_pk.in_(pks)))


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
