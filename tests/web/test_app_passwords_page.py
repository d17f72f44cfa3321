"""The app passwords page: make one (shown once), see when and by what each was last used,
revoke; one account never sees or revokes another's."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from rolodex.services import Services
from tests.web.browser import Browser, new_browser, random_address

PAGE = "/settings/app-passwords"


def _make(browser: Browser, name: str, *, read_only: bool = False) -> tuple[int, str]:
    data = {"name": name, **({"read_only": "yes"} if read_only else {})}
    response = browser.submit(PAGE, PAGE, data)
    found = re.search(r'id="app-password">([^<]+)<', response.text)
    return response.status_code, found.group(1) if found else ""


def _credential_id(services: Services, browser: Browser, password: str) -> str:
    principal = services.app_passwords.verify_basic(
        browser.email, password, client_address=random_address(), user_agent="test"
    )
    assert principal is not None
    return principal.credential_id


def test_the_page_needs_a_login(browser: Browser) -> None:
    response = browser.get(PAGE)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_a_new_password_is_shown_once_and_signs_the_email_in(
    browser: Browser, services: Services
) -> None:
    browser.sign_up()
    status, password = _make(browser, "Ann's iPhone")
    assert status == 201
    assert password.startswith("rdx_ap_")
    principal = services.app_passwords.verify_basic(
        browser.email, password, client_address=random_address(), user_agent="iOS/17.2"
    )
    assert principal is not None
    assert "contacts.write" in principal.scopes
    listing = browser.get(PAGE)
    assert listing.headers["cache-control"] == "no-store"
    assert "Ann&#39;s iPhone" in listing.text
    assert password not in listing.text
    assert "last used" in listing.text
    assert "iOS/17.2" in listing.text


def test_a_read_only_password_says_so_and_cannot_write(
    browser: Browser, services: Services
) -> None:
    browser.sign_up()
    status, password = _make(browser, "Kiosk", read_only=True)
    assert status == 201
    principal = services.app_passwords.verify_basic(
        browser.email, password, client_address=random_address(), user_agent=""
    )
    assert principal is not None
    assert "contacts.write" not in principal.scopes
    assert "read-only" in browser.get(PAGE).text


def test_a_password_needs_a_name_and_a_refused_one_makes_nothing(
    browser: Browser, services: Services
) -> None:
    browser.sign_up()
    status, password = _make(browser, "  ")
    assert status == 400
    assert password == ""
    assert "Name:" in browser.submit(PAGE, PAGE, {"name": "x" * 101}).text
    assert "No app passwords yet." in browser.get(PAGE).text


def test_a_form_without_its_csrf_token_makes_nothing(browser: Browser) -> None:
    browser.sign_up()
    response = browser.http.post(PAGE, data={"name": "Forged"}, follow_redirects=False)
    assert response.status_code == 403
    assert "Forged" not in browser.get(PAGE).text


def test_revoking_stops_the_password(browser: Browser, services: Services) -> None:
    browser.sign_up()
    _, password = _make(browser, "Old phone")
    credential_id = _credential_id(services, browser, password)
    response = browser.submit(PAGE, f"{PAGE}/{credential_id}/revoke", {})
    assert response.status_code == 303
    assert (
        services.app_passwords.verify_basic(
            browser.email, password, client_address=random_address(), user_agent=""
        )
        is None
    )
    after = browser.get(response.headers["location"])
    assert "is revoked" in after.text
    assert "Old phone" not in after.text


def test_one_account_never_sees_or_revokes_anothers_passwords(
    browser: Browser, client: TestClient, services: Services
) -> None:
    browser.sign_up()
    _, password = _make(browser, "Mine alone")
    credential_id = _credential_id(services, browser, password)
    other = new_browser(client)
    other.sign_up()
    assert "Mine alone" not in other.get(PAGE).text
    refused = other.submit(PAGE, f"{PAGE}/{credential_id}/revoke", {})
    assert refused.status_code == 404
    assert services.app_passwords.verify_basic(
        browser.email, password, client_address=random_address(), user_agent=""
    )
    # Nor does the other's email sign in with my password.
    assert (
        services.app_passwords.verify_basic(
            other.email, password, client_address=random_address(), user_agent=""
        )
        is None
    )


def test_settings_and_the_address_book_lead_to_the_pages(browser: Browser) -> None:
    browser.sign_up()
    settings = browser.get("/settings/account").text
    assert 'href="/settings/app-passwords"' in settings
    assert 'href="/settings/connect"' in settings
    assert 'href="/settings/connect"' in browser.get("/book").text
    assert 'href="/settings/connect"' in browser.get(PAGE).text
