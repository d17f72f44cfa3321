"""The token endpoint's rules: exchanging a code (RFC 6749 §4.1.3) and refreshing (§6).

Authlib's `AuthorizationServer` dispatches on `grant_type` and answers RFC 6749's token
shape (`expires_in`, `token_type`); the Contacts+ methods send no `grant_type` and
answer millisecond and ISO 8601 expirations, so the bookkeeping is done here, with
Authlib's PKCE helper for the S256 check (docs/oauth.md says more).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import Connection, Row, insert, select, update

from rolodex.errors import InvalidInput
from rolodex.oauth.apps import AppService
from rolodex.oauth.credentials import (
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    CredentialService,
    IssuedCredential,
    hash_secret,
)
from rolodex.oauth.errors import OAuthError, invalid_grant, invalid_request, invalid_scope
from rolodex.oauth.scopes import no_scope_named, parse_scopes, stored_scopes
from rolodex.store import Store
from rolodex.store.schema import credentials, oauth_codes, oauth_token_grants
from rolodex.timestamps import now_ms


@dataclass(frozen=True, slots=True)
class TokenSet:
    """What the token endpoint hands out: a refresh answers a new refresh token too (rotation)."""

    access: IssuedCredential
    refresh: IssuedCredential | None
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class AccessTokenInfo:
    account_id: str
    client_id: str | None
    scopes: frozenset[str]
    expires_at: int | None


def _reused() -> OAuthError:
    return invalid_grant(
        "the refresh token was already used and replaced; every token of this "
        "authorization is now revoked: ask the user to authorize again"
    )


def _narrowed(granted: frozenset[str], scope: str | None) -> frozenset[str]:
    """The scopes a refresh asks for: the grant's, or fewer (RFC 6749 §6)."""
    if no_scope_named(scope):
        return granted
    try:
        scopes = parse_scopes(scope, field="scope")
    except InvalidInput as exc:
        raise invalid_scope(exc.message) from None
    if not scopes <= granted:
        wider = ", ".join(sorted(scopes - granted))
        raise invalid_scope(f"the refresh token was not granted: {wider}")
    return scopes


def revoke_grant(conn: Connection, grant_id: str) -> None:
    """Revoke every credential issued under one grant (a code and its refreshes)."""
    linked = select(oauth_token_grants.c.credential_id).where(
        oauth_token_grants.c.grant_id == grant_id
    )
    conn.execute(
        update(credentials)
        .where(credentials.c.credential_id.in_(linked), credentials.c.revoked_at.is_(None))
        .values(revoked_at=now_ms())
    )


def _check_presentation(row: Row[Any], redirect_uri: str | None, code_verifier: str | None) -> None:
    """Refuse an unused code presented late, or without the redirect URI or the PKCE
    verifier its authorization bound it to."""
    if row.expires_at <= now_ms():
        raise invalid_grant("the code has expired; ask the user to authorize again")
    if row.redirect_uri is not None and redirect_uri is None:
        raise invalid_request("redirect_uri is required")
    if row.redirect_uri is not None and redirect_uri != row.redirect_uri:
        raise invalid_grant("redirect_uri is not the one the code was issued for")
    if row.code_challenge is not None and not code_verifier:
        raise invalid_request("code_verifier is required: the authorization used PKCE")
    if row.code_challenge is None and code_verifier:
        raise invalid_grant("code_verifier given, but the authorization used no PKCE")
    if row.code_challenge is not None and not hmac.compare_digest(
        create_s256_code_challenge(code_verifier or ""), row.code_challenge
    ):
        raise invalid_grant("code_verifier does not match the code_challenge")


