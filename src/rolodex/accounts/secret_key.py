"""The key that signs session cookies: configured, or made once and kept in the database.

Kept in the database rather than a file so that every process of a PostgreSQL
deployment, on any machine, signs and checks cookies with the same key.
"""

from __future__ import annotations

import secrets

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from rolodex.store import Store
from rolodex.store.schema import server_secrets
from rolodex.timestamps import now_ms

_NAME = "session_key"


class SecretKeyService:
    def __init__(self, store: Store, configured: str | None) -> None:
        self.store = store
        self._key = configured

    def get(self) -> str:
        """The session-signing key (read or made on first use, then cached)."""
        if self._key is None:
            self._key = self._load_or_create()
        return self._key

    def _load_or_create(self) -> str:
        with self.store.read() as conn:
            value = conn.execute(
                select(server_secrets.c.value).where(server_secrets.c.name == _NAME)
            ).scalar()
        if value is not None:
            return str(value)
        try:
            with self.store.write() as conn:
                conn.execute(
                    insert(server_secrets).values(
                        name=_NAME, value=secrets.token_urlsafe(48), created_at=now_ms()
                    )
                )
        except IntegrityError:
            pass  # another process made it first; read theirs
        with self.store.read() as conn:
            return str(
                conn.execute(
                    select(server_secrets.c.value).where(server_secrets.c.name == _NAME)
                ).scalar_one()
            )
