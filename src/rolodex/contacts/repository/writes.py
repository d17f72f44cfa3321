"""The contact writes: inserts (one, or many for a bulk import), saves, tags and counts.

Every insert writes rows.py's `new_row`, whichever way the rows reach the database:
one contact through Core (`insert`), many as multi-row statements on the driver
(`insert_many`, PostgreSQL) or numbered rows through `executemany` (SQLite). Each
write also writes the contact's search-index rows (contacts/search/index.py) in the
same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import PreparedContact, dumps, prepare, stored_text
from rolodex.contacts.repository.rows import INSERT_COLUMNS, new_row
from rolodex.contacts.search import index as search_index
from rolodex.store.schema import contact_cards, contact_tags, contacts

# Rows per multi-row INSERT in insert_many: 9 parameters each stays far below the
# parameter limits of SQLite (32,766) and PostgreSQL (65,535).
_ROWS_PER_INSERT = 500
_INSERT_MANY = (
    f"INSERT INTO contacts ({', '.join(INSERT_COLUMNS)}) VALUES {{}} RETURNING pk, contact_id"
)
_ROW_MARKS = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
_INSERT_NUMBERED = (
    f"INSERT INTO contacts (pk, {', '.join(INSERT_COLUMNS)})"
    f" VALUES ({', '.join(['?'] * (1 + len(INSERT_COLUMNS)))})"
)

# The single-contact writes, built once: SQLAlchemy then finds them in its compiled
# cache directly (building a Core statement costs more than running it).
_INSERT = insert(contacts).returning(contacts.c.pk)
_SAVE = (
    update(contacts)
    .where(contacts.c.pk == bindparam("key"))
    .values(
        etag=bindparam("etag"),
        updated_at=bindparam("updated_at"),
        deleted_at=bindparam("deleted_at"),
        data=bindparam("data"),
        sort_key=bindparam("sort_key"),
        meta=bindparam("meta"),
    )
)
_UNTAG_ALL = delete(contact_tags).where(contact_tags.c.contact_pk == bindparam("key"))


class ContactWrites:
    @staticmethod
    def insert(conn: Connection, contact: Contact) -> int:
        """Insert one new contact (`new_row`) and index it; its key."""
        result = conn.execute(_INSERT, dict(zip(INSERT_COLUMNS, new_row(contact), strict=True)))
        pk = int(result.scalar_one())
        search_index.write(conn, [replace(contact, pk=pk)], new=True)
        return pk

    @staticmethod
    def insert_many(
        conn: Connection, new: Sequence[Contact], prepared: Sequence[PreparedContact] | None = None
    ) -> list[int]:
        """Insert many contacts (the bulk import path) and index them; their keys, in order.

        `prepared[i]` is what `prepared.prepare` built for `new[i]` (in the import's worker
        process); without it, it is built here. Multi-row statements straight to the driver:
        through Core, SQLite cost a statement per row, and more than the write itself.
        """
        if not new:
            return []
        if prepared is None:
            region = phones.default_region()
            dialect = conn.dialect.name
            prepared = [prepare(dialect, c.owner_id, c.data, region) for c in new]
        if conn.dialect.name == "sqlite":
            pks = _insert_numbered(conn, new, prepared)
        else:
            pks = _insert_returning(conn, new, prepared)
        search_index.write_prepared(
            conn,
            [(pk, c.owner_id) for pk, c in zip(pks, new, strict=True)],
            [p.search_row for p in prepared],
        )
        return pks

    @staticmethod
    def save(conn: Connection, contact: Contact) -> None:
        """Store a changed contact's fields (not its tags: `set_tags`) and re-index it."""
        ContactWrites.save_many(conn, [contact])

    @staticmethod
    def save_many(conn: Connection, changed: Sequence[Contact]) -> None:
        """`save` of many contacts at once (an undo's batch): one `executemany`, one
        re-indexing of them all (with the stored data text, by which a trashed contact's
        kept search document is known to still fit: contacts/search/index.py)."""
        if not changed:
            return
        rows = []
        texts = []
        for contact in changed:
            data_json, key = stored_text(contact.data)
            texts.append(data_json)
            rows.append(
                {
                    "key": contact.pk,
                    "etag": contact.etag,
                    "updated_at": contact.updated_at,
                    "deleted_at": contact.deleted_at,
                    "data": data_json,
                    "sort_key": key,
                    "meta": dumps(contact.meta),
                }
            )
        conn.execute(_SAVE, rows[0] if len(rows) == 1 else rows)
        search_index.write(conn, changed, data_texts=texts)

    @staticmethod
    def set_tags_many(conn: Connection, tagged: Sequence[tuple[int, Sequence[str]]]) -> None:
        """`set_tags` of many contacts (key, tag ids) at once."""
        if not tagged:
            return
        keys = [pk for pk, _ in tagged]
        conn.execute(delete(contact_tags).where(contact_tags.c.contact_pk.in_(keys)))
        rows = [{"contact_pk": pk, "tag_id": t} for pk, tags in tagged for t in sorted(set(tags))]
        if rows:
            conn.execute(insert(contact_tags), rows)

    @staticmethod
    def set_tags(conn: Connection, contact_pk: int, tag_ids: Iterable[str]) -> None:
        conn.execute(_UNTAG_ALL, {"key": contact_pk})
        rows = [{"contact_pk": contact_pk, "tag_id": t} for t in sorted(set(tag_ids))]
        if rows:
            conn.execute(insert(contact_tags), rows)

    @staticmethod
    def delete_all_of(conn: Connection, owner_id: str) -> int:
        """Remove every contact of the owner, deleted ones included, their tags and their
        file UIDs and kept extras (an account's deletion: accounts/deletion.py); how many
        there were. Their search rows and counts are the caller's to remove."""
        pks = select(contacts.c.pk).where(contacts.c.owner_id == owner_id).scalar_subquery()
        conn.execute(delete(contact_tags).where(contact_tags.c.contact_pk.in_(pks)))
        conn.execute(delete(contact_cards).where(contact_cards.c.owner_id == owner_id))
        return int(conn.execute(delete(contacts).where(contacts.c.owner_id == owner_id)).rowcount)