class TokenService:
    def __init__(
        self,
        store: Store,
        apps: AppService,
        *,
        access_ttl_seconds: int,
        refresh_ttl_seconds: int,
    ) -> None:
        self.store = store
        self.apps = apps
        self.access_ttl_seconds = access_ttl_seconds
        self.refresh_ttl_seconds = refresh_ttl_seconds

    def _issue(
        self,
        conn: Connection,
        kind: str,
        account_id: str,
        scopes: frozenset[str],
        client_id: str,
        grant_id: str,
        expires_at: int | None = None,
    ) -> IssuedCredential:
        ttl = self.access_ttl_seconds if kind == ACCESS_TOKEN else self.refresh_ttl_seconds
        issued = CredentialService.issue_in(
            conn,
            account_id,
            scopes,
            kind=kind,
            ttl_seconds=ttl,
            client_id=client_id,
            expires_at=expires_at,
        )
        conn.execute(
            insert(oauth_token_grants).values(credential_id=issued.credential_id, grant_id=grant_id)
        )
        return issued

    def exchange_code(
        self,
        client_id: str | None,
        client_secret: str | None,
        code: str | None,
        redirect_uri: str | None,
        code_verifier: str | None,
    ) -> TokenSet:
        """Trade an authorization code for an access and a refresh token.

        The code must be this client's, unexpired, unused, and presented with the
        redirect URI the authorization named and, if it used PKCE, the verifier. A code
        presented a second time fails and revokes what its first use issued
        (RFC 6749 §4.1.2), in a transaction that commits despite the refusal.
        """
        app = self.apps.authenticate(client_id, client_secret)
        if not code:
            raise invalid_request("code is required")
        refusal: OAuthError | None = None
        with self.store.write() as conn:
            row = conn.execute(
                select(oauth_codes).where(oauth_codes.c.code_hash == hash_secret(code))
            ).first()
            if row is None or row.client_id != app.client_id:
                raise invalid_grant("the code is unknown, or was issued to another client")
            if row.used_at is not None:
                revoke_grant(conn, row.grant_id)
                refusal = invalid_grant(
                    "the code was already used; the tokens issued for it are revoked"
                )
            else:
                _check_presentation(row, redirect_uri, code_verifier)
                claimed = conn.execute(
                    update(oauth_codes)
                    .where(
                        oauth_codes.c.code_hash == row.code_hash, oauth_codes.c.used_at.is_(None)
                    )
                    .values(used_at=now_ms())
                )
                if not claimed.rowcount:
                    # Another exchange of the same code won the race: the same as a replay.
                    revoke_grant(conn, row.grant_id)
                    refusal = invalid_grant("the code was already used")
                else:
                    scopes = stored_scopes(row.scopes)
                    args = (row.account_id, scopes, app.client_id, row.grant_id)
                    access = self._issue(conn, ACCESS_TOKEN, *args)
                    refresh = self._issue(conn, REFRESH_TOKEN, *args)
        if refusal is not None:
            raise refusal
        return TokenSet(access, refresh, scopes)

    def refresh(
        self,
        client_id: str | None,
        client_secret: str | None,
        refresh_token: str | None,
        scope: str | None,
    ) -> TokenSet:
        """A new access token and a new refresh token for a refresh token of this client.

        The scope may be narrowed for the access token, never widened (RFC 6749 §6); the
        new refresh token keeps the whole grant and the old one's expiry. The old refresh
        token stops working (RFC 9700 §4.14.2: rotation). Presenting a rotated token
        again, or losing a race with another refresh of the same token, is a reuse: it
        fails and revokes every token of the grant, in a transaction that commits despite
        the refusal, since either the client or a thief holds a stolen token.
        """
        app = self.apps.authenticate(client_id, client_secret)
        if not refresh_token:
            raise invalid_request("refresh_token is required")
        unknown = invalid_grant("the refresh token is unknown, expired or revoked")
        if len(refresh_token) > 256:
            raise unknown
        refusal: OAuthError | None = None
        now = now_ms()
        with self.store.write() as conn:
            row = conn.execute(
                select(
                    credentials,
                    oauth_token_grants.c.grant_id,
                    oauth_token_grants.c.rotated_at,
                )
                .join(
                    oauth_token_grants,
                    oauth_token_grants.c.credential_id == credentials.c.credential_id,
                )
                .where(credentials.c.secret_hash == hash_secret(refresh_token))
            ).first()
            if row is None or row.kind != REFRESH_TOKEN:
                raise unknown
            if row.client_id != app.client_id:
                raise invalid_grant("the refresh token was issued to another client")
            if row.rotated_at is not None:
                revoke_grant(conn, row.grant_id)
                refusal = _reused()
            elif row.revoked_at is not None or (
                row.expires_at is not None and row.expires_at <= now
            ):
                raise unknown
            else:
                granted = stored_scopes(row.scopes)
                scopes = _narrowed(granted, scope)
                # The conditional update is the claim: of two refreshes racing with one
                # token, only one finds rotated_at still empty (PostgreSQL re-reads the
                # row once the first commits; SQLite runs them one after the other).
                claimed = conn.execute(
                    update(oauth_token_grants)
                    .where(
                        oauth_token_grants.c.credential_id == row.credential_id,
                        oauth_token_grants.c.rotated_at.is_(None),
                    )
                    .values(rotated_at=now)
                )
                if not claimed.rowcount:
                    revoke_grant(conn, row.grant_id)
                    refusal = _reused()
                else:
                    family = (app.client_id, row.grant_id)
                    access = self._issue(conn, ACCESS_TOKEN, row.account_id, scopes, *family)
                    successor = self._issue(
                        conn, REFRESH_TOKEN, row.account_id, granted, *family, row.expires_at
                    )
                    conn.execute(
                        update(oauth_token_grants)
                        .where(oauth_token_grants.c.credential_id == row.credential_id)
                        .values(replaced_by=successor.credential_id)
                    )
                    conn.execute(
                        update(credentials)
                        .where(credentials.c.credential_id == row.credential_id)
                        .values(revoked_at=now)
                    )
        if refusal is not None:
            raise refusal
        return TokenSet(access, successor, scopes)

    def verify_access_token(self, access_token: str | None) -> AccessTokenInfo | None:
        """What a live access token stands for, or None if unknown, expired or revoked."""
        if not access_token or len(access_token) > 256:
            return None
        with self.store.read() as conn:
            row = conn.execute(
                select(credentials).where(credentials.c.secret_hash == hash_secret(access_token))
            ).first()
        if (
            row is None
            or row.kind != ACCESS_TOKEN
            or row.revoked_at is not None
            or (row.expires_at is not None and row.expires_at <= now_ms())
        ):
            return None
        return AccessTokenInfo(
            row.account_id, row.client_id, stored_scopes(row.scopes), row.expires_at
        )
