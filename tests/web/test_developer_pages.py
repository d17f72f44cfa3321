"""The developer apps page: register, see the secret once, regenerate it."""

from __future__ import annotations

from sqlalchemy import select
from starlette.testclient import TestClient

from rolodex.oauth.credentials import hash_secret
from rolodex.services import Services
from rolodex.store.schema import oauth_apps
from tests.web.browser import Browser, OAuthApp, new_browser


def test_the_page_needs_a_login(browser: Browser) -> None:
    response = browser.get("/developer/apps")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fdeveloper%2Fapps"


def test_register_shows_the_secret_once_and_stores_it_hashed(
    browser: Browser, services: Services
) -> None:
    browser.sign_up()
    client_id, secret = browser.register_app(
        ["https://a.example.com/cb", "https://b.example.com/cb"], name="Two URIs"
    )
    listing = browser.get("/developer/apps")
    assert client_id in listing.text
    assert "Two URIs" in listing.text
    assert "https://b.example.com/cb" in listing.text
    assert secret not in listing.text
    with services.store.read() as conn:
        row = conn.execute(select(oauth_apps).where(oauth_apps.c.client_id == client_id)).one()
    assert row.secret_hash == hash_secret(secret)
    assert secret not in row.secret_hash


def test_register_refuses_bad_input_and_keeps_what_was_typed(browser: Browser) -> None:
    browser.sign_up()
    for name, uris, problem in (
        ("", "https://a.example.com/cb", "needs a name"),
        ("App", "", "at least one redirect URI"),
        ("App", "/relative/path", "not an absolute URI"),
        ("App", "https://a.example.com/cb#frag", "fragment"),
        ("x" * 101, "https://a.example.com/cb", "at most 100"),
    ):
        response = browser.submit(
            "/developer/apps", "/developer/apps", {"name": name, "redirect_uris": uris}
        )
        assert response.status_code == 400, (name, uris)
        assert problem in response.text
    kept = browser.submit(
        "/developer/apps", "/developer/apps", {"name": "Kept", "redirect_uris": "/relative"}
    )
    assert 'value="Kept"' in kept.text


def test_repeatable_redirect_uri_fields_are_accepted(browser: Browser) -> None:
    browser.sign_up()
    response = browser.submit(
        "/developer/apps",
        "/developer/apps",
        {"name": "Fields", "redirect_uri": ["https://a.example.com/1", "https://a.example.com/2"]},
    )
    assert response.status_code == 201
    assert "https://a.example.com/2" in response.text


def test_regenerating_the_secret_retires_the_old_one(oauth_app: OAuthApp) -> None:
    old = oauth_app.client_secret
    response = oauth_app.browser.submit(
        "/developer/apps", f"/developer/apps/{oauth_app.client_id}/secret", {}
    )
    assert response.status_code == 200
    assert "The old secret no longer works" in response.text
    new = response.text.split('id="client-secret">')[1].split("<")[0]
    assert new != old
    assert oauth_app.exchange(oauth_app.code()).status_code == 401
    oauth_app.client_secret = new
    assert oauth_app.exchange(oauth_app.code()).status_code == 200


def test_another_account_cannot_regenerate_an_apps_secret(
    oauth_app: OAuthApp, client: TestClient
) -> None:
    other = new_browser(client)
    other.sign_up()
    response = other.submit("/developer/apps", f"/developer/apps/{oauth_app.client_id}/secret", {})
    assert response.status_code == 404
    assert oauth_app.exchange(oauth_app.code()).status_code == 200
    assert oauth_app.client_id not in other.get("/developer/apps").text


def test_editing_an_app_renames_it_and_replaces_its_redirect_uris(oauth_app: OAuthApp) -> None:
    page = f"/developer/apps/{oauth_app.client_id}/edit"
    bad = oauth_app.browser.submit(
        "/developer/apps", page, {"name": "Renamed", "redirect_uris": "/relative"}
    )
    assert bad.status_code == 400
    assert "not an absolute URI" in bad.text
    moved = "https://moved.example.com/cb"
    done = oauth_app.browser.submit(
        "/developer/apps", page, {"name": "Renamed", "redirect_uris": moved}
    )
    assert done.status_code == 303
    listing = oauth_app.browser.get("/developer/apps").text
    assert "Renamed" in listing
    assert moved in listing
    assert oauth_app.redirect_uri not in listing
    # The old redirect URI is no longer accepted; the new one is.
    refused = oauth_app.browser.authorize(oauth_app.params())
    assert refused.status_code == 400
    oauth_app.redirect_uri = moved
    assert oauth_app.exchange(oauth_app.code()).status_code == 200


def test_deleting_an_app_revokes_its_tokens(oauth_app: OAuthApp, client: TestClient) -> None:
    tokens = oauth_app.tokens()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/v1/account.get", json={}, headers=bearer).status_code == 200
    stranger = new_browser(client)
    stranger.sign_up()
    not_theirs = stranger.submit(
        "/developer/apps", f"/developer/apps/{oauth_app.client_id}/delete", {}
    )
    assert not_theirs.status_code == 404
    done = oauth_app.browser.submit(
        "/developer/apps", f"/developer/apps/{oauth_app.client_id}/delete", {}
    )
    assert done.status_code == 303
    assert oauth_app.client_id not in oauth_app.browser.get("/developer/apps").text
    assert client.post("/api/v1/account.get", json={}, headers=bearer).status_code == 401
    refreshed = client.post(
        "/v3/oauth.refreshToken",
        data={
            "client_id": oauth_app.client_id,
            "client_secret": oauth_app.client_secret,
            "refresh_token": tokens["refresh_token"],
            "grant_type": "refresh_token",
        },
    )
    assert refreshed.status_code in (400, 401)
