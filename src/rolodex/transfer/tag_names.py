"""A file's tag names -> the owner's tags, made when missing, inside the caller's write.

Names compare by the tags' own rule (`tags.model.name_key`); a new tag is stored and
logged `created` exactly as `TagService.create` does, but in the import batch's
transaction, so a batch that fails leaves no tag behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from rolodex.ids import new_etag, new_id
from rolodex.store.changelog import CREATED, ChangeLog
from rolodex.tags.model import Tag, name_key
from rolodex.tags.repository import TagRepository
from rolodex.tags.service import ENTITY
from rolodex.timestamps import now_ms


def ensure_tags(conn: Connection, owner_id: str, names: Sequence[str]) -> dict[str, str]:
    """name key -> tag id for each (clean) name, making the tags no live tag has."""
    found: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if key in found:
            continue
        existing = TagRepository.live_by_key(conn, owner_id, key)
        if existing is None:
            now = now_ms()
            existing = Tag(0, new_id("tg_"), owner_id, name, key, new_etag(), now, now, None)
            existing.pk = TagRepository.insert(conn, existing)
            ChangeLog.append(
                conn,
                owner_id=owner_id,
                entity=ENTITY,
                entity_id=existing.tag_id,
                action=CREATED,
                etag=existing.etag,
                occurred_at=now,
            )
        found[key] = existing.tag_id
    return found


def tag_names(conn: Connection, owner_id: str, tag_ids: Sequence[str]) -> dict[str, str]:
    """tag id -> name for the owner's live tags among `tag_ids`."""
    return {t.tag_id: t.name for t in TagRepository.by_ids(conn, owner_id, tag_ids).values()}
