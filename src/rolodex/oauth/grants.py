"""Authorized apps: which apps hold access to an account, and taking that access back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update

from rolodex.oauth.credentials import ACCESS_TOKEN, REFRESH_TOKEN
from rolodex.oauth.scopes import stored_scopes
from rolodex.store import Store
from rolodex.store.schema import credentials, oauth_apps, oauth_codes
from rolodex.timestamps import now_ms


@dataclass(frozen=True, slots=True)
class AuthorizedApp:
    client_id: str
    name: str
    scopes: frozenset[str]
    authorized_at: int


class GrantService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def list_for(self, account_id: str) -> list[AuthorizedApp]:
        """The apps holding a live token for the account, with the scopes those tokens carry."""
        now = now_ms()
        with self.store.read() as conn:
            rows = conn.execute(
                select(
                    credentials.c.client_id,
                    credentials.c.scopes,
                    credentials.c.created_at,
                    oauth_apps.c.name,
                )
                .join(oauth_apps, oauth_apps.c.client_id == credentials.c.client_id)
                .where(
                    credentials.c.account_id == account_id,
                    credentials.c.kind.in_((ACCESS_TOKEN, REFRESH_TOKEN)),
                    credentials.c.revoked_at.is_(None),
                    or_(credentials.c.expires_at.is_(None), credentials.c.expires_at > now),
                )
                .order_by(credentials.c.created_at)
            ).all()
        found: dict[str, AuthorizedApp] = {}
        for row in rows:
            scopes = stored_scopes(row.scopes)
            seen = found.get(row.client_id)
            if seen is None:
                found[row.client_id] = AuthorizedApp(
                    row.client_id, row.name, scopes, row.created_at
                )
            else:
                found[row.client_id] = AuthorizedApp(
                    seen.client_id, seen.name, seen.scopes | scopes, seen.authorized_at
                )
        return sorted(found.values(), key=lambda a: a.name.lower())

    def revoke(self, account_id: str, client_id: str) -> int:
        """Take back an app's access to the account: every token it holds for the account
        is revoked (refused from the next request on) and unused codes are dropped.

        Returns how many credentials were revoked.
        """
        with self.store.write() as conn:
            result = conn.execute(
                update(credentials)
                .where(
                    credentials.c.account_id == account_id,
                    credentials.c.client_id == client_id,
                    credentials.c.revoked_at.is_(None),
                )
                .values(revoked_at=now_ms())
            )
            conn.execute(
                delete(oauth_codes).where(
                    oauth_codes.c.account_id == account_id,
                    oauth_codes.c.client_id == client_id,
                    oauth_codes.c.used_at.is_(None),
                )
            )
        return int(result.rowcount)
