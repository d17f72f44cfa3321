"""SQL for contacts: the only module that knows how a contact sits in its tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    bindparam,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import PreparedContact, prepare
from rolodex.contacts.search import index as search_index
from rolodex.contacts.sort_names import sort_key
from rolodex.store.schema import contact_tags, contacts, owner_counts

_COLUMNS = (
    contacts.c.pk,
    contacts.c.contact_id,
    contacts.c.owner_id,
    contacts.c.etag,
    contacts.c.created_at,
    contacts.c.updated_at,
    contacts.c.deleted_at,
    contacts.c.data,
    contacts.c.meta,
)


# Rows per multi-row INSERT in insert_many: 9 parameters each stays far below the
# parameter limits of SQLite (32,766) and PostgreSQL (65,535).
_ROWS_PER_INSERT = 500
_INSERT_MANY = (
    "INSERT INTO contacts (contact_id, owner_id, etag, created_at, updated_at, deleted_at,"
    " data, sort_key, meta) VALUES {} RETURNING pk, contact_id"
)

_INSERT_NUMBERED = (
    "INSERT INTO contacts (pk, contact_id, owner_id, etag, created_at, updated_at, deleted_at,"
    " data, sort_key, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _to_contact(row: Any) -> Contact:
    return Contact(
        pk=row.pk,
        contact_id=row.contact_id,
        owner_id=row.owner_id,
        etag=row.etag,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        # Parsed on first read (StoredJSON): a contact that is only shown never is.
        data=row.data,
        meta=row.meta,
    )


def _within_bytes(rows: Iterable[Any], max_bytes: int | None) -> list[Contact]:
    """The rows' contacts, in order, through the first that takes them past `max_bytes`.

    That last one (if any) is read but does not fit: it tells the caller the page is
    cut. Rows are read one at a time, so on SQLite the rest is never read from disk.
    """
    found: list[Contact] = []
    total = 0
    for row in rows:
        contact = _to_contact(row)
        found.append(contact)
        if max_bytes is not None:
            total += contact.stored_size()
            if total > max_bytes and len(found) > 1:
                break
    return found


def dumps(value: dict[str, Any]) -> str:
    return orjson.dumps(value).decode()


@dataclass(frozen=True, slots=True)
class ContactFilters:
    """Conditions a listing may narrow by: every one given must hold."""

    tag_ids: tuple[str, ...] = ()
    location_id: str | None = None
    # Compared case-insensitively with `contactMetadata.source`.
    source: str | None = None


def _meta_text(conn: Connection, *path: str) -> Any:
    """A text value inside the stored metadata JSON, in the dialect's own JSON functions."""
    if conn.dialect.name == "sqlite":
        return func.json_extract(contacts.c.meta, "$." + ".".join(path))
    return func.jsonb_extract_path_text(cast(contacts.c.meta, JSONB), *path)


def _meta_flag(conn: Connection, name: str) -> Any:
    """A boolean in the stored metadata JSON is true (`favorite`, say)."""
    if conn.dialect.name == "sqlite":
        return func.json_extract(contacts.c.meta, "$." + name) == true()
    return func.jsonb_extract_path_text(cast(contacts.c.meta, JSONB), name) == "true"


def _filter_conditions(conn: Connection, filters: ContactFilters) -> list[Any]:
    conditions: list[Any] = []
    for tag_id in filters.tag_ids:
        tagged = select(contact_tags.c.contact_pk).where(contact_tags.c.tag_id == tag_id)
        conditions.append(contacts.c.pk.in_(tagged))
    if filters.location_id is not None:
        conditions.append(_meta_text(conn, "location", "id") == filters.location_id)
    if filters.source is not None:
        conditions.append(func.lower(_meta_text(conn, "source")) == filters.source.lower())
    return conditions


# The hot reads (`contacts.get`, `contacts.scroll`) as statements built once: building a
# Core statement per call cost about four times as much as running it (measured; see
# docs/benchmarks.md), while a prebuilt one hits SQLAlchemy's compiled cache directly.
_LIVE_BY_IDS = select(*_COLUMNS).where(
    contacts.c.owner_id == bindparam("owner"),
    contacts.c.contact_id.in_(bindparam("ids", expanding=True)),
    contacts.c.deleted_at.is_(None),
)
_PAGE = (
    select(*_COLUMNS)
    .where(contacts.c.owner_id == bindparam("owner"), contacts.c.pk > bindparam("after"))
    .order_by(contacts.c.pk)
    .limit(bindparam("limit"))
)
_LIVE_PAGE = (
    select(*_COLUMNS)
    .where(
        contacts.c.owner_id == bindparam("owner"),
        contacts.c.pk > bindparam("after"),
        contacts.c.deleted_at.is_(None),
    )
    .order_by(contacts.c.pk)
    .limit(bindparam("limit"))
)
_TAGS_OF = (
    select(contact_tags.c.contact_pk, contact_tags.c.tag_id)
    .where(contact_tags.c.contact_pk.in_(bindparam("pks", expanding=True)))
    .order_by(contact_tags.c.contact_pk, contact_tags.c.tag_id)
)

