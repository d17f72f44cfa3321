"""POST /v3/oauth.exchangeAuthCode and /v3/oauth.refreshToken, and the /api/v1 aliases."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from sqlalchemy import update

from rolodex.services import Services
from rolodex.store.schema import credentials, oauth_codes
from rolodex.timestamps import now_ms
from tests.web.browser import OAuthApp, pkce_pair

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def call(app: OAuthApp, method: str, token: str, body: Any = None) -> Any:
    return app.browser.http.post(
        f"/api/v1/{method}", json=body or {}, headers={"Authorization": f"Bearer {token}"}
    )


def refresh(
    app: OAuthApp, refresh_token: str, path: str = "/v3/oauth.refreshToken", **more: str
) -> Any:
    return app.browser.http.post(
        path,
        data={
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "refresh_token": refresh_token,
            **more,
        },
    )


def assert_oauth_error(response: Any, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert body["error_description"]


def test_exchange_answers_the_specs_json(oauth_app: OAuthApp) -> None:
    before = now_ms()
    response = oauth_app.exchange(oauth_app.code("account.read,contacts.read,tags.read"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["access_token"].startswith("rdx_at_")
    assert body["refresh_token"].startswith("rdx_rt_")
    assert body["scope"] == "account.read,contacts.read,tags.read"
    assert isinstance(body["access_token_expiration"], int)
    assert before + 3600_000 <= body["access_token_expiration"] <= now_ms() + 3600_000
    assert ISO_MS.match(body["access_token_expiration_date"])
    assert ISO_MS.match(body["refresh_token_expiration_date"])
    assert body["refresh_token_expiration"] > body["access_token_expiration"]
    assert body["token_type"] == "Bearer"
    assert 3590 <= body["expires_in"] <= 3600


def test_the_access_token_works_within_its_scopes(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens("account.read,contacts.read")
    account = call(oauth_app, "account.get", tokens["access_token"])
    assert account.status_code == 200, account.text
    refused = call(
        oauth_app,
        "contacts.create",
        tokens["access_token"],
        {"contact": {"contactData": {"notes": "x"}}},
    )
    assert refused.status_code == 403
    assert call(oauth_app, "account.get", tokens["refresh_token"]).status_code == 401


def test_a_wrong_client_secret_is_invalid_client(oauth_app: OAuthApp) -> None:
    response = oauth_app.exchange(oauth_app.code(), client_secret="rdx_cs_wrong")
    assert_oauth_error(response, 401, "invalid_client")
    assert response.headers["www-authenticate"].startswith("Basic")


def test_an_unknown_client_is_invalid_client(oauth_app: OAuthApp) -> None:
    assert_oauth_error(oauth_app.exchange("x", client_id="app_nope"), 401, "invalid_client")


def test_a_missing_client_secret_is_invalid_client(oauth_app: OAuthApp) -> None:
    assert_oauth_error(oauth_app.exchange("x", client_secret=None), 401, "invalid_client")


def test_a_missing_code_is_invalid_request(oauth_app: OAuthApp) -> None:
    assert_oauth_error(oauth_app.exchange(""), 400, "invalid_request")


def test_an_unknown_code_is_invalid_grant(oauth_app: OAuthApp) -> None:
    assert_oauth_error(oauth_app.exchange("rdx_code_nope"), 400, "invalid_grant")


def test_a_code_is_bound_to_its_client(
    oauth_app: OAuthApp, client: Any, services: Services
) -> None:
    from tests.web.browser import new_oauth_app

    other = new_oauth_app(client, services)
    code = oauth_app.code()
    response = other.exchange(code, redirect_uri=oauth_app.redirect_uri)
    assert_oauth_error(response, 400, "invalid_grant")
    # The rightful client can still use it.
    assert oauth_app.exchange(code).status_code == 200


def test_a_code_is_bound_to_its_redirect_uri(oauth_app: OAuthApp) -> None:
    code = oauth_app.code()
    assert_oauth_error(
        oauth_app.exchange(code, redirect_uri="https://app.example.com/other"), 400, "invalid_grant"
    )
    assert_oauth_error(oauth_app.exchange(code, redirect_uri=None), 400, "invalid_request")
    assert oauth_app.exchange(code).status_code == 200


def test_a_second_use_fails_and_revokes_what_the_first_issued(oauth_app: OAuthApp) -> None:
    code = oauth_app.code()
    first = oauth_app.exchange(code).json()
    refreshed = refresh(oauth_app, first["refresh_token"]).json()
    assert call(oauth_app, "account.get", first["access_token"]).status_code == 200
    assert_oauth_error(oauth_app.exchange(code), 400, "invalid_grant")
    assert call(oauth_app, "account.get", first["access_token"]).status_code == 401
    assert call(oauth_app, "account.get", refreshed["access_token"]).status_code == 401
    assert_oauth_error(refresh(oauth_app, first["refresh_token"]), 400, "invalid_grant")


def test_an_expired_code_is_invalid_grant(oauth_app: OAuthApp, services: Services) -> None:
    code = oauth_app.code()
    with services.store.write() as conn:
        conn.execute(
            update(oauth_codes)
            .where(oauth_codes.c.client_id == oauth_app.client_id)
            .values(expires_at=now_ms() - 1)
        )
    response = oauth_app.exchange(code)
    assert_oauth_error(response, 400, "invalid_grant")
    assert "expired" in response.json()["error_description"]


def test_codes_live_at_most_ten_minutes(oauth_app: OAuthApp, services: Services) -> None:
    from sqlalchemy import select

    oauth_app.code()
    with services.store.read() as conn:
        row = conn.execute(
            select(oauth_codes).where(oauth_codes.c.client_id == oauth_app.client_id)
        ).one()
    assert row.expires_at - row.created_at == 600_000
    assert not hasattr(row, "code")
    assert len(row.code_hash) == 64


def test_pkce_is_required_at_the_exchange_when_the_authorization_used_it(
    oauth_app: OAuthApp,
) -> None:
    verifier, challenge = pkce_pair()
    code = oauth_app.code(code_challenge=challenge, code_challenge_method="S256")
    assert_oauth_error(oauth_app.exchange(code), 400, "invalid_request")
    assert_oauth_error(oauth_app.exchange(code, code_verifier=pkce_pair()[0]), 400, "invalid_grant")
    response = oauth_app.exchange(code, code_verifier=verifier)
    assert response.status_code == 200, response.text


def test_a_verifier_without_a_challenge_is_refused(oauth_app: OAuthApp) -> None:
    code = oauth_app.code()
    assert_oauth_error(oauth_app.exchange(code, code_verifier=pkce_pair()[0]), 400, "invalid_grant")


def test_refresh_answers_the_specs_json(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens()
    response = refresh(oauth_app, tokens["refresh_token"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["access_token"] != tokens["access_token"]
    assert ISO_MS.match(body["access_token_expiration_date"])
    assert isinstance(body["access_token_expiration"], int)
    assert body["scope"] == tokens["scope"]
    # Issue 20: refresh tokens rotate; the answer carries the new one (an extension of
    # the spec's refresh answer, docs/oauth.md). tests/oauth/test_refresh_rotation.py.
    assert body["refresh_token"].startswith("rdx_rt_")
    assert body["refresh_token"] != tokens["refresh_token"]
    assert call(oauth_app, "account.get", body["access_token"]).status_code == 200


def test_refresh_may_narrow_but_never_widen_the_scope(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens("account.read,contacts.read")
    narrow = refresh(oauth_app, tokens["refresh_token"], scope="contacts.read")
    assert narrow.status_code == 200
    assert narrow.json()["scope"] == "contacts.read"
    assert call(oauth_app, "account.get", narrow.json()["access_token"]).status_code == 403
    # Refresh tokens rotate (issue 20): go on with the one the narrowing refresh answered.
    current = narrow.json()["refresh_token"]
    wide = refresh(oauth_app, current, scope="contacts.read,contacts.write")
    assert_oauth_error(wide, 400, "invalid_scope")
    unknown = refresh(oauth_app, current, scope="contacts.all")
    assert_oauth_error(unknown, 400, "invalid_scope")
    # The refresh token keeps its full grant (and a refused refresh did not rotate it).
    assert refresh(oauth_app, current).json()["scope"] == "account.read,contacts.read"


def test_refresh_with_another_clients_token_is_invalid_grant(
    oauth_app: OAuthApp, client: Any, services: Services
) -> None:
    from tests.web.browser import new_oauth_app

    other = new_oauth_app(client, services)
    tokens = oauth_app.tokens()
    assert_oauth_error(refresh(other, tokens["refresh_token"]), 400, "invalid_grant")


def test_refresh_with_an_access_token_or_nonsense_is_invalid_grant(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens()
    assert_oauth_error(refresh(oauth_app, tokens["access_token"]), 400, "invalid_grant")
    assert_oauth_error(refresh(oauth_app, "nonsense"), 400, "invalid_grant")
    assert_oauth_error(refresh(oauth_app, ""), 400, "invalid_request")


def test_refresh_needs_the_client_secret(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens()
    response = oauth_app.browser.http.post(
        "/v3/oauth.refreshToken",
        data={"client_id": oauth_app.client_id, "refresh_token": tokens["refresh_token"]},
    )
    assert_oauth_error(response, 401, "invalid_client")


def test_an_expired_access_token_is_refused(oauth_app: OAuthApp, services: Services) -> None:
    tokens = oauth_app.tokens()
    with services.store.write() as conn:
        conn.execute(
            update(credentials)
            .where(credentials.c.client_id == oauth_app.client_id)
            .where(credentials.c.kind == "access_token")
            .values(expires_at=now_ms() - 1)
        )
    assert call(oauth_app, "account.get", tokens["access_token"]).status_code == 401
    fresh = refresh(oauth_app, tokens["refresh_token"]).json()
    assert call(oauth_app, "account.get", fresh["access_token"]).status_code == 200


@pytest.mark.parametrize("prefix", ["/v3", "/api/v1"])
def test_both_paths_serve_exchange_and_refresh(oauth_app: OAuthApp, prefix: str) -> None:
    response = oauth_app.browser.http.post(
        f"{prefix}/oauth.exchangeAuthCode",
        data={
            "client_id": oauth_app.client_id,
            "client_secret": oauth_app.client_secret,
            "redirect_uri": oauth_app.redirect_uri,
            "code": oauth_app.code(),
        },
    )
    assert response.status_code == 200, response.text
    again = refresh(
        oauth_app, response.json()["refresh_token"], path=f"{prefix}/oauth.refreshToken"
    )
    assert again.status_code == 200, again.text


def test_verify_access_token(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens()
    ok = oauth_app.browser.http.post(
        "/api/v1/oauth.verifyAccessToken", data={"access_token": tokens["access_token"]}
    )
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["valid"] is True
    assert body["clientId"] == oauth_app.client_id
    assert body["scope"] == tokens["scope"]
    assert body["access_token_expiration"] == tokens["access_token_expiration"]
    bad = oauth_app.browser.http.post(
        "/api/v1/oauth.verifyAccessToken", data={"access_token": "rdx_at_nope"}
    )
    assert_oauth_error(bad, 401, "invalid_token")
    missing = oauth_app.browser.http.post("/api/v1/oauth.verifyAccessToken", data={})
    assert_oauth_error(missing, 400, "invalid_request")


def test_a_standard_client_with_grant_type_and_basic_auth(oauth_app: OAuthApp) -> None:
    basic = base64.b64encode(f"{oauth_app.client_id}:{oauth_app.client_secret}".encode()).decode()
    headers = {"Authorization": f"Basic {basic}"}
    response = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode",
        data={
            "grant_type": "authorization_code",
            "code": oauth_app.code(),
            "redirect_uri": oauth_app.redirect_uri,
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    # One token URL for both grants, as standard libraries use it.
    again = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode",
        data={"grant_type": "refresh_token", "refresh_token": response.json()["refresh_token"]},
        headers=headers,
    )
    assert again.status_code == 200, again.text
    wrong = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode",
        data={"grant_type": "refresh_token", "refresh_token": "x"},
        headers={"Authorization": "Basic " + base64.b64encode(b"app_x:nope").decode()},
    )
    assert_oauth_error(wrong, 401, "invalid_client")
    garbled = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode", data={}, headers={"Authorization": "Basic !!!"}
    )
    assert_oauth_error(garbled, 401, "invalid_client")


def test_an_unsupported_grant_type(oauth_app: OAuthApp) -> None:
    response = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode",
        data={"grant_type": "password", "client_id": oauth_app.client_id},
    )
    assert_oauth_error(response, 400, "unsupported_grant_type")


def test_a_repeated_parameter_is_invalid_request(oauth_app: OAuthApp) -> None:
    response = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode",
        content="code=a&code=b&client_id=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_oauth_error(response, 400, "invalid_request")


def test_a_json_body_is_accepted_and_bad_json_is_invalid_request(oauth_app: OAuthApp) -> None:
    response = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode",
        json={
            "client_id": oauth_app.client_id,
            "client_secret": oauth_app.client_secret,
            "redirect_uri": oauth_app.redirect_uri,
            "code": oauth_app.code(),
        },
    )
    assert response.status_code == 200, response.text
    bad = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert_oauth_error(bad, 400, "invalid_request")
    binary = oauth_app.browser.http.post(
        "/v3/oauth.exchangeAuthCode",
        content=b"\xff\xfe",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_oauth_error(binary, 400, "invalid_request")


def test_a_get_on_the_token_endpoint_is_405(oauth_app: OAuthApp) -> None:
    for path in ("/v3/oauth.exchangeAuthCode", "/api/v1/oauth.refreshToken"):
        response = oauth_app.browser.http.get(path)
        assert_oauth_error(response, 405, "invalid_request")
        assert response.headers["allow"] == "POST"


def test_the_other_api_v1_methods_still_reach_the_contactsplus_dispatch(
    oauth_app: OAuthApp,
) -> None:
    response = oauth_app.browser.http.post("/api/v1/oauth.nope", json={})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_method"
