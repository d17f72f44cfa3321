"""Bearer credentials: issuing them, and resolving a presented secret to a principal.

Access tokens, API keys and personal tokens all live in one table and resolve the same
way (DESIGN.md, Identity and access). Only the SHA-256 of a secret is stored; the secret
itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from rolodex.errors import MissingScope
from rolodex.ids import new_id
from rolodex.oauth.scopes import format_scopes
from rolodex.store import Store
from rolodex.store.quick_read import Statement
from rolodex.store.schema import credentials
from rolodex.timestamps import now_ms

ACCESS_TOKEN = "access_token"
API_KEY = "api_key"
REFRESH_TOKEN = "refresh_token"

_PREFIX = {ACCESS_TOKEN: "rdx_at_", API_KEY: "rdx_key_", REFRESH_TOKEN: "rdx_rt_"}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, with what rights: the outcome of authenticating one request."""

    account_id: str
    scopes: frozenset[str]
    kind: str
    credential_id: str

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise MissingScope(scope)


@dataclass(frozen=True, slots=True)
class CredentialInfo:
    """A stored credential as its owner may see it: never the secret."""

    credential_id: str
    account_id: str
    kind: str
    scopes: frozenset[str]
    client_id: str | None
    name: str | None
    created_at: int
    expires_at: int | None
    revoked_at: int | None


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """A credential just made, with its secret: the only time the secret is visible."""

    credential_id: str
    secret: str
    account_id: str
    kind: str
    scopes: frozenset[str]
    created_at: int
    expires_at: int | None


# Run on every authenticated request, so straight on the driver (store/quick_read.py).
_BY_SECRET = Statement.same(
    "SELECT credential_id, account_id, kind, scopes, expires_at, revoked_at"
    " FROM credentials WHERE secret_hash = ?"
)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class CredentialService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def issue(
        self,
        account_id: str,
        scopes: frozenset[str],
        *,
        kind: str = ACCESS_TOKEN,
        ttl_seconds: int | None = None,
        client_id: str | None = None,
        name: str | None = None,
    ) -> IssuedCredential:
        with self.store.write() as conn:
            return self.issue_in(
                conn,
                account_id,
                scopes,
                kind=kind,
                ttl_seconds=ttl_seconds,
                client_id=client_id,
                name=name,
            )

    @staticmethod
    def issue_in(
        conn: Connection,
        account_id: str,
        scopes: frozenset[str],
        *,
        kind: str,
        ttl_seconds: int | None,
        client_id: str | None = None,
        name: str | None = None,
    ) -> IssuedCredential:
        now = now_ms()
        secret = _PREFIX[kind] + secrets.token_urlsafe(32)
        issued = IssuedCredential(
            credential_id=new_id("cr_"),
            secret=secret,
            account_id=account_id,
            kind=kind,
            scopes=scopes,
            created_at=now,
            expires_at=None if ttl_seconds is None else now + ttl_seconds * 1000,
        )
        conn.execute(
            insert(credentials).values(
                credential_id=issued.credential_id,
                account_id=account_id,
                kind=kind,
                secret_hash=hash_secret(secret),
                scopes=format_scopes(scopes),
                client_id=client_id,
                name=name,
                created_at=now,
                expires_at=issued.expires_at,
            )
        )
        return issued

    def resolve(self, secret: str, *, kinds: tuple[str, ...]) -> Principal | None:
        """The principal a presented secret stands for, or None if unknown, expired or revoked."""
        if not secret or len(secret) > 256:
            return None
        rows = self.store.quick.rows(_BY_SECRET, hash_secret(secret))
        if not rows:
            return None
        credential_id, account_id, kind, scope_list, expires_at, revoked_at = rows[0]
        if kind not in kinds or revoked_at is not None:
            return None
        if expires_at is not None and expires_at <= now_ms():
            return None
        scopes = frozenset(s for s in scope_list.split(",") if s)
        return Principal(account_id, scopes, kind, credential_id)

    def list_for(self, account_id: str, kind: str) -> list[CredentialInfo]:
        """The account's credentials of one kind, newest first, revoked ones included."""
        with self.store.read() as conn:
            rows = conn.execute(
                select(credentials)
                .where(credentials.c.account_id == account_id, credentials.c.kind == kind)
                .order_by(credentials.c.created_at.desc())
            ).all()
        return [
            CredentialInfo(
                credential_id=r.credential_id,
                account_id=r.account_id,
                kind=r.kind,
                scopes=frozenset(s for s in r.scopes.split(",") if s),
                client_id=r.client_id,
                name=r.name,
                created_at=r.created_at,
                expires_at=r.expires_at,
                revoked_at=r.revoked_at,
            )
            for r in rows
        ]

    def revoke(self, account_id: str, credential_id: str) -> bool:
        """Revoke one of the account's credentials; it stops working on the next request.

        Returns False when the account has no such credential (another account's included).
        """
        with self.store.write() as conn:
            result = conn.execute(
                update(credentials)
                .where(
                    credentials.c.account_id == account_id,
                    credentials.c.credential_id == credential_id,
                    credentials.c.revoked_at.is_(None),
                )
                .values(revoked_at=now_ms())
            )
        return bool(result.rowcount)
