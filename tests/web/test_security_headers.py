"""Security headers on pages and API answers, HSTS only over TLS, Secure cookies over TLS."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.services import Services
from rolodex.web.security_headers import SecurityHeadersMiddleware, csp_nonce


@pytest.fixture
def behind_proxy(services: Services) -> Iterator[TestClient]:
    """The app as deployed behind a trusted TLS-terminating proxy."""
    settings = services.settings.model_copy(
        update={
            "trust_proxy_headers": True,
            "webhooks": services.settings.webhooks.model_copy(update={"worker": False}),
        }
    )
    app = create_app(services=dataclasses.replace(services, settings=settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_pages_forbid_framing_foreign_content_and_sniffing(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"


def test_api_answers_get_the_headers_that_fit_them(client: TestClient) -> None:
    for response in (
        client.get("/v1/contacts"),
        client.post("/api/v1/contacts.scroll", json={}),
        client.get("/api/user/contacts"),
        client.get("/healthz"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )
        assert response.headers["referrer-policy"] == "no-referrer"


def test_plain_http_gets_no_hsts(client: TestClient) -> None:
    assert "strict-transport-security" not in client.get("/login").headers
    assert "strict-transport-security" not in client.get("/healthz").headers


def test_tls_gets_hsts_on_pages_and_apis(client: TestClient) -> None:
    for path in ("/login", "/healthz", "/v1/contacts"):
        response = client.get("https://testserver" + path)
        assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_a_forwarded_proto_counts_only_from_a_trusted_proxy(
    client: TestClient, behind_proxy: TestClient
) -> None:
    https = {"X-Forwarded-Proto": "https"}
    trusted = behind_proxy.get("/login", headers=https)
    assert trusted.headers["strict-transport-security"] == "max-age=31536000"
    assert "strict-transport-security" not in client.get("/login", headers=https).headers
    assert "strict-transport-security" not in behind_proxy.get("/login").headers


def _session_cookie(set_cookie: str) -> list[str]:
    assert set_cookie.startswith("rolodex_session=")
    return [part.strip().lower() for part in set_cookie.split(";")[1:]]


def test_the_session_cookie_is_secure_whenever_the_request_came_over_tls(
    client: TestClient, behind_proxy: TestClient
) -> None:
    def fresh() -> TestClient:  # a browser with no cookie yet
        return TestClient(client.app, raise_server_exceptions=False)

    direct = _session_cookie(fresh().get("https://testserver/login").headers["set-cookie"])
    proxied = _session_cookie(
        behind_proxy.get("/login", headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"]
    )
    for attributes in (direct, proxied):
        assert "secure" in attributes
        assert "httponly" in attributes
        assert "samesite=lax" in attributes
    plain = _session_cookie(fresh().get("http://testserver/login").headers["set-cookie"])
    assert "secure" not in plain
    assert "httponly" in plain


def test_a_rate_limited_page_is_protected_too(services: Services) -> None:
    from tests.ratelimit.conftest import limited_services

    app = create_app(services=limited_services(services, per_address=1))
    with TestClient(app, raise_server_exceptions=False, client=("203.0.113.9", 1)) as client:
        client.get("/login")
        refused = client.get("/login")
    assert refused.status_code == 429
    assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]
    assert refused.headers["x-frame-options"] == "DENY"


def test_an_inline_script_runs_only_with_the_pages_nonce() -> None:
    async def page(request: Request) -> HTMLResponse:
        nonce = csp_nonce(request)
        assert csp_nonce(request) == nonce  # one nonce per request
        return HTMLResponse(f'<script nonce="{nonce}">go()</script>')

    async def own_policy(request: Request) -> HTMLResponse:
        nonce = csp_nonce(request)
        return HTMLResponse(
            f'<script nonce="{nonce}"></script>',
            headers={"Content-Security-Policy": "default-src 'self'"},
        )

    app = Starlette(routes=[Route("/", page), Route("/own", own_policy)])
    app.add_middleware(SecurityHeadersMiddleware)
    with TestClient(app) as client:
        first, second = client.get("/"), client.get("/")
        own = client.get("/own")
    nonces = []
    for response in (first, second):
        nonce = response.text.split('nonce="')[1].split('"')[0]
        assert f"script-src 'self' 'nonce-{nonce}'" in response.headers["content-security-policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    own_nonce = own.text.split('nonce="')[1].split('"')[0]
    assert own.headers["content-security-policy"] == (
        f"default-src 'self'; script-src 'self' 'nonce-{own_nonce}'"
    )
