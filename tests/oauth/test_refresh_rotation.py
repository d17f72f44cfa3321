"""Refresh token rotation (RFC 9700 §4.14.2), issue 20.

Each refresh answers a new refresh token and the old one stops working; presenting an
old one again revokes the whole family (every token issued under the same authorization
grant); two refreshes racing with one token: only one wins.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from rolodex.oauth.credentials import hash_secret
from rolodex.oauth.errors import OAuthError
from rolodex.services import Services
from rolodex.store.schema import credentials, oauth_token_grants
from tests.oauth.test_token_endpoint import assert_oauth_error, call, refresh
from tests.web.browser import OAuthApp


def test_a_refresh_answers_a_new_refresh_token_and_the_old_one_stops(
    oauth_app: OAuthApp,
) -> None:
    tokens = oauth_app.tokens()
    first = refresh(oauth_app, tokens["refresh_token"])
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["refresh_token"].startswith("rdx_rt_")
    assert body["refresh_token"] != tokens["refresh_token"]
    # Rotation does not lengthen the grant: the new token ends when the old one would.
    assert body["refresh_token_expiration"] == tokens["refresh_token_expiration"]
    assert body["refresh_token_expiration_date"] == tokens["refresh_token_expiration_date"]
    second = refresh(oauth_app, body["refresh_token"])
    assert second.status_code == 200, second.text
    assert second.json()["refresh_token"] not in (body["refresh_token"], tokens["refresh_token"])
    assert call(oauth_app, "account.get", second.json()["access_token"]).status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens()
    one = refresh(oauth_app, tokens["refresh_token"]).json()
    two = refresh(oauth_app, one["refresh_token"]).json()
    for access in (tokens["access_token"], one["access_token"], two["access_token"]):
        assert call(oauth_app, "account.get", access).status_code == 200
    # The first refresh token, already rotated, comes back: a thief or a confused client.
    reused = refresh(oauth_app, tokens["refresh_token"])
    assert_oauth_error(reused, 400, "invalid_grant")
    assert "already used" in reused.json()["error_description"]
    for access in (tokens["access_token"], one["access_token"], two["access_token"]):
        assert call(oauth_app, "account.get", access).status_code == 401
    # The newest refresh token of the family is revoked too.
    assert_oauth_error(refresh(oauth_app, two["refresh_token"]), 400, "invalid_grant")


def test_a_reuse_revokes_only_its_own_family(oauth_app: OAuthApp) -> None:
    victim = oauth_app.tokens()
    other = oauth_app.tokens()  # a second authorization of the same app and user
    rotated = refresh(oauth_app, victim["refresh_token"]).json()
    assert_oauth_error(refresh(oauth_app, victim["refresh_token"]), 400, "invalid_grant")
    assert call(oauth_app, "account.get", rotated["access_token"]).status_code == 401
    assert call(oauth_app, "account.get", other["access_token"]).status_code == 200
    assert refresh(oauth_app, other["refresh_token"]).status_code == 200


def test_the_rotation_is_recorded_and_secrets_stay_hashed(
    oauth_app: OAuthApp, services: Services
) -> None:
    tokens = oauth_app.tokens()
    new = refresh(oauth_app, tokens["refresh_token"]).json()["refresh_token"]
    with services.store.read() as conn:
        old_row = conn.execute(
            select(credentials, oauth_token_grants)
            .join(
                oauth_token_grants,
                oauth_token_grants.c.credential_id == credentials.c.credential_id,
            )
            .where(credentials.c.secret_hash == hash_secret(tokens["refresh_token"]))
        ).one()
        new_row = conn.execute(
            select(credentials, oauth_token_grants.c.grant_id)
            .join(
                oauth_token_grants,
                oauth_token_grants.c.credential_id == credentials.c.credential_id,
            )
            .where(credentials.c.secret_hash == hash_secret(new))
        ).one()
    assert old_row.rotated_at is not None
    assert old_row.revoked_at is not None
    assert old_row.replaced_by == new_row.credential_id
    assert new_row.grant_id == old_row.grant_id
    assert new_row.kind == "refresh_token"
    assert new not in {str(v) for v in new_row}


def test_a_refused_refresh_does_not_rotate(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens("contacts.read")
    wide = refresh(oauth_app, tokens["refresh_token"], scope="contacts.write")
    assert_oauth_error(wide, 400, "invalid_scope")
    assert refresh(oauth_app, tokens["refresh_token"]).status_code == 200


@pytest.mark.parametrize("prefix", ["/v3", "/api/v1"])
def test_both_paths_rotate(oauth_app: OAuthApp, prefix: str) -> None:
    tokens = oauth_app.tokens()
    path = f"{prefix}/oauth.refreshToken"
    new = refresh(oauth_app, tokens["refresh_token"], path=path).json()["refresh_token"]
    assert_oauth_error(refresh(oauth_app, tokens["refresh_token"], path=path), 400, "invalid_grant")
    assert_oauth_error(refresh(oauth_app, new, path=path), 400, "invalid_grant")


def _race(services: Services, app: OAuthApp, refresh_token: str) -> list[Any]:
    """Two threads refresh with one token at the same moment; what each got."""
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def one() -> None:
        barrier.wait()
        try:
            outcomes.append(
                services.tokens.refresh(app.client_id, app.client_secret, refresh_token, None)
            )
        except OAuthError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_refreshes_racing_with_one_token_only_one_wins(
    client: TestClient, services: Services
) -> None:
    from tests.web.browser import new_oauth_app

    for _round in range(4):
        app = new_oauth_app(client, services)
        outcomes = _race(services, app, app.tokens()["refresh_token"])
        won = [o for o in outcomes if not isinstance(o, OAuthError)]
        lost = [o for o in outcomes if isinstance(o, OAuthError)]
        assert len(won) == 1, outcomes
        assert len(lost) == 1, outcomes
        assert lost[0].code == "invalid_grant"
        # The loser presented a token that was already rotated: a reuse, so the family
        # (the winner's new tokens included) is revoked.
        assert call(app, "account.get", won[0].access.secret).status_code == 401
        assert_oauth_error(refresh(app, won[0].refresh.secret), 400, "invalid_grant")
