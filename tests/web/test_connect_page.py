"""The connect page: the server, the username, an app password made there, and the Apple
configuration profile (a property list with a CardDAV payload holding a working password)."""

from __future__ import annotations

import plistlib
import re
import uuid
from typing import Any

from starlette.testclient import TestClient

from rolodex.oauth.credentials import APP_PASSWORD
from rolodex.services import Services
from tests.web.browser import Browser, new_browser, random_address

PAGE = "/settings/connect"
PROFILE = "/settings/connect/profile"


def _profile(browser: Browser, **data: str) -> dict[str, Any]:
    response = browser.submit(PAGE, PROFILE, data)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-apple-aspen-config"
    assert response.headers["cache-control"] == "no-store"
    assert "attachment" in response.headers["content-disposition"]
    assert ".mobileconfig" in response.headers["content-disposition"]
    profile = plistlib.loads(response.content)
    assert isinstance(profile, dict)
    return profile


def test_the_page_needs_a_login(browser: Browser) -> None:
    assert browser.get(PAGE).status_code == 303


def test_the_page_shows_the_server_and_the_username(browser: Browser) -> None:
    browser.sign_up()
    text = browser.get(PAGE).text
    assert re.search(r'id="server-url">http://testserver/<', text)
    assert f'id="username">{browser.email}<' in text
    for client in ("DAVx5", "Thunderbird", "Evolution", "iPhone"):
        assert client in text


def test_the_button_makes_an_app_password_shown_once(browser: Browser, services: Services) -> None:
    browser.sign_up()
    response = browser.submit(PAGE, PAGE, {"name": "Pixel"})
    assert response.status_code == 201
    found = re.search(r'id="app-password">([^<]+)<', response.text)
    assert found
    principal = services.app_passwords.verify_basic(
        browser.email, found.group(1), client_address=random_address(), user_agent=""
    )
    assert principal is not None
    assert principal.kind == APP_PASSWORD
    assert found.group(1) not in browser.get(PAGE).text
    assert "Pixel" in browser.get("/settings/app-passwords").text


def test_the_profile_is_a_carddav_account_with_a_new_password(
    browser: Browser, services: Services
) -> None:
    browser.sign_up()
    profile = _profile(browser, name="Ann's iPhone")
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadVersion"] == 1
    (account,) = profile["PayloadContent"]
    assert account["PayloadType"] == "com.apple.carddav.account"
    assert account["CardDAVHostName"] == "testserver"
    assert account["CardDAVPort"] == 80
    assert account["CardDAVUseSSL"] is False
    assert account["CardDAVUsername"] == browser.email
    uuids = {profile["PayloadUUID"], account["PayloadUUID"]}
    assert len(uuids) == 2
    assert all(uuid.UUID(u) for u in uuids)
    principal = services.app_passwords.verify_basic(
        browser.email, account["CardDAVPassword"], client_address=random_address(), user_agent=""
    )
    assert principal is not None
    assert "contacts.write" in principal.scopes
    assert "Ann&#39;s iPhone" in browser.get("/settings/app-passwords").text
    # Each download is a password of its own, with fresh payload ids.
    again = _profile(browser)
    assert again["PayloadContent"][0]["CardDAVPassword"] != account["CardDAVPassword"]
    assert again["PayloadUUID"] not in uuids


def test_a_read_only_profile_carries_a_read_only_password(
    browser: Browser, services: Services
) -> None:
    browser.sign_up()
    account = _profile(browser, name="Shared iPad", read_only="yes")["PayloadContent"][0]
    principal = services.app_passwords.verify_basic(
        browser.email, account["CardDAVPassword"], client_address=random_address(), user_agent=""
    )
    assert principal is not None
    assert "contacts.write" not in principal.scopes


def test_over_https_the_profile_says_ssl_and_the_port_the_browser_used(
    client: TestClient,
) -> None:
    for base, port in (
        ("https://contacts.example.org", 443),
        ("https://dav.example.org:8443", 8443),
    ):
        browser = Browser(
            TestClient(
                client.app,
                base_url=base,
                raise_server_exceptions=False,
                client=(random_address(), 50000),
            )
        )
        browser.sign_up()
        host = base.split("//")[1].split(":")[0]
        assert f'id="server-url">{base}/<' in browser.get(PAGE).text
        account = _profile(browser)["PayloadContent"][0]
        assert (account["CardDAVHostName"], account["CardDAVPort"]) == (host, port)
        assert account["CardDAVUseSSL"] is True


def test_a_profile_is_only_made_by_a_form_of_this_site(client: TestClient) -> None:
    browser = new_browser(client)
    browser.sign_up()
    assert browser.get(PROFILE).status_code == 405
    forged = browser.http.post(PROFILE, data={"name": "x"}, follow_redirects=False)
    assert forged.status_code == 403
    assert "No app passwords yet." in browser.get("/settings/app-passwords").text
    refused = browser.submit(PAGE, PROFILE, {"name": "x" * 101})
    assert refused.status_code == 400
    assert "Name:" in refused.text


def test_a_visitor_not_logged_in_gets_no_profile(client: TestClient) -> None:
    browser = new_browser(client)
    page = browser.http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = browser.http.post(
        PROFILE, data={"csrf_token": token.group(1)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
