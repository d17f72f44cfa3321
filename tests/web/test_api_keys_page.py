"""The API keys page: create a key with chosen scopes, see it once, list, revoke."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from rolodex.oauth.credentials import API_KEY
from rolodex.services import Services
from tests.web.browser import Browser, new_browser


def _create(browser: Browser, name: str, scopes: list[str]) -> tuple[int, str]:
    response = browser.submit(
        "/settings/api-keys", "/settings/api-keys", {"name": name, "scope": scopes}
    )
    found = re.search(r'id="api-key">([^<]+)<', response.text)
    return response.status_code, found.group(1) if found else ""


def test_the_page_needs_a_login(browser: Browser) -> None:
    assert browser.get("/settings/api-keys").status_code == 303


def test_a_new_key_is_shown_once_and_carries_the_chosen_scopes(
    browser: Browser, services: Services
) -> None:
    browser.sign_up()
    status, secret = _create(browser, "Laptop script", ["contacts.read", "tags.read"])
    assert status == 201
    assert secret.startswith("rdx_key_")
    principal = services.credentials.resolve(secret, kinds=(API_KEY,))
    assert principal is not None
    assert principal.scopes == frozenset({"contacts.read", "tags.read"})
    listing = browser.get("/settings/api-keys")
    assert "Laptop script" in listing.text
    assert "contacts.read, tags.read" in listing.text
    assert secret not in listing.text


def test_a_key_needs_a_known_scope(browser: Browser) -> None:
    browser.sign_up()
    status, _ = _create(browser, "none", [])
    assert status == 400
    status, _ = _create(browser, "bad", ["contacts.everything"])
    assert status == 400


def test_revoking_a_key_stops_it(browser: Browser, services: Services) -> None:
    browser.sign_up()
    _, secret = _create(browser, "Temp", ["contacts.read"])
    principal = services.credentials.resolve(secret, kinds=(API_KEY,))
    assert principal is not None
    response = browser.submit(
        "/settings/api-keys", f"/settings/api-keys/{principal.credential_id}/revoke", {}
    )
    assert response.status_code == 303
    assert services.credentials.resolve(secret, kinds=(API_KEY,)) is None
    assert "revoked" in browser.get("/settings/api-keys").text


def test_another_account_cannot_revoke_a_key(
    browser: Browser, client: TestClient, services: Services
) -> None:
    browser.sign_up()
    _, secret = _create(browser, "Mine", ["contacts.read"])
    principal = services.credentials.resolve(secret, kinds=(API_KEY,))
    assert principal is not None
    other = new_browser(client)
    other.sign_up()
    other.submit("/settings/api-keys", f"/settings/api-keys/{principal.credential_id}/revoke", {})
    assert services.credentials.resolve(secret, kinds=(API_KEY,)) is not None
    assert "Mine" not in other.get("/settings/api-keys").text


def test_the_page_says_a_key_is_also_the_personal_apis_bearer(client: TestClient) -> None:
    browser = new_browser(client)
    browser.sign_up()
    text = browser.get("/settings/api-keys").text
    assert "Bearer" in text
    assert "/api/user/contacts" in text