# The single-contact writes, built once for the same reason as the reads above.
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


# The owner's live contacts, kept beside the stored count (revision 0018_book_letters).
_COUNT_LIVE = select(owner_counts.c.live).where(owner_counts.c.owner_id == bindparam("owner"))
_ADD_LIVE = (
    update(owner_counts)
    .where(owner_counts.c.owner_id == bindparam("owner"))
    .values(live=owner_counts.c.live + bindparam("change"))
)


@lru_cache(maxsize=4)
def _starts_statement(count: int) -> Any:
    """`count` EXISTS probes in one SELECT, built once per size: building and compiling a
    statement of 26 subqueries per page cost 15 to 60 ms, running it a few microseconds."""
    probes = [
        select(
            select(contacts.c.pk)
            .where(
                contacts.c.owner_id == bindparam("owner"),
                contacts.c.deleted_at.is_(None),
                contacts.c.sort_key >= bindparam(f"lo{i}"),
                contacts.c.sort_key < bindparam(f"hi{i}"),
            )
            .limit(1)
            .exists()
        ).scalar_subquery()
        for i in range(count)
    ]
    return select(*probes)


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


class ContactRepository:
    @staticmethod
    def attach_tags(conn: Connection, found: Sequence[Contact]) -> None:
        """Fill `tag_ids` for many contacts in one query (no N+1)."""
        if not found:
            return
        by_pk = {c.pk: c for c in found}
        tagged: dict[int, list[str]] = defaultdict(list)
        rows = conn.execute(_TAGS_OF, {"pks": list(by_pk)})
        for pk, tag_id in rows:
            tagged[pk].append(tag_id)
        for pk, contact in by_pk.items():
            contact.tag_ids = tagged.get(pk, [])

    @classmethod
    def by_ids(
        cls,
        conn: Connection,
        owner_id: str,
        contact_ids: Iterable[str],
        *,
        for_update: bool = False,
    ) -> dict[str, Contact]:
        """Live contacts of this owner among the ids; other owners' ids are simply absent."""
        ids = list(contact_ids)
        if not ids:
            return {}
        query = _LIVE_BY_IDS.with_for_update() if for_update else _LIVE_BY_IDS
        found = [_to_contact(row) for row in conn.execute(query, {"owner": owner_id, "ids": ids})]
        cls.attach_tags(conn, found)
        return {c.contact_id: c for c in found}

    @classmethod
    def page(
        cls, conn: Connection, owner_id: str, *, after_pk: int, limit: int, include_deleted: bool
    ) -> list[Contact]:
        """Up to `limit` contacts of the owner with keys above `after_pk`, in key order."""
        query = _PAGE if include_deleted else _LIVE_PAGE
        params = {"owner": owner_id, "after": after_pk, "limit": limit}
        found = [_to_contact(row) for row in conn.execute(query, params)]
        cls.attach_tags(conn, [c for c in found if not c.deleted])
        return found

    @classmethod
    def by_pks(cls, conn: Connection, owner_id: str, pks: Sequence[int]) -> list[Contact]:
        """Live contacts of this owner with these keys, in the order given (search results)."""
        if not pks:
            return []
        query = select(*_COLUMNS).where(
            contacts.c.owner_id == owner_id,
            contacts.c.pk.in_(list(pks)),
            contacts.c.deleted_at.is_(None),
        )
        by_pk = {c.pk: c for c in (_to_contact(row) for row in conn.execute(query))}
        found = [by_pk[pk] for pk in pks if pk in by_pk]
        cls.attach_tags(conn, found)
        return found

    @classmethod
    def by_ids_with_tombstones(
        cls, conn: Connection, owner_id: str, contact_ids: Iterable[str]
    ) -> dict[str, Contact]:
        """Contacts of this owner among the ids, deleted ones included (for sync diffs)."""
        ids = list(contact_ids)
        if not ids:
            return {}
        query = select(*_COLUMNS).where(
            contacts.c.owner_id == owner_id, contacts.c.contact_id.in_(ids)
        )
        found = [_to_contact(row) for row in conn.execute(query)]
        cls.attach_tags(conn, [c for c in found if not c.deleted])
        return {c.contact_id: c for c in found}

    @classmethod
    def page_offset(
        cls,
        conn: Connection,
        owner_id: str,
        *,
        offset: int,
        limit: int,
        filters: ContactFilters | None = None,
        max_bytes: int | None = None,
    ) -> tuple[list[Contact], int]:
        """One offset page of the owner's live contacts in creation order, and how many match.

        For the APIs that page by number (`page`/`limit`, `skip`/`top`). The filters are
        conditions on indexed columns and on the stored metadata JSON. With `max_bytes`,
        the page ends at the first contact that takes it past that size
        (`_within_bytes`).
        """
        conditions: list[Any] = [contacts.c.owner_id == owner_id, contacts.c.deleted_at.is_(None)]
        if filters is not None:
            conditions.extend(_filter_conditions(conn, filters))
        total = conn.execute(select(func.count()).select_from(contacts).where(*conditions))
        count = int(total.scalar_one())
        query = (
            select(*_COLUMNS).where(*conditions).order_by(contacts.c.pk).offset(offset).limit(limit)
        )
        result = conn.execute(query)
        try:
            found = _within_bytes(result, max_bytes)
        finally:
            result.close()
        cls.attach_tags(conn, found)
        return found, count

    @staticmethod
    def filter_conditions(conn: Connection, filters: ContactFilters) -> list[Any]:
        """The filters as conditions on `contacts` (for a search narrowed the same way)."""
        return _filter_conditions(conn, filters)

    @classmethod
    def page_by_name(
        cls,
        conn: Connection,
        owner_id: str,
        *,
        after: tuple[str, int] | None,
        limit: int,
        tag_ids: Sequence[str] = (),
        favorites_only: bool = False,
        from_key: str | None = None,
    ) -> list[tuple[Contact, str]]:
        """Up to `limit` live contacts, each with its sort key, in (sort_key, pk) order after `after`.

        For the web address book. `from_key` (used when there is no `after`) starts at the
        first key at or after it: the A-Z index's jump to a letter.

        Walks the index on (owner_id, sort_key, pk): a page costs the same wherever it
        starts, however many contacts the owner has.
        """
        conditions: list[Any] = [contacts.c.owner_id == owner_id, contacts.c.deleted_at.is_(None)]
        conditions.extend(_filter_conditions(conn, ContactFilters(tag_ids=tuple(tag_ids))))
        if favorites_only:
            conditions.append(_meta_flag(conn, "favorite"))
        if after is not None:
            key, pk = after
            # The `>=` alone is what both databases can seek the index with; the OR
            # then only steps past the rows of the same key already shown.
            conditions.append(contacts.c.sort_key >= key)
            conditions.append(or_(contacts.c.sort_key > key, contacts.c.pk > pk))
        elif from_key:
            conditions.append(contacts.c.sort_key >= from_key)
        query = (
            select(*_COLUMNS, contacts.c.sort_key)
            .where(*conditions)
            .order_by(contacts.c.sort_key, contacts.c.pk)
            .limit(limit)
        )
        rows = conn.execute(query).all()
        found = [_to_contact(row) for row in rows]
        cls.attach_tags(conn, found)
        return [(c, row.sort_key) for c, row in zip(found, rows, strict=True)]

    @staticmethod
    def count_live(conn: Connection, owner_id: str) -> int:
        """How many live contacts the owner has: one row read (`owner_counts.live`).

        Kept in the writes' own transactions: `add_to_count` (new contacts) and
        `add_live` (a delete, a restore). A write that makes a contact live or not
        live in any other way must call `add_live` too.
        """
        found = conn.execute(_COUNT_LIVE, {"owner": owner_id}).scalar()
        return int(found or 0)

    @staticmethod
    def add_live(conn: Connection, owner_id: str, change: int) -> None:
        """Count contacts becoming live (+) or deleted (-), in the write's transaction."""
        conn.execute(_ADD_LIVE, {"owner": owner_id, "change": change})

    @staticmethod
    def starts_present(conn: Connection, owner_id: str, starts: Sequence[str]) -> set[str]:
        """Which of `starts` (one-character key prefixes) begin some live contact's sort key.

        One statement of one index seek per prefix (`EXISTS` over the live-only index,
        0017), so it costs the same for 30 contacts or 100,000.
        """
        if not starts:
            return set()
        params: dict[str, str] = {"owner": owner_id}
        for i, start in enumerate(starts):
            params[f"lo{i}"], params[f"hi{i}"] = start, chr(ord(start) + 1)
        row = conn.execute(_starts_statement(len(starts)), params).one()
        return {start for start, found in zip(starts, row, strict=True) if found}

    @staticmethod
    def insert(conn: Connection, contact: Contact) -> int:
        result = conn.execute(
            _INSERT,
            {
                "contact_id": contact.contact_id,
                "owner_id": contact.owner_id,
                "etag": contact.etag,
                "created_at": contact.created_at,
                "updated_at": contact.updated_at,
                "deleted_at": None,
                "data": dumps(contact.data),
                "sort_key": sort_key(contact.data),
                "meta": dumps(contact.meta),
            },
        )
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
        going through Core cost a statement per row on SQLite and more than the write itself.
        """
        if not new:
            return []
        if prepared is None:
            region = phones.default_region()
            dialect = conn.dialect.name
            prepared = [prepare(dialect, c.owner_id, c.data, region) for c in new]
        if conn.dialect.name == "sqlite":
            pks = ContactRepository._insert_numbered(conn, new, prepared)
            search_index.write_prepared(
                conn,
                [(pk, c.owner_id) for pk, c in zip(pks, new, strict=True)],
                [p.search_row for p in prepared],
            )
            return pks
        mark = "%s"
        keys: dict[str, int] = {}
        for start in range(0, len(new), _ROWS_PER_INSERT):
            chunk = range(start, min(start + _ROWS_PER_INSERT, len(new)))
            params: list[Any] = []
            for i in chunk:
                c, p = new[i], prepared[i]
                params += (c.contact_id, c.owner_id, c.etag, c.created_at, c.updated_at)
                params += (c.deleted_at, p.data_json, p.sort_key, dumps(c.meta))
            values = ", ".join(["(" + ", ".join([mark] * 9) + ")"] * len(chunk))
            found = conn.exec_driver_sql(_INSERT_MANY.format(values), tuple(params))
            keys.update((contact_id, pk) for pk, contact_id in found)
        pks = [int(keys[c.contact_id]) for c in new]
        search_index.write_prepared(
            conn,
            [(pk, c.owner_id) for pk, c in zip(pks, new, strict=True)],
            [p.search_row for p in prepared],
        )
        return pks

    @staticmethod
    def _insert_numbered(
        conn: Connection, new: Sequence[Contact], prepared: Sequence[PreparedContact]
    ) -> list[int]:
        """SQLite: the rows in with keys numbered on from the largest, as SQLite would.

        The write transaction holds SQLite's only write lock, so no other row can take
        those keys meanwhile; and SQLite gives a new row the largest key plus one all the
        same. Plain rows through `executemany` then need no `RETURNING` to learn the keys
        (a bulk import's largest Python cost per contact in the writer after FTS5).
        """
        largest = conn.exec_driver_sql("SELECT coalesce(max(pk), 0) FROM contacts").scalar_one()
        pks = list(range(largest + 1, largest + 1 + len(new)))
        conn.exec_driver_sql(
            _INSERT_NUMBERED,
            [
                (
                    *(pk, c.contact_id, c.owner_id, c.etag, c.created_at, c.updated_at),
                    *(c.deleted_at, p.data_json, p.sort_key, dumps(c.meta)),
                )
                for pk, c, p in zip(pks, new, prepared, strict=True)
            ],
        )
        return pks

    @staticmethod
    def add_to_count(conn: Connection, owner_id: str, count: int) -> int:
        """Add `count` new (live) contacts to the owner's counts (one upsert); the new total."""
        statement = _COUNT_UPSERT[conn.dialect.name]
        return int(conn.execute(statement, {"owner": owner_id, "count": count}).scalar_one())

    @staticmethod
    def save(conn: Connection, contact: Contact) -> None:
        conn.execute(
            _SAVE,
            {
                "key": contact.pk,
                "etag": contact.etag,
                "updated_at": contact.updated_at,
                "deleted_at": contact.deleted_at,
                "data": dumps(contact.data),
                "sort_key": sort_key(contact.data),
                "meta": dumps(contact.meta),
            },
        )
        search_index.write(conn, [contact])

    @staticmethod
    def set_tags(conn: Connection, contact_pk: int, tag_ids: Iterable[str]) -> None:
        conn.execute(_UNTAG_ALL, {"key": contact_pk})
        rows = [{"contact_pk": contact_pk, "tag_id": t} for t in sorted(set(tag_ids))]
        if rows:
            conn.execute(insert(contact_tags), rows)
