"""A person at a browser, for page tests: own cookie jar, own client address, CSRF from the page."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx2
from starlette.testclient import TestClient

from rolodex.services import Services

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def random_address() -> str:
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


@dataclass
class Browser:
    http: TestClient
    email: str = ""
    account_id: str = ""

    def get(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.http.get(url, follow_redirects=False, **kwargs)

    def submit(self, page_url: str, action: str, data: dict[str, Any]) -> httpx2.Response:
        """Load `page_url`, take its CSRF token, post `data` to `action` (no redirects followed)."""
        page = self.http.get(page_url)
        assert page.status_code == 200, page.text
        return self.http.post(
            action, data={"csrf_token": csrf_of(page.text), **data}, follow_redirects=False
        )

    def sign_up(self, email: str | None = None, password: str = PASSWORD) -> httpx2.Response:
        self.email = email or f"web-{secrets.token_hex(6)}@example.com"
        response = self.submit(
            "/signup", "/signup", {"email": self.email, "password": password, "name": "Web User"}
        )
        assert response.status_code == 303, response.text
        return response

    def log_in(self, email: str, password: str, next_url: str = "/") -> httpx2.Response:
        return self.submit(
            "/login", "/login", {"email": email, "password": password, "next": next_url}
        )

    def register_app(self, redirect_uris: list[str], name: str = "Test App") -> tuple[str, str]:
        response = self.submit(
            "/developer/apps",
            "/developer/apps",
            {"name": name, "redirect_uris": "\n".join(redirect_uris)},
        )
        assert response.status_code == 201, response.text
        client_id = re.search(r'id="client-id">([^<]+)<', response.text)
        secret = re.search(r'id="client-secret">([^<]+)<', response.text)
        assert client_id
        assert secret
        return client_id.group(1), secret.group(1)

    def authorize(self, params: dict[str, str]) -> httpx2.Response:
        return self.get("/oauth/authorize?" + urlencode(params))

    def approve(self, params: dict[str, str], decision: str = "approve") -> httpx2.Response:
        page = self.authorize(params)
        assert page.status_code == 200, page.text
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        hidden = {k: _unescape(v) for k, v in hidden.items()}
        return self.http.post(
            "/oauth/authorize", data={**hidden, "decision": decision}, follow_redirects=False
        )


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


def redirect_params(response: httpx2.Response) -> dict[str, str]:
    assert response.status_code in (302, 303), response.text
    query = urlsplit(response.headers["location"]).query
    return {k: v[0] for k, v in parse_qs(query).items()}


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class OAuthApp:
    """A registered app and the user who will authorize it, ready to run the flow."""

    browser: Browser
    client_id: str
    client_secret: str
    redirect_uri: str
    extra: dict[str, str] = field(default_factory=dict)

    def params(self, scope: str = "account.read,contacts.read", **more: str) -> dict[str, str]:
        return {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": scope,
            "state": "xyz-" + secrets.token_hex(4),
            **more,
        }

    def code(self, scope: str = "account.read,contacts.read", **more: str) -> str:
        params = self.params(scope, **more)
        answer = redirect_params(self.browser.approve(params))
        assert answer["state"] == params["state"]
        return answer["code"]

    def exchange(self, code: str, **overrides: str | None) -> httpx2.Response:
        data = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uri": self.redirect_uri,
            "code": code,
            **overrides,
        }
        return self.browser.http.post(
            "/v3/oauth.exchangeAuthCode", data={k: v for k, v in data.items() if v is not None}
        )

    def tokens(self, scope: str = "account.read,contacts.read") -> dict[str, Any]:
        response = self.exchange(self.code(scope))
        assert response.status_code == 200, response.text
        return dict(response.json())


def new_browser(client: TestClient) -> Browser:
    return Browser(
        TestClient(client.app, raise_server_exceptions=False, client=(random_address(), 50000))
    )


def new_oauth_app(
    client: TestClient, services: Services, redirect_uri: str = "https://app.example.com/callback"
) -> OAuthApp:
    browser = new_browser(client)
    browser.sign_up()
    client_id, secret = browser.register_app([redirect_uri])
    return OAuthApp(browser, client_id, secret, redirect_uri)