def _insert_returning(
    conn: Connection, new: Sequence[Contact], prepared: Sequence[PreparedContact]
) -> list[int]:
    """PostgreSQL: multi-row INSERTs of `new_row`s, learning each key by `RETURNING`."""
    keys: dict[str, int] = {}
    for start in range(0, len(new), _ROWS_PER_INSERT):
        chunk = range(start, min(start + _ROWS_PER_INSERT, len(new)))
        params: list[Any] = []
        for i in chunk:
            params += new_row(new[i], prepared[i])
        values = ", ".join([_ROW_MARKS] * len(chunk))
        found = conn.exec_driver_sql(_INSERT_MANY.format(values), tuple(params))
        keys.update((contact_id, pk) for pk, contact_id in found)
    return [int(keys[c.contact_id]) for c in new]


def _insert_numbered(
    conn: Connection, new: Sequence[Contact], prepared: Sequence[PreparedContact]
) -> list[int]:
    """SQLite: the `new_row`s in with keys numbered on from the largest, as SQLite would.

    The write transaction holds SQLite's only write lock, so no other row can take
    those keys meanwhile; and SQLite gives a new row the largest key plus one all the
    same. Plain rows through `executemany` then need no `RETURNING` to learn the keys
    (which was a bulk import's largest Python cost per contact in the writer).
    """
    largest = conn.exec_driver_sql("SELECT coalesce(max(pk), 0) FROM contacts").scalar_one()
    pks = list(range(largest + 1, largest + 1 + len(new)))
    conn.exec_driver_sql(
        _INSERT_NUMBERED,
        [(pk, *new_row(c, p)) for pk, c, p in zip(pks, new, prepared, strict=True)],
    )
    return pks
