"""Bearer credentials: issuing them, and resolving a presented secret to a principal.

Access tokens, API keys and personal tokens all live in one table and resolve the same
way (DESIGN.md, Identity and access). Only the SHA-256 of a secret is stored; the secret
itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from rolodex.errors import MissingScope
from rolodex.ids import new_id
from rolodex.oauth.scopes import format_scopes, stored_scopes
from rolodex.store import Store
from rolodex.store.credential_join import BY_SECRET as _BY_SECRET
from rolodex.store.credential_join import CredentialJoin
from rolodex.store.schema import credentials
from rolodex.timestamps import now_ms

ACCESS_TOKEN = "access_token"
API_KEY = "api_key"
REFRESH_TOKEN = "refresh_token"
# CardDAV's HTTP Basic password (rolodex.oauth.app_passwords); never a bearer token.
APP_PASSWORD = "app_password"

_PREFIX = {
    ACCESS_TOKEN: "rdx_at_",
    API_KEY: "rdx_key_",
    REFRESH_TOKEN: "rdx_rt_",
    APP_PASSWORD: "rdx_ap_",
}


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


# `_BY_SECRET` runs on every authenticated request, so straight on the driver
# (store/quick_read.py); its columns, and those of a `CredentialJoin`, are
# store/credential_join.py's `CREDENTIAL_COLUMNS`, in the order `_principal` reads.


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _principal(rows: list[Any], kinds: tuple[str, ...]) -> Principal | None:
    """Whom the credential row found for a secret stands for, if it is of a kind asked for and live."""
    if not rows:
        return None
    credential_id, account_id, kind, scope_list, expires_at, revoked_at = rows[0]
    if kind not in kinds or revoked_at is not None:
        return None
    if expires_at is not None and expires_at <= now_ms():
        return None
    return Principal(account_id, stored_scopes(scope_list), kind, credential_id)


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
        expires_at: int | None = None,
    ) -> IssuedCredential:
        """Make a credential in the caller's transaction; `expires_at` (ms), when given,
        overrides `ttl_seconds` (a rotated refresh token keeps its predecessor's end)."""
        now = now_ms()
        secret = _PREFIX[kind] + secrets.token_urlsafe(32)
        if expires_at is None and ttl_seconds is not None:
            expires_at = now + ttl_seconds * 1000
        issued = IssuedCredential(
            credential_id=new_id("cr_"),
            secret=secret,
            account_id=account_id,
            kind=kind,
            scopes=scopes,
            created_at=now,
            expires_at=expires_at,
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
        return _principal(self.store.quick.rows(_BY_SECRET, hash_secret(secret)), kinds)

    async def resolve_async(self, secret: str, *, kinds: tuple[str, ...]) -> Principal | None:
        """`resolve` for a caller on the event loop: on PostgreSQL, no worker thread."""
        if not secret or len(secret) > 256:
            return None
        return _principal(await self.store.quick.rows_async(_BY_SECRET, hash_secret(secret)), kinds)

    async def resolve_with_async(
        self, secret: str, *, kinds: tuple[str, ...], join: CredentialJoin, params: tuple[Any, ...]
    ) -> tuple[Principal | None, list[tuple[Any, ...]]]:
        """The principal, and the rest of each row of a `CredentialJoin` (its `params` first).

        The rows are the joined table's columns and are given only with a principal: for
        an unknown, expired or revoked secret they are dropped here, unseen. The caller
        still checks the principal's scopes before it shows any of them.
        """
        if not secret or len(secret) > 256:
            return None, []
        rows = await self.store.quick.rows_async(join.statement, *params, hash_secret(secret))
        credential, rest = CredentialJoin.split(rows)
        principal = _principal(credential, kinds)
        if principal is None:
            return None, []
        return principal, rest

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
                scopes=stored_scopes(r.scopes),
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
