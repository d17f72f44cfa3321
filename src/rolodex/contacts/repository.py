"""SQL for contacts: the only module that knows how a contact sits in its tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, cast, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB

from rolodex.contacts.model import Contact
from rolodex.store.schema import contact_tags, contacts

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


def _to_contact(row: Any) -> Contact:
    return Contact(
        pk=row.pk,
        contact_id=row.contact_id,
        owner_id=row.owner_id,
        etag=row.etag,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        data=orjson.loads(row.data),
        meta=orjson.loads(row.meta),
    )


def dumps(value: dict[str, Any]) -> str:
    return orjson.dumps(value).decode()


@dataclass(frozen=True, slots=True)
class ContactFilters:
    """Conditions a listing may narrow by: every one given must hold."""

    tag_ids: tuple[str, ...] = ()
    location_id: str | None = None
    # Compared case-insensitively with `contactMetadata.source`.
    source: str | None = None
    contact_ids: tuple[str, ...] | None = None


def _meta_text(conn: Connection, *path: str) -> Any:
    """A text value inside the stored metadata JSON, in the dialect's own JSON functions."""
    if conn.dialect.name == "sqlite":
        return func.json_extract(contacts.c.meta, "$." + ".".join(path))
    return func.jsonb_extract_path_text(cast(contacts.c.meta, JSONB), *path)


def _filter_conditions(conn: Connection, filters: ContactFilters) -> list[Any]:
    conditions: list[Any] = []
    for tag_id in filters.tag_ids:
        tagged = select(contact_tags.c.contact_pk).where(contact_tags.c.tag_id == tag_id)
        conditions.append(contacts.c.pk.in_(tagged))
    if filters.location_id is not None:
        conditions.append(_meta_text(conn, "location", "id") == filters.location_id)
    if filters.source is not None:
        conditions.append(func.lower(_meta_text(conn, "source")) == filters.source.lower())
    if filters.contact_ids is not None:
        conditions.append(contacts.c.contact_id.in_(list(filters.contact_ids)))
    return conditions


class ContactRepository:
    @staticmethod
    def attach_tags(conn: Connection, found: Sequence[Contact]) -> None:
        """Fill `tag_ids` for many contacts in one query (no N+1)."""
        if not found:
            return
        by_pk = {c.pk: c for c in found}
        tagged: dict[int, list[str]] = defaultdict(list)
        rows = conn.execute(
            select(contact_tags.c.contact_pk, contact_tags.c.tag_id)
            .where(contact_tags.c.contact_pk.in_(list(by_pk)))
            .order_by(contact_tags.c.contact_pk, contact_tags.c.tag_id)
        )
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
        query = select(*_COLUMNS).where(
            contacts.c.owner_id == owner_id,
            contacts.c.contact_id.in_(ids),
            contacts.c.deleted_at.is_(None),
        )
        if for_update:
            query = query.with_for_update()
        found = [_to_contact(row) for row in conn.execute(query)]
        cls.attach_tags(conn, found)
        return {c.contact_id: c for c in found}

    @classmethod
    def page(
        cls, conn: Connection, owner_id: str, *, after_pk: int, limit: int, include_deleted: bool
    ) -> list[Contact]:
        """Up to `limit` contacts of the owner with keys above `after_pk`, in key order."""
        query = select(*_COLUMNS).where(contacts.c.owner_id == owner_id, contacts.c.pk > after_pk)
        if not include_deleted:
            query = query.where(contacts.c.deleted_at.is_(None))
        query = query.order_by(contacts.c.pk).limit(limit)
        found = [_to_contact(row) for row in conn.execute(query)]
        cls.attach_tags(conn, [c for c in found if not c.deleted])
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
    ) -> tuple[list[Contact], int]:
        """One offset page of the owner's live contacts in creation order, and how many match.

        For the APIs that page by number (`page`/`limit`, `skip`/`top`). The filters are
        conditions on indexed columns and on the stored metadata JSON.
        """
        conditions: list[Any] = [contacts.c.owner_id == owner_id, contacts.c.deleted_at.is_(None)]
        if filters is not None:
            conditions.extend(_filter_conditions(conn, filters))
        total = conn.execute(select(func.count()).select_from(contacts).where(*conditions))
        count = int(total.scalar_one())
        query = (
            select(*_COLUMNS).where(*conditions).order_by(contacts.c.pk).offset(offset).limit(limit)
        )
        found = [_to_contact(row) for row in conn.execute(query)]
        cls.attach_tags(conn, found)
        return found, count

    @staticmethod
    def insert(conn: Connection, contact: Contact) -> int:
        result = conn.execute(
            insert(contacts)
            .values(
                contact_id=contact.contact_id,
                owner_id=contact.owner_id,
                etag=contact.etag,
                created_at=contact.created_at,
                updated_at=contact.updated_at,
                deleted_at=None,
                data=dumps(contact.data),
                meta=dumps(contact.meta),
            )
            .returning(contacts.c.pk)
        )
        return int(result.scalar_one())

    @staticmethod
    def insert_many(conn: Connection, new: Sequence[Contact]) -> list[int]:
        """Insert many contacts in one statement (the bulk import path); their keys, in order."""
        if not new:
            return []
        rows = [
            {
                "contact_id": c.contact_id,
                "owner_id": c.owner_id,
                "etag": c.etag,
                "created_at": c.created_at,
                "updated_at": c.updated_at,
                "deleted_at": None,
                "data": dumps(c.data),
                "meta": dumps(c.meta),
            }
            for c in new
        ]
        result = conn.execute(
            insert(contacts).returning(contacts.c.pk, sort_by_parameter_order=True), rows
        )
        return [int(pk) for pk in result.scalars()]

    @staticmethod
    def save(conn: Connection, contact: Contact) -> None:
        conn.execute(
            update(contacts)
            .where(contacts.c.pk == contact.pk)
            .values(
                etag=contact.etag,
                updated_at=contact.updated_at,
                deleted_at=contact.deleted_at,
                data=dumps(contact.data),
                meta=dumps(contact.meta),
            )
        )

    @staticmethod
    def set_tags(conn: Connection, contact_pk: int, tag_ids: Iterable[str]) -> None:
        conn.execute(delete(contact_tags).where(contact_tags.c.contact_pk == contact_pk))
        rows = [{"contact_pk": contact_pk, "tag_id": t} for t in sorted(set(tag_ids))]
        if rows:
            conn.execute(insert(contact_tags), rows)
