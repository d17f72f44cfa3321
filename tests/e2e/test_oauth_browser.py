"""The whole OAuth flow in a real browser against a real `rolodex serve`.

Debian's chromium (installed by `.ci/system-deps`), driven by Playwright; Playwright's own
browser download is never used. The app side is played by Authlib's standard OAuth 2.0
client, unchanged, to show that a stock client library completes the flow.
"""

from __future__ import annotations

import queue
import re
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def receiver() -> Iterator[tuple[int, queue.Queue[str]]]:
    """The app's loopback redirect receiver: records each callback's path and query."""
    received: queue.Queue[str] = queue.Queue()

    class Callback(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            received.put(self.path)
            body = b"<!doctype html><title>App</title><p>Signed in to the app.</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], received
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_sign_up_register_authorize_exchange_refresh_revoke(
    server: str, receiver: tuple[int, queue.Queue[str]]
) -> None:
    from authlib.integrations.httpx_client import OAuth2Client
    from authlib.oauth2.rfc7636 import create_s256_code_challenge
    from playwright.sync_api import sync_playwright

    receiver_port, received = receiver
    email = f"e2e-{secrets.token_hex(4)}@example.com"
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 420, "height": 860})

            # Sign up.
            page.goto(f"{server}/signup")
            page.fill("input[name=email]", email)
            page.fill("input[name=name]", "Erin Example")
            page.fill("input[name=password]", "correct horse battery")
            page.click("button[type=submit]")
            page.wait_for_url(f"{server}/book")  # a person lands on their contacts
            page.goto(f"{server}/")
            assert email in page.content()

            # Register an app with a loopback redirect URI (any port will match).
            page.goto(f"{server}/developer/apps")
            page.fill("input[name=name]", "Erin's Sync Tool")
            page.fill("textarea[name=redirect_uris]", "http://127.0.0.1/callback")
            page.click("text=Register app")
            client_id = page.inner_text("#client-id").strip()
            client_secret = page.inner_text("#client-secret").strip()
            assert client_id.startswith("app_")

            # The app (a stock OAuth 2.0 client) builds the authorize URL, with PKCE.
            redirect_uri = f"http://127.0.0.1:{receiver_port}/callback"
            oauth = OAuth2Client(
                client_id,
                client_secret,
                scope="account.read,contacts.read",
                redirect_uri=redirect_uri,
                code_challenge_method="S256",
            )
            verifier = secrets.token_urlsafe(48)
            url, state = oauth.create_authorization_url(
                f"{server}/oauth/authorize", code_verifier=verifier
            )
            assert create_s256_code_challenge(verifier) in url

            page.goto(url)
            assert "Erin's Sync Tool" in page.inner_text("h1")
            assert "Read your contacts" in page.content()
            assert "Read your account information" in page.content()
            page.screenshot(path=str(ARTIFACTS / "consent.png"), full_page=True)
            page.click("button[value=approve]")
            callback = received.get(timeout=30)
            page.wait_for_url(re.compile(rf"^http://127\.0\.0\.1:{receiver_port}/callback\?"))
            assert f"state={state}" in callback
            assert "code=" in callback

            # The app exchanges the code at the spec's URL, as the stock client does it.
            token = oauth.fetch_token(
                f"{server}/v3/oauth.exchangeAuthCode",
                authorization_response=f"http://127.0.0.1:{receiver_port}{callback}",
                code_verifier=verifier,
            )
            assert token["scope"] == "account.read,contacts.read"
            assert re.match(
                r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", token["access_token_expiration_date"]
            )

            api = httpx.Client(base_url=server, timeout=10)
            bearer = {"Authorization": f"Bearer {token['access_token']}"}
            account = api.post("/api/v1/account.get", json={}, headers=bearer)
            assert account.status_code == 200, account.text

            # Refresh exactly as the spec's curl example does it.
            refreshed = api.post(
                "/v3/oauth.refreshToken",
                data={
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "refresh_token": token["refresh_token"],
                },
            )
            assert refreshed.status_code == 200, refreshed.text
            new_bearer = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
            assert api.post("/api/v1/account.get", json={}, headers=new_bearer).status_code == 200

            # The user revokes the app; its tokens are refused from the next request on.
            page.goto(f"{server}/settings/authorized-apps")
            assert "Erin's Sync Tool" in page.content()
            page.screenshot(path=str(ARTIFACTS / "authorized-apps.png"), full_page=True)
            page.click("text=Revoke access")
            page.wait_for_url(f"{server}/settings/authorized-apps?revoked=1")
            assert "No app has access" in page.content()
            for headers in (bearer, new_bearer):
                refused = api.post("/api/v1/account.get", json={}, headers=headers)
                assert refused.status_code == 401
            api.close()
            oauth.close()
        finally:
            browser.close()
