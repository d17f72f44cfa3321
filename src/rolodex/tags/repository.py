"""SQL for tags and for which contacts carry them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from rolodex.store.schema import contact_tags, contacts, tags
from rolodex.tags.model import Tag


def _to_tag(row: Any) -> Tag:
    return Tag(
        pk=row.pk,
        tag_id=row.tag_id,
        owner_id=row.owner_id,
        name=row.name,
        name_key=row.name_key,
        etag=row.etag,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
    )


class TagRepository:
    @staticmethod
    def by_ids(
        conn: Connection, owner_id: str, tag_ids: Iterable[str], *, for_update: bool = False
    ) -> dict[str, Tag]:
        """Live tags of this owner among the ids; other owners' ids are simply absent."""
        ids = list(tag_ids)
        if not ids:
            return {}
        query = select(tags).where(
            tags.c.owner_id == owner_id, tags.c.tag_id.in_(ids), tags.c.deleted_at.is_(None)
        )
        if for_update:
            query = query.with_for_update()
        return {row.tag_id: _to_tag(row) for row in conn.execute(query)}

    @staticmethod
    def live_by_key(conn: Connection, owner_id: str, key: str) -> Tag | None:
        row = conn.execute(
            select(tags).where(
                tags.c.owner_id == owner_id, tags.c.name_key == key, tags.c.deleted_at.is_(None)
            )
        ).first()
        return None if row is None else _to_tag(row)

    @staticmethod
    def live_by_keys(conn: Connection, owner_id: str, keys: Iterable[str]) -> dict[str, Tag]:
        """name key -> the owner's live tag of that name, for the keys some tag has.

        One statement on the index of (owner, name key) (`ux_tags_owner_live_name`),
        however many tags the owner has. Keys are `tags.model.name_key` of the names.
        """
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        rows = conn.execute(
            select(tags).where(
                tags.c.owner_id == owner_id,
                tags.c.name_key.in_(wanted),
                tags.c.deleted_at.is_(None),
            )
        )
        return {row.name_key: _to_tag(row) for row in rows}

    @staticmethod
    def page(
        conn: Connection, owner_id: str, *, after_pk: int, limit: int, include_deleted: bool
    ) -> list[Tag]:
        """Up to `limit` tags of the owner with keys above `after_pk`, in key order."""
        query = select(tags).where(tags.c.owner_id == owner_id, tags.c.pk > after_pk)
        if not include_deleted:
            query = query.where(tags.c.deleted_at.is_(None))
        query = query.order_by(tags.c.pk).limit(limit)
        return [_to_tag(row) for row in conn.execute(query)]

    @staticmethod
    def insert(conn: Connection, tag: Tag) -> int:
        result = conn.execute(
            insert(tags)
            .values(
                tag_id=tag.tag_id,
                owner_id=tag.owner_id,
                name=tag.name,
                name_key=tag.name_key,
                etag=tag.etag,
                created_at=tag.created_at,
                updated_at=tag.updated_at,
                deleted_at=None,
            )
            .returning(tags.c.pk)
        )
        return int(result.scalar_one())

    @staticmethod
    def save(conn: Connection, tag: Tag) -> None:
        conn.execute(
            update(tags)
            .where(tags.c.pk == tag.pk)
            .values(
                name=tag.name,
                name_key=tag.name_key,
                etag=tag.etag,
                updated_at=tag.updated_at,
                deleted_at=tag.deleted_at,
            )
        )

    @staticmethod
    def contact_ids_carrying(conn: Connection, owner_id: str, tag_id: str) -> list[str]:
        """Ids of the owner's live contacts that carry the tag."""
        rows = conn.execute(
            select(contacts.c.contact_id)
            .join(contact_tags, contact_tags.c.contact_pk == contacts.c.pk)
            .where(
                contact_tags.c.tag_id == tag_id,
                contacts.c.owner_id == owner_id,
                contacts.c.deleted_at.is_(None),
            )
            .order_by(contacts.c.pk)
        )
        return [row.contact_id for row in rows]
