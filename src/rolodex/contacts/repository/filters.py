"""The conditions a contact listing may narrow by, as SQL on the contacts table `c`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, FromClause, cast, func, select, true
from sqlalchemy.dialects.postgresql import JSONB

from rolodex.store.schema import contact_tags, contacts

# The contacts table as every contact read names it: rows.py's `TAG_IDS` refers to `c`.
c = contacts.alias("c")


@dataclass(frozen=True, slots=True)
class ContactFilters:
    """Conditions a listing may narrow by: every one given must hold."""

    tag_ids: tuple[str, ...] = ()
    location_id: str | None = None
    # Compared case-insensitively with `contactMetadata.source`.
    source: str | None = None


def meta_text(conn: Connection, *path: str, table: FromClause = c) -> Any:
    """A text value inside the stored metadata JSON, in the dialect's own JSON functions."""
    if conn.dialect.name == "sqlite":
        return func.json_extract(table.c.meta, "$." + ".".join(path))
    return func.jsonb_extract_path_text(cast(table.c.meta, JSONB), *path)


def meta_flag(conn: Connection, name: str) -> Any:
    """A boolean in the stored metadata JSON is true (`favorite`, say)."""
    if conn.dialect.name == "sqlite":
        return func.json_extract(c.c.meta, "$." + name) == true()
    return func.jsonb_extract_path_text(cast(c.c.meta, JSONB), name) == "true"


def filter_conditions(
    conn: Connection, filters: ContactFilters, *, table: FromClause = c
) -> list[Any]:
    """The filters as conditions on `table`: the alias `c` the reads use, or the plain
    contacts table a search's statements name."""
    conditions: list[Any] = []
    for tag_id in filters.tag_ids:
        tagged = select(contact_tags.c.contact_pk).where(contact_tags.c.tag_id == tag_id)
        conditions.append(table.c.pk.in_(tagged))
    if filters.location_id is not None:
        location = meta_text(conn, "location", "id", table=table)
        conditions.append(location == filters.location_id)
    if filters.source is not None:
        source = meta_text(conn, "source", table=table)
        conditions.append(func.lower(source) == filters.source.lower())
    return conditions
