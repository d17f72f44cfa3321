"""Web sessions kept on the server: one row per logged-in browser.

The browser's cookie holds a random 256-bit secret (signed as well, see
`rolodex.web.sessions`); the store keeps only its SHA-256, like every bearer secret.
A session is live while its row exists and has not expired, so ending one is deleting
its row: logging out, signing out a browser from the settings page, changing the
password (every other session) and deleting the account all take effect on the next
request, in every server process, since nothing is cached.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from rolodex.ids import new_id
from rolodex.store import Store
from rolodex.store.schema import web_sessions
from rolodex.timestamps import now_ms

SESSION_SECONDS = 14 * 24 * 3600
"""How long a session lasts from log-in: the signed cookie's own lifetime, too."""

# Writing `last_seen_at` on every page view would make every page a write; once in a
# while is enough for the sessions list.
_TOUCH_EVERY_MS = 5 * 60 * 1000
MAX_USER_AGENT = 256
MAX_SESSIONS = 100
"""Live sessions per account; logging in once more ends the least recently used one."""


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A session as its owner sees it on the settings page: never the secret."""

    session_id: str
    account_id: str
    user_agent: str
    created_at: int
    last_seen_at: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class StartedSession:
    """A session just made: `secret` goes in the cookie and is never stored."""

    secret: str
    info: SessionInfo


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _info(row: object) -> SessionInfo:
    m = row._mapping  # type: ignore[attr-defined]
    return SessionInfo(
        session_id=m["session_id"],
        account_id=m["account_id"],
        user_agent=m["user_agent"],
        created_at=m["created_at"],
        last_seen_at=m["last_seen_at"],
        expires_at=m["expires_at"],
    )


class SessionService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def start(self, account_id: str, user_agent: str = "") -> StartedSession:
        """A new session for the account (at log-in or sign-up).

        The account's expired sessions are dropped, and beyond `MAX_SESSIONS` the least
        recently used ones end, so no account grows the table without bound.
        """
        now = now_ms()
        info = SessionInfo(
            session_id=new_id("ws_"),
            account_id=account_id,
            user_agent=user_agent[:MAX_USER_AGENT],
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_SECONDS * 1000,
        )
        secret = secrets.token_urlsafe(32)
        with self.store.write() as conn:
            # Expired rows go here, so the table only holds what a list could show.
            conn.execute(
                delete(web_sessions).where(
                    web_sessions.c.account_id == account_id, web_sessions.c.expires_at <= now
                )
            )
            kept = (
                select(web_sessions.c.session_id)
                .where(web_sessions.c.account_id == account_id)
                .order_by(web_sessions.c.last_seen_at.desc(), web_sessions.c.session_id)
                .limit(MAX_SESSIONS - 1)
            )
            conn.execute(
                delete(web_sessions).where(
                    web_sessions.c.account_id == account_id,
                    web_sessions.c.session_id.not_in(kept),
                )
            )
            conn.execute(
                insert(web_sessions).values(
                    session_id=info.session_id,
                    secret_hash=_hash(secret),
                    account_id=account_id,
                    user_agent=info.user_agent,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=info.expires_at,
                )
            )
        return StartedSession(secret, info)

    def resolve(self, secret: str) -> SessionInfo | None:
        """The live session a cookie's secret names, or None (ended, expired or unknown)."""
        if not secret or len(secret) > 256:
            return None
        now = now_ms()
        with self.store.read() as conn:
            row = conn.execute(
                select(web_sessions).where(web_sessions.c.secret_hash == _hash(secret))
            ).first()
        if row is None:
            return None
        info = _info(row)
        if info.expires_at <= now:
            return None
        if now - info.last_seen_at >= _TOUCH_EVERY_MS:
            with self.store.write() as conn:
                conn.execute(
                    update(web_sessions)
                    .where(web_sessions.c.session_id == info.session_id)
                    .values(last_seen_at=now)
                )
        return info

    def list_for(self, account_id: str) -> list[SessionInfo]:
        """The account's live sessions, most recently used first."""
        with self.store.read() as conn:
            rows = conn.execute(
                select(web_sessions)
                .where(web_sessions.c.account_id == account_id)
                .where(web_sessions.c.expires_at > now_ms())
                .order_by(web_sessions.c.last_seen_at.desc(), web_sessions.c.session_id)
            ).all()
        return [_info(r) for r in rows]

    def end(self, account_id: str, session_id: str) -> bool:
        """End one of the account's sessions; False when it has no such session."""
        with self.store.write() as conn:
            result = conn.execute(
                delete(web_sessions).where(
                    web_sessions.c.account_id == account_id,
                    web_sessions.c.session_id == session_id,
                )
            )
        return bool(result.rowcount)

    @staticmethod
    def end_all_in(conn: Connection, account_id: str, *, except_id: str | None = None) -> int:
        """End every session of the account (but `except_id`) in the caller's transaction."""
        statement = delete(web_sessions).where(web_sessions.c.account_id == account_id)
        if except_id is not None:
            statement = statement.where(web_sessions.c.session_id != except_id)
        return int(conn.execute(statement).rowcount or 0)
