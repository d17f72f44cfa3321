"""Every 429 the app answers carries `Retry-After` (issue 20), walked source by source.

The sources: the rate limiter (one answer per dialect, and the stricter login, token
and authorize rules), the login throttle's page and CardDAV's HTTP Basic (the same
throttle). A new source of 429s must join the
walk: the last test fails when a module not listed here answers 429.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient

import rolodex
from rolodex.accounts.login_throttle import FREE_PER_ACCOUNT
from rolodex.services import Services
from tests.ratelimit.conftest import Account, Limited
from tests.web.browser import csrf_of, new_browser

# Modules that answer 429 (a status argument `429,` or `429)`), each walked below.
SOURCES = {"ratelimit/responses.py", "web/pages/throttled.py", "api/carddav/routes.py"}


def _assert_retry_after(response: httpx2.Response) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["retry-after"]) >= 1


def _third(send: Callable[[], httpx2.Response]) -> httpx2.Response:
    send()
    send()
    return send()


@pytest.mark.parametrize(
    ("rule", "request_of"),
    [
        ("per_address", lambda c, a, k: c.get("/")),
        ("per_address", lambda c, a, k: c.get("/nowhere")),
        ("per_credential", lambda c, a, k: c.post("/api/v1/account.get", json={}, headers=a)),
        ("per_credential", lambda c, a, k: c.get("/api/user/contacts", headers=a)),
        ("rest_key", lambda c, a, k: c.get("/v1/contacts", headers={"x-api-key": k})),
        ("login", lambda c, a, k: c.post("/login", data={"email": "x@y.z", "password": "p"})),
        ("login", lambda c, a, k: c.post("/signup", data={"email": "x@y.z", "password": "p"})),
        ("token", lambda c, a, k: c.post("/v3/oauth.refreshToken", data={})),
        ("token", lambda c, a, k: c.post("/api/v1/oauth.exchangeAuthCode", data={})),
        ("authorize", lambda c, a, k: c.get("/oauth/authorize?client_id=x")),
    ],
)
def test_every_rate_limit_429_carries_retry_after(
    limited: Limited,
    new_account: Callable[[], Account],
    api_key: Callable[..., str],
    rule: str,
    request_of: Callable[..., httpx2.Response],
) -> None:
    client, account, key = limited(**{rule: 2}), new_account(), api_key()
    _assert_retry_after(_third(lambda: request_of(client, account.bearer, key)))


def test_the_login_throttles_429_carries_retry_after(client: TestClient) -> None:
    owner = new_browser(client)
    owner.sign_up()
    stranger = new_browser(client)
    token = csrf_of(stranger.get("/login").text)
    for _ in range(FREE_PER_ACCOUNT + 20):
        answer = stranger.http.post(
            "/login",
            data={"csrf_token": token, "email": owner.email, "password": secrets.token_hex(4)},
            follow_redirects=False,
        )
        if answer.status_code != 401:
            break
    # (Past the free tries the waits are short at first: a slow machine may sit one
    # out between two attempts, so the walk goes on until the throttle answers.)
    _assert_retry_after(answer)


def test_the_carddav_throttles_429_carries_retry_after(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.settings, "carddav_allow_account_password", True)
    monkeypatch.setattr(services.settings, "trust_proxy_headers", True)
    owner = new_browser(client)
    owner.sign_up()
    address = f"10.99.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
    for _ in range(FREE_PER_ACCOUNT + 20):
        wrong = base64.b64encode(f"{owner.email}:{secrets.token_hex(4)}".encode()).decode()
        answer = client.request(
            "PROPFIND",
            "/dav/",
            headers={"Authorization": f"Basic {wrong}", "X-Forwarded-For": address},
        )
        if answer.status_code != 401:
            break
    _assert_retry_after(answer)


def test_no_other_module_answers_429() -> None:
    root = Path(rolodex.__file__).parent
    answering = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"\b429\s*[,)]", path.read_text()) and "openapi" not in path.parts
    }
    assert answering == SOURCES
