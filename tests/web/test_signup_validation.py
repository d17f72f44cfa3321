"""Control characters in what makes an account: one answer on both stores.

Issue 20: `POST /signup` with `email=a%00@b.c` made an account on SQLite and a 500 on
PostgreSQL (which refuses NUL in text). Every way in (the page, the CLI, the service)
now answers 400 naming the field, and nothing is written.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from rolodex.errors import InvalidInput
from rolodex.services import Services
from rolodex.store.schema import accounts
from tests.test_cli import run
from tests.web.browser import PASSWORD, Browser, csrf_of, new_browser


def _accounts_like(services: Services, fragment: str) -> int:
    with services.store.read() as conn:
        return int(
            conn.execute(
                select(func.count()).where(accounts.c.email.like(f"%{fragment}%"))
            ).scalar_one()
        )


def _post_signup(browser: Browser, body: str) -> object:
    page = browser.get("/signup")
    return browser.http.post(
        "/signup",
        content=f"csrf_token={csrf_of(page.text)}&{body}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


def test_signup_with_a_nul_in_the_email_is_a_400_on_every_store(
    browser: Browser, services: Services
) -> None:
    marker = secrets.token_hex(6)
    response = _post_signup(browser, f"email=a{marker}%00@b.c&password=correct+horse+battery")
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    assert "control characters" in response.text  # type: ignore[attr-defined]
    assert _accounts_like(services, marker) == 0


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("email", "email=x{m}%01@b.c&password=correct+horse+battery"),
        ("email", "email=x{m}@b%0A.c&password=correct+horse+battery"),
        ("name", "email=x{m}@b.c&name=Ann%00Example&password=correct+horse+battery"),
        ("name", "email=x{m}@b.c&name=Ann%1BExample&password=correct+horse+battery"),
        ("password", "email=x{m}@b.c&password=correct+horse%00battery"),
    ],
)
def test_control_characters_in_any_field_are_refused(
    browser: Browser, services: Services, field: str, body: str
) -> None:
    marker = secrets.token_hex(6)
    response = _post_signup(browser, body.format(m=marker))
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    assert "control characters" in response.text  # type: ignore[attr-defined]
    assert _accounts_like(services, marker) == 0


def test_the_service_names_the_field(services: Services) -> None:
    for email, password, name, field in (
        ("a\x00@b.c", PASSWORD, "", "email"),
        (f"ok-{secrets.token_hex(4)}@b.c", PASSWORD, "A\x00", "name"),
        (f"ok-{secrets.token_hex(4)}@b.c", "pass\x00word!", "", "password"),
    ):
        with pytest.raises(InvalidInput) as refused:
            services.accounts.create(email, password, name)
        assert refused.value.field == field
        assert "control characters" in refused.value.message


def test_logging_in_with_a_nul_in_the_email_is_a_plain_refusal(client: TestClient) -> None:
    browser = new_browser(client)
    page = browser.get("/login")
    response = browser.http.post(
        "/login",
        content=f"csrf_token={csrf_of(page.text)}&email=a%00@b.c&password=whatever+it+is",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 401, response.text


def test_the_cli_refuses_a_control_character(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    refused = run(
        "accounts", "create", "--email", "a\x01@b.c", "--password", PASSWORD, "--data-dir", data
    )
    assert refused.returncode == 1
    error = json.loads(refused.stderr)["error"]
    assert error["field"] == "email"
    assert "control characters" in error["message"]


def test_a_nul_in_oauth_input_is_refused_not_a_500(client: TestClient) -> None:
    browser = new_browser(client)
    browser.sign_up()
    page = browser.get("/developer/apps")
    app = browser.http.post(
        "/developer/apps",
        content=f"csrf_token={csrf_of(page.text)}&name=Ev%00il&redirect_uris=https://x.example.com/",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert app.status_code == 400
    assert "control characters" in app.text
    authorize = browser.get("/oauth/authorize?client_id=app_%00x&scope=contacts.read")
    assert authorize.status_code == 400
    assert "location" not in authorize.headers
    token = browser.http.post(
        "/v3/oauth.exchangeAuthCode",
        content="client_id=app_%00x&client_secret=s&code=c",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert token.status_code == 401
    assert token.json()["error"] == "invalid_client"


def test_looking_an_account_up_by_an_email_with_a_nul_finds_nothing(services: Services) -> None:
    from rolodex.errors import NotFound

    # The teams page and the CLI look members up by email: a 404, not PostgreSQL's error.
    with pytest.raises(NotFound):
        services.accounts.find_by_email("a\x00@b.c")
    assert services.accounts.authenticate("a\x00@b.c", PASSWORD) is None
