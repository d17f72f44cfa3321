"""Registered apps (OAuth clients): who may ask users for access, and where codes may go.

A developer registers an app with a name and one or more redirect URIs and receives a
`client_id` (public) and a `client_secret`. The secret is shown once and kept only as
its SHA-256; it can be regenerated, which makes the old one stop working at once. Its
name and redirect URIs can be changed, and deleting it revokes every token it was given.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from rolodex.controls import has_control_character
from rolodex.errors import InvalidInput, NotFound
from rolodex.ids import new_id
from rolodex.oauth.credentials import hash_secret
from rolodex.oauth.errors import invalid_client
from rolodex.oauth.redirects import check_redirect_uri, redirect_uri_matches
from rolodex.store import Store
from rolodex.store.schema import credentials, oauth_apps, oauth_codes, oauth_token_grants
from rolodex.timestamps import now_ms

MAX_APP_NAME_LENGTH = 100
MAX_REDIRECT_URIS = 10


@dataclass(frozen=True, slots=True)
class App:
    client_id: str
    account_id: str
    name: str
    redirect_uris: list[str]
    created_at: int


@dataclass(frozen=True, slots=True)
class AppWithSecret:
    """An app just registered (or its secret just regenerated): the one time the secret shows."""

    app: App
    client_secret: str


def _row_to_app(row: object) -> App:
    m = row._mapping  # type: ignore[attr-defined]
    return App(
        client_id=m["client_id"],
        account_id=m["account_id"],
        name=m["name"],
        redirect_uris=list(json.loads(m["redirect_uris"])),
        created_at=m["created_at"],
    )


def _plausible_client_id(client_id: str) -> bool:
    """Whether a presented client_id could be one: short printable ASCII. Anything else
    (a NUL byte, say) is unknown without asking the store, where PostgreSQL would refuse
    the text itself."""
    return 0 < len(client_id) <= 64 and client_id.isascii() and client_id.isprintable()


def _checked(name: str, redirect_uris: list[str]) -> tuple[str, list[str]]:
    """An app's name and redirect URIs as stored, or InvalidInput naming the problem."""
    name = name.strip()
    if not name:
        raise InvalidInput("an app needs a name", field="name")
    if len(name) > MAX_APP_NAME_LENGTH:
        raise InvalidInput(f"must be at most {MAX_APP_NAME_LENGTH} characters", field="name")
    if has_control_character(name):
        raise InvalidInput("may not contain control characters", field="name")
    uris: list[str] = []
    for uri in redirect_uris:
        if uri.strip() and (checked := check_redirect_uri(uri)) not in uris:
            uris.append(checked)
    if not uris:
        raise InvalidInput("register at least one redirect URI", field="redirect_uri")
    if len(uris) > MAX_REDIRECT_URIS:
        raise InvalidInput(
            f"at most {MAX_REDIRECT_URIS} redirect URIs per app", field="redirect_uri"
        )
    return name, uris


def _new_secret() -> str:
    return "rdx_cs_" + secrets.token_urlsafe(32)


