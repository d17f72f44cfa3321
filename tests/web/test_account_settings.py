"""The account settings page: name, email, password, sessions, deleting the account."""

from __future__ import annotations

import re
import secrets

from starlette.testclient import TestClient

from rolodex.services import Services
from rolodex.web.sessions import COOKIE_NAME
from tests.web.browser import PASSWORD, Browser, csrf_of, new_browser

PAGE = "/settings/account"


def _signed_up(client: TestClient) -> Browser:
    browser = new_browser(client)
    browser.sign_up()
    return browser


def _second_browser(client: TestClient, first: Browser) -> Browser:
    other = new_browser(client)
    assert other.log_in(first.email, PASSWORD).status_code == 303
    other.email = first.email
    return other


def _logged_in(browser: Browser) -> bool:
    return browser.get(PAGE).status_code == 200


def _session_ids(html: str) -> list[str]:
    return re.findall(r'id="session-(ws_[^"]+)"', html)


def test_the_page_needs_a_login_and_is_linked_from_every_page(client: TestClient) -> None:
    anonymous = new_browser(client)
    assert anonymous.get(PAGE).status_code == 303
    browser = _signed_up(client)
    assert 'href="/settings/account"' in browser.get("/").text
    page = browser.get(PAGE)
    assert page.status_code == 200
    assert browser.email in page.text


def test_a_form_without_the_csrf_token_changes_nothing(client: TestClient) -> None:
    browser = _signed_up(client)
    response = browser.http.post(
        PAGE + "/profile", data={"name": "Mallory", "email": browser.email}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "Mallory" not in browser.get(PAGE).text


def test_logging_out_ends_the_session_on_the_server(client: TestClient) -> None:
    browser = _signed_up(client)
    stolen = browser.http.cookies[COOKIE_NAME]
    assert browser.submit("/", "/logout", {}).status_code == 303
    # The cookie as it was before logging out no longer logs anyone in.
    replay = new_browser(client)
    replay.http.cookies.set(COOKIE_NAME, stolen)
    assert not _logged_in(replay)


def test_the_sessions_list_signs_out_another_browser(client: TestClient) -> None:
    first = _signed_up(client)
    second = _second_browser(client, first)
    page = first.get(PAGE).text
    ids = _session_ids(page)
    assert len(ids) == 2
    assert "this browser" in page
    mine = re.search(r'id="session-(ws_[^"]+)">\s*<div><strong>[^<]*</strong> <span', page)
    assert mine is not None
    [theirs] = [i for i in ids if i != mine.group(1)]
    out = first.submit(PAGE, f"/settings/sessions/{theirs}/end", {})
    assert out.status_code == 303
    assert not _logged_in(second)
    assert _logged_in(first)
    assert _session_ids(first.get(PAGE).text) == [mine.group(1)]
    # Another account's session cannot be named.
    stranger = _signed_up(client)
    assert stranger.submit(PAGE, f"/settings/sessions/{mine.group(1)}/end", {}).status_code == 404
    assert _logged_in(first)


def test_changing_the_password_ends_every_other_session(client: TestClient) -> None:
    first = _signed_up(client)
    second = _second_browser(client, first)
    wrong = first.submit(
        PAGE + "",
        PAGE + "/password",
        {"password": "not it", "new_password": "new-pass-123", "confirm_password": "new-pass-123"},
    )
    assert wrong.status_code == 400
    assert "Current password" in wrong.text
    differ = first.submit(
        PAGE,
        PAGE + "/password",
        {"password": PASSWORD, "new_password": "new-pass-123", "confirm_password": "new-pass-321"},
    )
    assert differ.status_code == 400
    assert _logged_in(second)
    done = first.submit(
        PAGE,
        PAGE + "/password",
        {"password": PASSWORD, "new_password": "new-pass-123", "confirm_password": "new-pass-123"},
    )
    assert done.status_code == 303
    assert _logged_in(first)
    assert not _logged_in(second)
    assert new_browser(client).log_in(first.email, PASSWORD).status_code == 401
    assert new_browser(client).log_in(first.email, "new-pass-123").status_code == 303


def test_changing_name_and_email(client: TestClient, services: Services) -> None:
    browser = _signed_up(client)
    other = _signed_up(client)
    renamed = browser.submit(PAGE, PAGE + "/profile", {"name": "Ann Lee", "email": browser.email})
    assert renamed.status_code == 303
    assert services.accounts.find_by_email(browser.email).name == "Ann Lee"
    new_email = f"moved-{secrets.token_hex(4)}@example.com"
    no_password = browser.submit(PAGE, PAGE + "/profile", {"name": "Ann Lee", "email": new_email})
    assert no_password.status_code == 400
    taken = browser.submit(
        PAGE, PAGE + "/profile", {"name": "Ann Lee", "email": other.email, "password": PASSWORD}
    )
    assert taken.status_code == 409
    assert "Email: Another account has this email." in taken.text
    moved = browser.submit(
        PAGE, PAGE + "/profile", {"name": "Ann Lee", "email": new_email, "password": PASSWORD}
    )
    assert moved.status_code == 303
    assert new_browser(client).log_in(new_email, PASSWORD).status_code == 303
    assert new_browser(client).log_in(browser.email, PASSWORD).status_code == 401


def test_deleting_the_account_needs_the_password_and_the_box(
    client: TestClient, services: Services
) -> None:
    browser = _signed_up(client)
    second = _second_browser(client, browser)
    token = services.credentials.issue(
        services.accounts.find_by_email(browser.email).account_id, frozenset({"account.read"})
    ).secret
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/account.get", json={}, headers=bearer).status_code == 200
    no_box = browser.submit(PAGE, PAGE + "/delete", {"password": PASSWORD})
    assert no_box.status_code == 400
    wrong = browser.submit(PAGE, PAGE + "/delete", {"password": "nope", "confirm": "yes"})
    assert wrong.status_code == 400
    assert _logged_in(browser)
    gone = browser.submit(PAGE, PAGE + "/delete", {"password": PASSWORD, "confirm": "yes"})
    assert gone.status_code == 303
    assert not _logged_in(browser)
    assert not _logged_in(second)
    assert client.post("/api/v1/account.get", json={}, headers=bearer).status_code == 401
    assert new_browser(client).log_in(browser.email, PASSWORD).status_code == 401


def test_a_page_without_a_session_still_shows_a_csrf_token(client: TestClient) -> None:
    # The login page's form keeps working for a browser whose session was ended elsewhere.
    browser = _signed_up(client)
    second = _second_browser(client, browser)
    browser.submit(PAGE, PAGE + "/delete", {"password": PASSWORD, "confirm": "yes"})
    assert csrf_of(second.get("/login").text)
