"""The authorized apps page: which apps hold access, with which scopes; revoking one."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from rolodex.services import Services
from tests.web.browser import OAuthApp, new_oauth_app


def _account_get(app: OAuthApp, token: str) -> Any:
    return app.browser.http.post(
        "/api/v1/account.get", json={}, headers={"Authorization": f"Bearer {token}"}
    )


def test_an_authorized_app_is_listed_with_its_scopes_in_plain_words(oauth_app: OAuthApp) -> None:
    assert "No app has access" in oauth_app.browser.get("/settings/authorized-apps").text
    oauth_app.tokens("account.read,contacts.write")
    page = oauth_app.browser.get("/settings/authorized-apps")
    assert "Test App" in page.text
    assert "Create, update and delete your contacts" in page.text
    assert "Read your account information" in page.text
    assert "Read your tags" not in page.text


def test_revoking_an_app_stops_its_tokens_on_the_next_request(oauth_app: OAuthApp) -> None:
    tokens = oauth_app.tokens()
    assert _account_get(oauth_app, tokens["access_token"]).status_code == 200
    response = oauth_app.browser.submit(
        "/settings/authorized-apps", f"/settings/authorized-apps/{oauth_app.client_id}/revoke", {}
    )
    assert response.status_code == 303
    assert _account_get(oauth_app, tokens["access_token"]).status_code == 401
    refreshed = oauth_app.browser.http.post(
        "/v3/oauth.refreshToken",
        data={
            "client_id": oauth_app.client_id,
            "client_secret": oauth_app.client_secret,
            "refresh_token": tokens["refresh_token"],
        },
    )
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"
    page = oauth_app.browser.get("/settings/authorized-apps?revoked=1")
    assert "Access revoked" in page.text
    assert "Test App" not in page.text


def test_revoking_drops_codes_not_yet_exchanged(oauth_app: OAuthApp) -> None:
    code = oauth_app.code()
    oauth_app.tokens()
    oauth_app.browser.submit(
        "/settings/authorized-apps", f"/settings/authorized-apps/{oauth_app.client_id}/revoke", {}
    )
    assert oauth_app.exchange(code).json()["error"] == "invalid_grant"


def test_revoking_one_app_leaves_other_apps_and_other_users_alone(
    client: TestClient, services: Services
) -> None:
    first = new_oauth_app(client, services)
    first_tokens = first.tokens()
    second_id, second_secret = first.browser.register_app([first.redirect_uri], name="Second")
    second = OAuthApp(first.browser, second_id, second_secret, first.redirect_uri)
    second_tokens = second.tokens()
    # Another user of the first app.
    other = new_oauth_app(client, services)
    other_app = OAuthApp(other.browser, first.client_id, first.client_secret, first.redirect_uri)
    other_tokens = other_app.tokens()

    first.browser.submit(
        "/settings/authorized-apps", f"/settings/authorized-apps/{first.client_id}/revoke", {}
    )
    assert _account_get(first, first_tokens["access_token"]).status_code == 401
    assert _account_get(second, second_tokens["access_token"]).status_code == 200
    assert _account_get(other_app, other_tokens["access_token"]).status_code == 200
    page = first.browser.get("/settings/authorized-apps")
    assert "Second" in page.text


def test_the_page_needs_a_login(client: TestClient) -> None:
    from tests.web.browser import new_browser

    assert new_browser(client).get("/settings/authorized-apps").status_code == 303
