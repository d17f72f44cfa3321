"""Sync tokens: a client's bookmark in its owner's change log, and the diff since one.

A token names a change-log sequence number of one owner. A diff reads the contact
changes after it (DESIGN.md: sync is built from the outbox, so no write is missed and
none is invented), folds several changes of one contact into one item, and hands back a
new token for the point it reached. Tokens stay valid, so a client that lost an answer
can ask again with the token it had.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from rolodex.contacts.model import Contact
from rolodex.contacts.service import ENTITY, ContactService
from rolodex.errors import DomainError
from rolodex.store import Store
from rolodex.store.changelog import CREATED, DELETED, UPDATED, ChangeLog, last_of_each
from rolodex.store.schema import sync_tokens
from rolodex.timestamps import now_ms

# Changes read per diff; a client with more pending gets them over several diffs, each
# token picking up where the last answer stopped.
MAX_CHANGES_PER_DIFF = 1000


class UnknownSyncToken(DomainError):
    """The token was never issued to this owner (the personal API answers 403)."""

    code = "unknown_sync_token"


@dataclass(frozen=True, slots=True)
class SyncItem:
    contact: Contact
    # One of CREATED, UPDATED, DELETED (the change log's words).
    change: str


@dataclass(frozen=True, slots=True)
class SyncDiff:
    token: str
    items: list[SyncItem]


class SyncService:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self.store = store
        self.contacts = contacts

    def start(self, owner_id: str) -> str:
        """A token for "now": a diff with it reports the changes made after this call."""
        with self.store.write(owner_id=owner_id) as conn:
            seq = ChangeLog.last_seq(conn, owner_id)
            return self._issue(conn, owner_id, seq)

    def diff(self, owner_id: str, token: str) -> SyncDiff:
        """The owner's contacts changed since `token`, one item each, and the next token.

        A contact created since the token is CREATED (whatever else happened to it
        after), one deleted is DELETED, any other is UPDATED. A contact both created and
        deleted since the token is left out: the client never saw it.
        """
        with self.store.read() as conn:
            row = conn.execute(
                select(sync_tokens.c.owner_id, sync_tokens.c.seq).where(
                    sync_tokens.c.token == token[:64]
                )
            ).first()
            if row is None or row.owner_id != owner_id:
                raise UnknownSyncToken("unknown sync token", field="token")
            changes = ChangeLog.since(conn, owner_id, row.seq, limit=MAX_CHANGES_PER_DIFF)
        reached = changes[-1].seq if changes else row.seq
        created, last_changes = last_of_each(changes, ENTITY)
        last = {contact_id: change.action for contact_id, change in last_changes.items()}
        found = self.contacts.get_with_tombstones(owner_id, list(last))
        items = []
        for contact_id, action in last.items():
            contact = found.get(contact_id)
            if contact is None:
                continue
            if action == DELETED:
                if contact_id in created:
                    continue
                kind = DELETED
            else:
                kind = CREATED if contact_id in created else UPDATED
            items.append(SyncItem(contact, kind))
        with self.store.write(owner_id=owner_id) as conn:
            new_token = self._issue(conn, owner_id, reached)
        return SyncDiff(new_token, items)

    @staticmethod
    def _issue(conn: Connection, owner_id: str, seq: int) -> str:
        token = secrets.token_urlsafe(24)
        conn.execute(
            insert(sync_tokens).values(token=token, owner_id=owner_id, seq=seq, created_at=now_ms())
        )
        return token
