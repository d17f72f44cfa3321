"""The contact reads that go through SQLAlchemy Core: the ones a write locks, and the listings.

Each selects rows.py's columns and tag ids from the contacts table `c` and maps rows
with `contact_from_row`, in one statement (tags included). The hot reads by id and
scroll pages are quick.py's, on the driver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)

from rolodex.contacts.model import Contact
from rolodex.contacts.repository.filters import ContactFilters, c, filter_conditions, meta_flag
from rolodex.contacts.repository.rows import COLUMNS, TAG_IDS, contact_from_row


def _selected(dialect: str, *extra: Any) -> Select[Any]:
    """`SELECT <COLUMNS>, <TAG_IDS>` (then `extra`) from `c`, in `dialect`."""
    return select(
        *(c.c[name] for name in COLUMNS), literal_column(TAG_IDS[dialect]).label("tag_ids"), *extra
    )


def _select(conn: Connection, *extra: Any) -> Select[Any]:
    return _selected(conn.dialect.name, *extra)


def _owned_by(dialect: str, owner: Any) -> ColumnElement[bool]:
    """`c.owner_id = owner`, for reads that name their contacts by id or key.

    Such a read should look each contact up on its unique key and only check the owner.
    SQLite without statistics (a store that was never ANALYZEd, as after an import)
    guesses an owner has ten contacts, and from four ids on walked the owner's index
    instead: a million entries for ten contacts at a million (docs/benchmarks.md, "One
    million cards"). The unary plus keeps the owner out of the index choice on SQLite.
    """
    column = literal_column("+c.owner_id") if dialect == "sqlite" else c.c.owner_id
    condition: ColumnElement[bool] = column == owner
    return condition


# Built once per dialect rather than per call: SQLAlchemy then finds it in its
# compiled cache directly (building a Core statement costs more than running it).
_LIVE_BY_IDS = {
    dialect: _selected(dialect).where(
        _owned_by(dialect, bindparam("owner")),
        c.c.contact_id.in_(bindparam("ids", expanding=True)),
        c.c.deleted_at.is_(None),
    )
    for dialect in TAG_IDS
}
_LIVE_BY_IDS_LOCKED = {dialect: query.with_for_update() for dialect, query in _LIVE_BY_IDS.items()}


@lru_cache(maxsize=4)
def _starts_statement(count: int) -> Any:
    """`count` EXISTS probes in one SELECT, built once per size (a page asks for the
    same count every time, and building this statement costs far more than running it)."""
    probes = [
        select(
            select(c.c.pk)
            .where(
                c.c.owner_id == bindparam("owner"),
                c.c.deleted_at.is_(None),
                c.c.sort_key >= bindparam(f"lo{i}"),
                c.c.sort_key < bindparam(f"hi{i}"),
            )
            .limit(1)
            .exists()
        ).scalar_subquery()
        for i in range(count)
    ]
    return select(*probes)


def _within_bytes(rows: Iterable[Any], max_bytes: int | None) -> list[Contact]:
    """The rows' contacts, in order, through the first that takes them past `max_bytes`.

    That last one (if any) is read but does not fit: it tells the caller the page is
    cut. Rows are read one at a time, so on SQLite the rest is never read from disk.
    """
    found: list[Contact] = []
    total = 0
    for row in rows:
        contact = contact_from_row(row)
        found.append(contact)
        if max_bytes is not None:
            total += contact.stored_size()
            if total > max_bytes and len(found) > 1:
                break
    return found


class ContactReads:
    @staticmethod
    def by_ids(
        conn: Connection,
        owner_id: str,
        contact_ids: Iterable[str],
        *,
        for_update: bool = False,
    ) -> dict[str, Contact]:
        """Live contacts of this owner among the ids; other owners' ids are simply absent.

        `for_update` locks their rows until the transaction ends (a write's read).
        """
        ids = list(contact_ids)
        if not ids:
            return {}
        query = (_LIVE_BY_IDS_LOCKED if for_update else _LIVE_BY_IDS)[conn.dialect.name]
        found = [
            contact_from_row(row) for row in conn.execute(query, {"owner": owner_id, "ids": ids})
        ]
        return {contact.contact_id: contact for contact in found}

    @staticmethod
    def by_pks(conn: Connection, owner_id: str, pks: Sequence[int]) -> list[Contact]:
        """Live contacts of this owner with these keys, in the order given (search results)."""
        if not pks:
            return []
        query = _select(conn).where(
            _owned_by(conn.dialect.name, owner_id),
            c.c.pk.in_(list(pks)),
            c.c.deleted_at.is_(None),
        )
        by_pk = {found.pk: found for found in map(contact_from_row, conn.execute(query))}
        return [by_pk[pk] for pk in pks if pk in by_pk]

    @staticmethod
    def by_ids_with_tombstones(
        conn: Connection, owner_id: str, contact_ids: Iterable[str]
    ) -> dict[str, Contact]:
        """Contacts of this owner among the ids, deleted ones included (for sync diffs)."""
        ids = list(contact_ids)
        if not ids:
            return {}
        query = _select(conn).where(_owned_by(conn.dialect.name, owner_id), c.c.contact_id.in_(ids))
        found = [contact_from_row(row) for row in conn.execute(query)]
        return {contact.contact_id: contact for contact in found}

    @staticmethod
    def page_offset(
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
        conditions: list[Any] = [c.c.owner_id == owner_id, c.c.deleted_at.is_(None)]
        if filters is not None:
            conditions.extend(filter_conditions(conn, filters))
        total = conn.execute(select(func.count()).select_from(c).where(*conditions))
        count = int(total.scalar_one())
        query = _select(conn).where(*conditions).order_by(c.c.pk).offset(offset).limit(limit)
        result = conn.execute(query)
        try:
            found = _within_bytes(result, max_bytes)
        finally:
            result.close()
        return found, count

    @staticmethod
    def page_by_name(
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
        conditions: list[Any] = [c.c.owner_id == owner_id, c.c.deleted_at.is_(None)]
        conditions.extend(filter_conditions(conn, ContactFilters(tag_ids=tuple(tag_ids))))
        if favorites_only:
            conditions.append(meta_flag(conn, "favorite"))
        if after is not None:
            key, pk = after
            # The `>=` alone is what both databases can seek the index with; the OR
            # then only steps past the rows of the same key already shown.
            conditions.append(c.c.sort_key >= key)
            conditions.append(or_(c.c.sort_key > key, c.c.pk > pk))
        elif from_key:
            conditions.append(c.c.sort_key >= from_key)
        query = (
            _select(conn, c.c.sort_key)
            .where(*conditions)
            .order_by(c.c.sort_key, c.c.pk)
            .limit(limit)
        )
        return [(contact_from_row(row), row.sort_key) for row in conn.execute(query)]

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
