"""GET/POST /oauth/authorize: who may be redirected where, and what the user is asked."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.testclient import TestClient

from rolodex.services import Services
from tests.web.browser import (
    PASSWORD,
    Browser,
    OAuthApp,
    csrf_of,
    new_browser,
    new_oauth_app,
    pkce_pair,
    redirect_params,
)


def test_an_unknown_client_gets_an_error_page_and_no_redirect(browser: Browser) -> None:
    browser.sign_up()
    response = browser.authorize(
        {
            "client_id": "app_nope",
            "redirect_uri": "https://evil.example.com/",
            "scope": "contacts.read",
        }
    )
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "not registered" in response.text


def test_a_missing_client_id_gets_an_error_page(browser: Browser) -> None:
    response = browser.authorize(
        {"redirect_uri": "https://x.example.com/", "scope": "contacts.read"}
    )
    assert response.status_code == 400
    assert "location" not in response.headers


def test_an_unknown_client_gets_the_error_page_even_when_logged_out(browser: Browser) -> None:
    response = browser.authorize({"client_id": "app_nope", "scope": "contacts.read"})
    assert response.status_code == 400


def test_an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(
    oauth_app: OAuthApp,
) -> None:
    for uri in (
        "https://evil.example.com/callback",
        oauth_app.redirect_uri + "/",
        oauth_app.redirect_uri + "?x=1",
        oauth_app.redirect_uri.upper(),
        "https://app.example.com:8443/callback",
    ):
        response = oauth_app.browser.authorize(oauth_app.params(redirect_uri=uri))
        assert response.status_code == 400, uri
        assert "location" not in response.headers
        assert "did not register" in response.text


def test_a_loopback_redirect_uri_matches_with_any_port(
    client: TestClient, services: Services
) -> None:
    app = new_oauth_app(client, services, redirect_uri="http://127.0.0.1/callback")
    page = app.browser.authorize(app.params(redirect_uri="http://127.0.0.1:54321/callback"))
    assert page.status_code == 200
    answer = redirect_params(
        app.browser.approve(app.params(redirect_uri="http://127.0.0.1:54321/callback"))
    )
    assert "code" in answer
    # The path still has to match, and only loopback hosts get the port exception.
    assert (
        app.browser.authorize(app.params(redirect_uri="http://127.0.0.1:5/other")).status_code
        == 400
    )
    assert (
        app.browser.authorize(app.params(redirect_uri="http://127.0.0.2:5/callback")).status_code
        == 400
    )


def test_a_non_loopback_uri_needs_its_exact_port(client: TestClient, services: Services) -> None:
    # (http:// is for loopback hosts only since issue 20; the port rule is the same.)
    app = new_oauth_app(client, services, redirect_uri="https://app.example.com:8443/cb")
    assert app.browser.authorize(app.params()).status_code == 200
    assert (
        app.browser.authorize(
            app.params(redirect_uri="https://app.example.com:9443/cb")
        ).status_code
        == 400
    )


def test_an_unknown_scope_redirects_with_invalid_scope(oauth_app: OAuthApp) -> None:
    params = oauth_app.params(scope="contacts.read,contacts.everything")
    response = oauth_app.browser.authorize(params)
    assert response.status_code == 303
    assert response.headers["location"].startswith(oauth_app.redirect_uri + "?")
    answer = redirect_params(response)
    assert answer["error"] == "invalid_scope"
    assert answer["state"] == params["state"]
    assert "contacts.everything" in answer["error_description"]


def test_a_missing_scope_redirects_with_invalid_scope(oauth_app: OAuthApp) -> None:
    params = oauth_app.params()
    del params["scope"]
    assert redirect_params(oauth_app.browser.authorize(params))["error"] == "invalid_scope"


def test_space_separated_scopes_are_accepted(oauth_app: OAuthApp) -> None:
    page = oauth_app.browser.authorize(oauth_app.params(scope="account.read contacts.read"))
    assert page.status_code == 200
    assert "Read your account information" in page.text


def test_a_response_type_other_than_code_is_refused(oauth_app: OAuthApp) -> None:
    answer = redirect_params(oauth_app.browser.authorize(oauth_app.params(response_type="token")))
    assert answer["error"] == "unsupported_response_type"


def test_response_type_code_is_accepted(oauth_app: OAuthApp) -> None:
    assert oauth_app.browser.authorize(oauth_app.params(response_type="code")).status_code == 200


def test_the_consent_page_names_the_app_and_says_what_each_scope_allows(
    oauth_app: OAuthApp,
) -> None:
    page = oauth_app.browser.authorize(oauth_app.params(scope="contacts.read,tags.write"))
    assert page.status_code == 200
    assert "Test App" in page.text
    assert "Read your contacts" in page.text
    assert "Create, update and delete your tags" in page.text
    assert "Read your account information" not in page.text
    assert 'value="approve"' in page.text
    assert 'value="deny"' in page.text


def test_approve_redirects_with_code_and_state(oauth_app: OAuthApp) -> None:
    params = oauth_app.params()
    response = oauth_app.browser.approve(params)
    assert response.status_code == 303
    assert response.headers["location"].startswith(oauth_app.redirect_uri + "?")
    answer = redirect_params(response)
    assert answer["code"].startswith("rdx_code_")
    assert answer["state"] == params["state"]


def test_approve_without_state_sends_no_state(oauth_app: OAuthApp) -> None:
    params = oauth_app.params()
    del params["state"]
    answer = redirect_params(oauth_app.browser.approve(params))
    assert "code" in answer
    assert "state" not in answer


def test_deny_redirects_with_access_denied_and_state(oauth_app: OAuthApp) -> None:
    params = oauth_app.params()
    answer = redirect_params(oauth_app.browser.approve(params, decision="deny"))
    assert answer["error"] == "access_denied"
    assert answer["state"] == params["state"]
    assert "code" not in answer


def test_a_redirect_uri_with_a_query_keeps_it(client: TestClient, services: Services) -> None:
    app = new_oauth_app(client, services, redirect_uri="https://app.example.com/cb?tenant=7")
    answer = redirect_params(app.browser.approve(app.params()))
    assert answer["tenant"] == "7"
    assert "code" in answer


def test_a_visitor_who_is_not_logged_in_logs_in_and_comes_back(
    client: TestClient, services: Services
) -> None:
    app = new_oauth_app(client, services)
    visitor = new_browser(client)
    params = app.params()
    response = visitor.authorize(params)
    assert response.status_code == 303
    login_url = response.headers["location"]
    assert login_url.startswith("/login?next=")
    login_page = visitor.http.get(login_url)
    logged_in = visitor.http.post(
        "/login",
        data={
            "csrf_token": csrf_of(login_page.text),
            "email": app.browser.email,
            "password": PASSWORD,
            "next": "/oauth/authorize?" + urlencode(params),
        },
        follow_redirects=False,
    )
    assert logged_in.status_code == 303
    assert logged_in.headers["location"] == "/oauth/authorize?" + urlencode(params)
    consent = visitor.get(logged_in.headers["location"])
    assert consent.status_code == 200
    assert "Test App" in consent.text


def test_a_new_visitor_can_sign_up_and_come_back(client: TestClient, services: Services) -> None:
    app = new_oauth_app(client, services)
    visitor = new_browser(client)
    params = app.params()
    next_url = "/oauth/authorize?" + urlencode(params)
    page = visitor.http.get("/signup?next=" + next_url.replace("&", "%26").replace("?", "%3F"))
    response = visitor.http.post(
        "/signup",
        data={
            "csrf_token": csrf_of(page.text),
            "email": "new-visitor-" + params["state"] + "@example.com",
            "password": PASSWORD,
            "next": next_url,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == next_url
    assert visitor.get(next_url).status_code == 200


def test_the_consent_post_needs_the_csrf_token(oauth_app: OAuthApp) -> None:
    response = oauth_app.browser.http.post(
        "/oauth/authorize",
        data={**oauth_app.params(), "decision": "approve"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "location" not in response.headers


def test_the_consent_post_checks_the_request_again(oauth_app: OAuthApp) -> None:
    page = oauth_app.browser.authorize(oauth_app.params())
    response = oauth_app.browser.http.post(
        "/oauth/authorize",
        data={
            **oauth_app.params(redirect_uri="https://evil.example.com/"),
            "csrf_token": csrf_of(page.text),
            "decision": "approve",
        },
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "location" not in response.headers


def test_pkce_plain_is_refused(oauth_app: OAuthApp) -> None:
    _, challenge = pkce_pair()
    params = oauth_app.params(code_challenge=challenge, code_challenge_method="plain")
    assert redirect_params(oauth_app.browser.authorize(params))["error"] == "invalid_request"


def test_pkce_without_a_method_is_refused(oauth_app: OAuthApp) -> None:
    _, challenge = pkce_pair()
    params = oauth_app.params(code_challenge=challenge)
    assert redirect_params(oauth_app.browser.authorize(params))["error"] == "invalid_request"


def test_a_malformed_pkce_challenge_is_refused(oauth_app: OAuthApp) -> None:
    params = oauth_app.params(code_challenge="short", code_challenge_method="S256")
    assert redirect_params(oauth_app.browser.authorize(params))["error"] == "invalid_request"


def test_an_app_with_several_uris_must_name_one(client: TestClient, services: Services) -> None:
    browser = new_browser(client)
    browser.sign_up()
    client_id, _ = browser.register_app(["https://a.example.com/cb", "https://b.example.com/cb"])
    response = browser.authorize({"client_id": client_id, "scope": "contacts.read"})
    assert response.status_code == 400
    second = browser.authorize(
        {
            "client_id": client_id,
            "scope": "contacts.read",
            "redirect_uri": "https://b.example.com/cb",
        }
    )
    assert second.status_code == 200


def test_an_answer_after_the_session_ended_asks_to_log_in_and_returns_to_consent(
    oauth_app: OAuthApp,
) -> None:
    params = oauth_app.params()
    page = oauth_app.browser.authorize(params)
    token = csrf_of(page.text)
    oauth_app.browser.submit("/", "/logout", {})
    # The logged-out session has a new CSRF token; use it, as a reloaded form would.
    fresh = csrf_of(oauth_app.browser.get("/login").text)
    assert fresh != token
    response = oauth_app.browser.http.post(
        "/oauth/authorize",
        data={**params, "csrf_token": fresh, "decision": "approve"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + quote(
        "/oauth/authorize?" + urlencode(params), safe=""
    )


def test_loopback_matching_does_not_ignore_userinfo(client: TestClient, services: Services) -> None:
    app = new_oauth_app(client, services, redirect_uri="http://127.0.0.1/callback")
    uri = "http://someone@127.0.0.1:5000/callback"
    assert app.browser.authorize(app.params(redirect_uri=uri)).status_code == 400


def test_ipv6_loopback_matches_with_any_port(client: TestClient, services: Services) -> None:
    app = new_oauth_app(client, services, redirect_uri="http://[::1]/callback")
    assert (
        app.browser.authorize(app.params(redirect_uri="http://[::1]:61000/callback")).status_code
        == 200
    )
