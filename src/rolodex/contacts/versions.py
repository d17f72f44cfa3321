"""What the contact service tells whoever keeps versions (rolodex.history), and when.

The contacts package may not know the history package (it sits beside it), so
`ContactService` holds a `VersionKeeper` set by the Services wiring, as it holds
`data_saved`. Every write tells it, inside the write's transaction, the version each
contact had before (`Snapshot`, None for a contact the write created) and what the write
did; a refusal raised there rolls the write back. Before a deletion's transaction starts,
`may_delete` may refuse it (the mass-deletion guard).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from sqlalchemy import Connection

from rolodex.contacts.model import Contact

# What a write did to a contact, as a kept version names it.
CREATED = "created"
UPDATED = "updated"
DELETED = "deleted"
UNDELETED = "undeleted"
RESTORED = "restored"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A contact as it was before a write: its stored data and metadata as JSON text."""

    etag: str
    updated_at: int
    deleted_at: int | None
    data_json: str
    meta_json: str
    tag_ids: tuple[str, ...]

    @classmethod
    def of(cls, contact: Contact) -> Snapshot:
        """Taken before the write changes anything: the text as read when it was never parsed."""
        data, meta = contact.__dict__["_data"], contact.__dict__["_meta"]
        return cls(
            etag=contact.etag,
            updated_at=contact.updated_at,
            deleted_at=contact.deleted_at,
            data_json=data if isinstance(data, str) else orjson.dumps(data).decode(),
            meta_json=meta if isinstance(meta, str) else orjson.dumps(meta).decode(),
            tag_ids=tuple(contact.tag_ids),
        )

    def data(self) -> dict[str, Any]:
        parsed: dict[str, Any] = orjson.loads(self.data_json)
        return parsed


class VersionKeeper(Protocol):
    """Keeps the versions a write replaces (rolodex.history.recorder.Recorder)."""

    def kept(
        self,
        conn: Connection,
        action: str,
        changes: Sequence[tuple[Contact, Snapshot | None]],
    ) -> None:
        """In the write's transaction: each contact as saved, and what it was before."""

    def may_delete(self, owner_id: str, count: int = 1) -> None:
        """Before a deletion's transaction (of `count` contacts): raise to refuse it."""
