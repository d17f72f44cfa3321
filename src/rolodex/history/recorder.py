"""The contact service's version keeper: one `contact_versions` row per contact written.

Runs inside each write's transaction (contacts/versions.py), so a write and the version it
replaced are kept together or not at all. Who made the change is the actor the protocol
edge stated (rolodex.actors); a write with none stated is the system's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Connection

from rolodex.actors import SYSTEM, Actor, current
from rolodex.contacts.model import Contact
from rolodex.contacts.versions import Snapshot
from rolodex.history.guard import DeletionGuard
from rolodex.history.repository import VersionRepository

_SYSTEM = Actor(kind=SYSTEM, name="system")


class Recorder:
    """Records versions (`kept`) and asks the mass-deletion guard (`may_delete`)."""

    def __init__(self, guard: DeletionGuard) -> None:
        self.guard = guard

    def kept(
        self,
        conn: Connection,
        action: str,
        changes: Sequence[tuple[Contact, Snapshot | None]],
    ) -> None:
        """One row per contact: who, when, the etag the write gave it, what it replaced."""
        actor = current() or _SYSTEM
        who = (actor.account_id, actor.credential_id, actor.kind, actor.name[:256])
        rows: list[tuple[Any, ...]] = []
        for contact, before in changes:
            head = (contact.owner_id, contact.contact_id, action, contact.updated_at, contact.etag)
            rows.append((*head, *who, *_replaced(before)))
        VersionRepository.append(conn, rows)

    def may_delete(self, owner_id: str, count: int = 1) -> None:
        """The mass-deletion guard's say on `count` deletions by the current actor (guard.py)."""
        self.guard.check(owner_id, current(), count)


_NOTHING = (None, None, None, None, None, None)


def _replaced(before: Snapshot | None) -> tuple[Any, ...]:
    """The `before_*`, `data`, `meta` and `tag_ids` columns: all NULL for a creation."""
    if before is None:
        return _NOTHING
    tags = orjson.dumps(list(before.tag_ids)).decode()
    return (
        before.etag,
        before.updated_at,
        before.deleted_at,
        before.data_json,
        before.meta_json,
        tags,
    )
