"""Which redirect URIs an app may register, and that nothing else is ever redirected to.

Issue 20: `javascript:` and `data:` URIs were accepted at registration, and a bad scope
then answered 303 to `javascript:alert(document.domain)?error=invalid_scope`; loopback
URIs ignored an invalid port and dropped a fragment.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from sqlalchemy import insert
from starlette.testclient import TestClient

from rolodex.errors import InvalidInput
from rolodex.oauth.credentials import hash_secret
from rolodex.oauth.redirects import check_redirect_uri, redirect_uri_matches
from rolodex.services import Services
from rolodex.store.schema import oauth_apps
from rolodex.timestamps import now_ms
from tests.test_cli import run
from tests.web.browser import Browser, new_browser, new_oauth_app, redirect_params

ALLOWED = [
    "https://app.example.com/callback",
    "https://app.example.com:8443/cb?tenant=7",
    "https://[2001:db8::1]/cb",
    "http://127.0.0.1/callback",
    "http://127.0.0.1:8080/callback",
    "http://[::1]:61000/callback",
    "http://localhost/cb",
    "com.example.app:/oauth2redirect",
    "io.rolodex.sync:/cb?x=1",
]

REFUSED = {
    "javascript:alert(document.domain)": "scheme 'javascript:' is not allowed",
    "JavaScript:alert(1)": "scheme 'javascript:' is not allowed",
    "data:text/html,<script>alert(1)</script>": "scheme 'data:' is not allowed",
    "vbscript:msgbox(1)": "scheme 'vbscript:' is not allowed",
    "file:///etc/passwd": "scheme 'file:' is not allowed",
    "ftp://files.example.com/cb": "scheme 'ftp:' is not allowed",
    "myapp:/callback": "scheme 'myapp:' is not allowed",
    "http://app.example.com/cb": "only on a loopback address",
    "http://127.0.0.1.evil.example/cb": "only on a loopback address",
    "http://127.0.0.1:99999/callback": "not a valid port",
    "http://127.0.0.1:abc/callback": "not a valid port",
    "http://127.0.0.1:0/callback": "not a valid port",
    "https://app.example.com:65536/cb": "not a valid port",
    "http://127.0.0.1:8080/callback#frag": "fragment",
    "https://app.example.com/cb#": "fragment",
    "https://user:pw@app.example.com/cb": "user name or password",
    "http://evil.example@127.0.0.1/cb": "user name or password",
    "https:/app.example.com/cb": "names no host",
    "https:///cb": "names no host",
    "https://bad_host!.example.com/cb": "not a valid host name",
    "https://app.example.com\\@evil.example/cb": "backslashes",
    "https://app.example.com/c b": "spaces",
    "https://app.example.com/cb\x00": "control characters",
    "https://app.example.com/caf\u00e9": "must be ASCII",
    "com.example.app://callback": "one slash",
    "/relative/path": "not an absolute URI",
}


@pytest.mark.parametrize("uri", ALLOWED)
def test_these_redirect_uris_may_be_registered(uri: str) -> None:
    assert check_redirect_uri(uri) == uri


@pytest.mark.parametrize(("uri", "problem"), REFUSED.items())
def test_these_redirect_uris_are_refused_with_a_reason(uri: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_redirect_uri(uri)
    assert refused.value.field == "redirect_uri"
    assert problem in refused.value.message


def test_a_loopback_uri_matches_any_valid_port_and_nothing_invalid() -> None:
    registered = ["http://127.0.0.1/callback"]
    assert redirect_uri_matches("http://127.0.0.1:54321/callback", registered)
    assert redirect_uri_matches("http://127.0.0.1:65535/callback", registered)
    for bad in (
        "http://127.0.0.1:99999/callback",
        "http://127.0.0.1:abc/callback",
        "http://127.0.0.1:5000/callback#frag",
        "http://127.0.0.1:5000/callback#",
    ):
        assert not redirect_uri_matches(bad, registered), bad


def test_a_stored_uri_the_rules_now_refuse_matches_nothing() -> None:
    assert not redirect_uri_matches("javascript:alert(1)", ["javascript:alert(1)"])


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(document.domain)",
        "data:text/html,hi",
        "http://127.0.0.1:99999/callback",
        "http://127.0.0.1:abc/callback",
        "http://127.0.0.1/callback#frag",
    ],
)
def test_the_developer_page_refuses_a_dangerous_redirect_uri(browser: Browser, uri: str) -> None:
    browser.sign_up()
    response = browser.submit(
        "/developer/apps", "/developer/apps", {"name": "Evil", "redirect_uris": uri}
    )
    assert response.status_code == 400
    assert "client-secret" not in response.text
    assert "Evil" not in browser.get("/developer/apps").text.split("<form", 1)[0]


def test_the_cli_refuses_a_dangerous_redirect_uri(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    made = run(
        "accounts", "create", "--email", "dev@example.com", "--password", "secret-pw",
        "--data-dir", data,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    for uri in ("javascript:alert(1)", "data:text/html,x", "http://127.0.0.1:99999/cb"):
        refused = run(
            "apps", "create", "--email", "dev@example.com", "--name", "X",
            "--redirect-uri", uri, "--data-dir", data,
        )  # fmt: skip
        assert refused.returncode == 1, uri
        error = json.loads(refused.stderr)["error"]
        assert error["field"] == "redirect_uri"


def test_the_service_refuses_a_dangerous_redirect_uri(services: Services) -> None:
    owner = services.accounts.create(
        f"apps-{secrets.token_hex(6)}@example.com", "correct horse battery"
    )
    with pytest.raises(InvalidInput) as refused:
        services.apps.create(owner.account_id, "Evil", ["javascript:alert(1)"])
    assert refused.value.field == "redirect_uri"
    assert services.apps.list_for(owner.account_id) == []


def _legacy_app(services: Services, uris: list[str], owner_email: str | None = None) -> str:
    """An app stored before the rules: its URIs written straight into the store."""
    owner = (
        services.accounts.find_by_email(owner_email)
        if owner_email
        else services.accounts.create(
            f"legacy-{secrets.token_hex(6)}@example.com", "correct horse battery"
        )
    )
    client_id = "app_legacy" + secrets.token_hex(6)
    with services.store.write() as conn:
        conn.execute(
            insert(oauth_apps).values(
                client_id=client_id,
                account_id=owner.account_id,
                name="Legacy",
                redirect_uris=json.dumps(uris),
                secret_hash=hash_secret("rdx_cs_legacy"),
                created_at=now_ms(),
                updated_at=now_ms(),
            )
        )
    return client_id


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(document.domain)",
        "data:text/html,hi",
        "http://app.example.com/cb",
        "http://127.0.0.1/callback#frag",
    ],
)
def test_a_stored_dangerous_uri_is_never_redirected_to_even_with_an_error(
    client: TestClient, services: Services, uri: str
) -> None:
    client_id = _legacy_app(services, [uri])
    browser = new_browser(client)
    browser.sign_up()
    for params in (
        # A bad scope used to answer 303 to `javascript:...?error=invalid_scope`.
        {"client_id": client_id, "redirect_uri": uri, "scope": "nonsense"},
        {"client_id": client_id, "scope": "nonsense"},
        {"client_id": client_id, "redirect_uri": uri, "scope": "contacts.read"},
        {"client_id": client_id, "scope": "contacts.read"},
        {"client_id": client_id, "scope": "contacts.read", "response_type": "token"},
    ):
        response = browser.authorize(params)
        assert response.status_code == 400, (params, response.headers.get("location"))
        assert "location" not in response.headers
        assert "cannot be used" in response.text
    # Logged out, the same: no redirect, and no login detour first.
    anonymous = new_browser(client).authorize({"client_id": client_id, "scope": "nonsense"})
    assert anonymous.status_code == 400
    assert "location" not in anonymous.headers


def test_the_consent_post_never_redirects_to_a_stored_dangerous_uri(
    client: TestClient, services: Services
) -> None:
    from tests.web.browser import csrf_of

    client_id = _legacy_app(services, ["javascript:alert(1)"])
    browser = new_browser(client)
    browser.sign_up()
    token = csrf_of(browser.get("/developer/apps").text)
    for decision in ("approve", "deny"):
        response = browser.http.post(
            "/oauth/authorize",
            data={
                "csrf_token": token,
                "client_id": client_id,
                "scope": "contacts.read",
                "decision": decision,
            },
            follow_redirects=False,
        )
        assert response.status_code == 400
        assert "location" not in response.headers


def test_a_safe_uri_of_a_legacy_app_still_works(client: TestClient, services: Services) -> None:
    client_id = _legacy_app(services, ["javascript:alert(1)", "https://ok.example.com/cb"])
    browser = new_browser(client)
    browser.sign_up()
    params = {
        "client_id": client_id,
        "redirect_uri": "https://ok.example.com/cb",
        "scope": "nonsense",
        "state": "s1",
    }
    answer = redirect_params(browser.authorize(params))
    assert answer["error"] == "invalid_scope"
    assert browser.authorize(params).headers["location"].startswith("https://ok.example.com/cb?")


@pytest.mark.parametrize(
    "requested",
    [
        "http://127.0.0.1:99999/callback",
        "http://127.0.0.1:abc/callback",
        "http://127.0.0.1:5000/callback#frag",
        "http://127.0.0.1:5000/callback#",
    ],
)
def test_authorize_refuses_a_loopback_uri_with_a_bad_port_or_a_fragment(
    client: TestClient, services: Services, requested: str
) -> None:
    app = new_oauth_app(client, services, redirect_uri="http://127.0.0.1/callback")
    for scope in ("contacts.read", "nonsense"):
        response = app.browser.authorize(app.params(scope=scope, redirect_uri=requested))
        assert response.status_code == 400, requested
        assert "location" not in response.headers
    assert (
        app.browser.authorize(app.params(redirect_uri="http://127.0.0.1:5000/callback")).status_code
        == 200
    )


def test_a_private_use_scheme_app_gets_its_code(client: TestClient, services: Services) -> None:
    app = new_oauth_app(client, services, redirect_uri="com.example.app:/oauth2redirect")
    response = app.browser.approve(app.params())
    assert response.headers["location"].startswith("com.example.app:/oauth2redirect?code=")


def test_the_developer_page_flags_a_stored_uri_the_rules_refuse(
    client: TestClient, services: Services
) -> None:
    browser = new_browser(client)
    browser.sign_up()
    _legacy_app(services, ["javascript:alert(1)", "https://ok.example.com/cb"], browser.email)
    listing = browser.get("/developer/apps").text
    _, _, rest = listing.partition("javascript:alert(1)</code>")
    assert rest.lstrip().startswith('<strong class="error">(not allowed any more')
    assert "ok.example.com/cb</code> <strong" not in listing
