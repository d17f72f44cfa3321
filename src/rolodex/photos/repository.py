"""SQL for photo metadata: the only module that knows the `photos` table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from rolodex.store.schema import photos


@dataclass(frozen=True, slots=True)
class PhotoRecord:
    photo_id: str
    owner_id: str
    contact_id: str
    created_at: int
    content_type: str
    width: int
    height: int
    digest: str
    thumb_content_type: str
    thumb_digest: str


class PhotoRepository:
    @staticmethod
    def insert(conn: Connection, record: PhotoRecord) -> None:
        conn.execute(
            insert(photos).values(
                photo_id=record.photo_id,
                owner_id=record.owner_id,
                contact_id=record.contact_id,
                created_at=record.created_at,
                content_type=record.content_type,
                width=record.width,
                height=record.height,
                digest=record.digest,
                thumb_content_type=record.thumb_content_type,
                thumb_digest=record.thumb_digest,
            )
        )

    @staticmethod
    def get(conn: Connection, photo_id: str) -> PhotoRecord | None:
        row = conn.execute(select(photos).where(photos.c.photo_id == photo_id)).first()
        return None if row is None else PhotoRecord(**row._mapping)

    @staticmethod
    def page(conn: Connection, *, after: str, created_before: int, limit: int) -> list[PhotoRecord]:
        """Photos older than `created_before`, in id order after `after` (for sweeping)."""
        rows = conn.execute(
            select(photos)
            .where(photos.c.photo_id > after, photos.c.created_at < created_before)
            .order_by(photos.c.photo_id)
            .limit(limit)
        )
        return [PhotoRecord(**row._mapping) for row in rows]

    @staticmethod
    def of_contact(
        conn: Connection, owner_id: str, contact_id: str, photo_ids: Sequence[str]
    ) -> list[str]:
        """Which of `photo_ids` were uploaded to this owner's contact (others are not ours to drop)."""
        if not photo_ids:
            return []
        rows = conn.execute(
            select(photos.c.photo_id).where(
                photos.c.owner_id == owner_id,
                photos.c.contact_id == contact_id,
                photos.c.photo_id.in_(list(photo_ids)),
            )
        )
        return [row.photo_id for row in rows]

    @staticmethod
    def delete(conn: Connection, photo_ids: Sequence[str]) -> None:
        if photo_ids:
            conn.execute(delete(photos).where(photos.c.photo_id.in_(list(photo_ids))))
