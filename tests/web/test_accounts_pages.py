"""Sign up, log in, log out: sessions in signed cookies, CSRF on every form, throttled logins."""

from __future__ import annotations

import secrets

from starlette.testclient import TestClient

from rolodex.services import Services
from rolodex.web.sessions import COOKIE_NAME
from tests.web.browser import PASSWORD, Browser, csrf_of, new_browser


def test_sign_up_logs_in_and_the_cookie_is_httponly_and_samesite(browser: Browser) -> None:
    response = browser.sign_up()
    assert response.headers["location"] == "/book"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(COOKIE_NAME + "=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    home = browser.get("/")
    assert browser.email in home.text
    assert "Log out" in home.text


def test_sign_up_stores_an_argon2_hash(browser: Browser, services: Services) -> None:
    from sqlalchemy import select

    from rolodex.store.schema import accounts

    browser.sign_up()
    with services.store.read() as conn:
        stored = conn.execute(
            select(accounts.c.password_hash).where(accounts.c.email == browser.email)
        ).scalar_one()
    assert stored.startswith("$argon2id$")


def test_sign_up_with_a_short_password_says_so(browser: Browser) -> None:
    response = browser.submit(
        "/signup",
        "/signup",
        {"email": "x-" + secrets.token_hex(4) + "@example.com", "password": "short"},
    )
    assert response.status_code == 400
    assert "8 to 1024 characters" in response.text


def test_sign_up_twice_with_one_email_is_a_conflict(client: TestClient) -> None:
    first = new_browser(client)
    first.sign_up()
    second = new_browser(client)
    response = second.submit("/signup", "/signup", {"email": first.email, "password": PASSWORD})
    assert response.status_code == 409
    assert "exists" in response.text


def test_log_out_then_log_in_again(browser: Browser) -> None:
    browser.sign_up()
    out = browser.submit("/", "/logout", {})
    assert out.status_code == 303
    assert "Log in" in browser.get("/").text
    assert browser.get("/developer/apps").status_code == 303
    response = browser.log_in(browser.email, PASSWORD, "/developer/apps")
    assert response.status_code == 303
    assert response.headers["location"] == "/developer/apps"
    assert browser.get("/developer/apps").status_code == 200


def test_wrong_password_is_refused(client: TestClient) -> None:
    owner = new_browser(client)
    owner.sign_up()
    other = new_browser(client)
    response = other.log_in(owner.email, "not the password")
    assert response.status_code == 401
    assert "Wrong email or password" in response.text
    assert "Log out" not in other.get("/").text


def test_next_cannot_leave_the_site(browser: Browser) -> None:
    browser.sign_up()
    browser.submit("/", "/logout", {})
    response = browser.log_in(browser.email, PASSWORD, "//evil.example.com/x")
    assert response.headers["location"] == "/book"


def test_a_post_without_the_csrf_token_is_refused(browser: Browser) -> None:
    browser.get("/signup")
    response = browser.http.post(
        "/signup",
        data={"email": "a-" + secrets.token_hex(4) + "@example.com", "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "form expired" in response.text


def test_a_csrf_token_from_another_session_is_refused(client: TestClient) -> None:
    mallory = new_browser(client)
    token = csrf_of(mallory.get("/signup").text)
    victim = new_browser(client)
    victim.sign_up()
    response = victim.http.post(
        "/developer/apps",
        data={"csrf_token": token, "name": "Evil", "redirect_uris": "https://evil.example.com/"},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_a_forged_session_cookie_is_ignored(client: TestClient) -> None:
    browser = new_browser(client)
    browser.http.cookies.set(COOKIE_NAME, "eyJhIjoiYV94In0.forged.signature")
    response = browser.get("/developer/apps")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_pages_ship_their_own_css_and_work_without_javascript(browser: Browser) -> None:
    page = browser.get("/login")
    assert '<link rel="stylesheet" href="/static/rolodex.css">' in page.text
    assert "<script" not in page.text
    assert 'name="viewport"' in page.text
    css = browser.get("/static/rolodex.css")
    assert css.status_code == 200
    assert "@media" in css.text


def test_an_oversized_form_is_refused(browser: Browser) -> None:
    page = browser.get("/login")
    response = browser.http.post(
        "/login",
        data={"csrf_token": csrf_of(page.text), "email": "x" * 70_000, "password": "y"},
        follow_redirects=False,
    )
    assert response.status_code == 413


def test_the_cookie_is_secure_over_https(client: TestClient) -> None:
    https = TestClient(client.app, base_url="https://testserver", client=("10.9.9.9", 1))
    response = https.get("/login")
    assert "secure" in response.headers["set-cookie"].lower()
    plain = new_browser(client).get("/login")
    assert "secure" not in plain.headers["set-cookie"].lower()