class AppService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, account_id: str, name: str, redirect_uris: list[str]) -> AppWithSecret:
        """Register an app owned by the account; the answer holds the secret, shown only now."""
        name, uris = _checked(name, redirect_uris)
        now = now_ms()
        app = App(new_id("app_"), account_id, name, uris, now)
        secret = _new_secret()
        with self.store.write() as conn:
            conn.execute(
                insert(oauth_apps).values(
                    client_id=app.client_id,
                    account_id=account_id,
                    name=name,
                    redirect_uris=json.dumps(uris),
                    secret_hash=hash_secret(secret),
                    created_at=now,
                    updated_at=now,
                )
            )
        return AppWithSecret(app, secret)

    def find(self, client_id: str) -> App | None:
        """The app with this client_id, or None."""
        if not _plausible_client_id(client_id):
            return None
        with self.store.read() as conn:
            row = conn.execute(
                select(oauth_apps).where(oauth_apps.c.client_id == client_id)
            ).first()
        return None if row is None else _row_to_app(row)

    def list_for(self, account_id: str) -> list[App]:
        """The apps an account registered, newest first."""
        with self.store.read() as conn:
            rows = conn.execute(
                select(oauth_apps)
                .where(oauth_apps.c.account_id == account_id)
                .order_by(oauth_apps.c.created_at.desc())
            ).all()
        return [_row_to_app(r) for r in rows]

    def regenerate_secret(self, account_id: str, client_id: str) -> AppWithSecret:
        """Give the account's app a new secret; the old one stops working at once."""
        secret = _new_secret()
        with self.store.write() as conn:
            result = conn.execute(
                update(oauth_apps)
                .where(oauth_apps.c.client_id == client_id, oauth_apps.c.account_id == account_id)
                .values(secret_hash=hash_secret(secret), updated_at=now_ms())
            )
            if not result.rowcount:
                raise NotFound("no such app", field="client_id")
            row = conn.execute(select(oauth_apps).where(oauth_apps.c.client_id == client_id)).one()
        return AppWithSecret(_row_to_app(row), secret)

    def update(self, account_id: str, client_id: str, name: str, redirect_uris: list[str]) -> App:
        """Rename the account's app and replace its redirect URIs.

        Codes already issued for a redirect URI no longer registered are dropped in the
        same transaction, so none of them can be exchanged afterwards.
        """
        name, uris = _checked(name, redirect_uris)
        with self.store.write() as conn:
            result = conn.execute(
                update(oauth_apps)
                .where(oauth_apps.c.client_id == client_id, oauth_apps.c.account_id == account_id)
                .values(name=name, redirect_uris=json.dumps(uris), updated_at=now_ms())
            )
            if not result.rowcount:
                raise NotFound("no such app", field="client_id")
            pending = conn.execute(
                select(oauth_codes.c.code_hash, oauth_codes.c.redirect_uri).where(
                    oauth_codes.c.client_id == client_id, oauth_codes.c.redirect_uri.is_not(None)
                )
            ).all()
            stale = [c.code_hash for c in pending if not redirect_uri_matches(c.redirect_uri, uris)]
            if stale:
                conn.execute(delete(oauth_codes).where(oauth_codes.c.code_hash.in_(stale)))
            row = conn.execute(select(oauth_apps).where(oauth_apps.c.client_id == client_id)).one()
        return _row_to_app(row)

    def delete(self, account_id: str, client_id: str) -> None:
        """Delete the account's app, and with it every token and code it was given.

        One transaction: the app's access and refresh tokens stop working, for every
        account that had authorized it, on the next request.
        """
        with self.store.write() as conn:
            found = conn.execute(
                select(oauth_apps.c.client_id).where(
                    oauth_apps.c.client_id == client_id, oauth_apps.c.account_id == account_id
                )
            ).first()
            if found is None:
                raise NotFound("no such app", field="client_id")
            issued = select(credentials.c.credential_id).where(credentials.c.client_id == client_id)
            conn.execute(
                delete(oauth_token_grants).where(oauth_token_grants.c.credential_id.in_(issued))
            )
            conn.execute(delete(credentials).where(credentials.c.client_id == client_id))
            conn.execute(delete(oauth_codes).where(oauth_codes.c.client_id == client_id))
            conn.execute(delete(oauth_apps).where(oauth_apps.c.client_id == client_id))

    def authenticate(self, client_id: str | None, client_secret: str | None) -> App:
        """The app these client credentials belong to, or `invalid_client` (RFC 6749 §5.2)."""
        if not client_id:
            raise invalid_client("client_id is required")
        if not client_secret:
            raise invalid_client("client_secret is required")
        if not _plausible_client_id(client_id) or len(client_secret) > 256:
            raise invalid_client()
        with self.store.read() as conn:
            row = conn.execute(
                select(oauth_apps).where(oauth_apps.c.client_id == client_id)
            ).first()
        if row is None or not hmac.compare_digest(
            row._mapping["secret_hash"], hash_secret(client_secret)
        ):
            raise invalid_client("unknown client_id or wrong client_secret")
        return _row_to_app(row)
