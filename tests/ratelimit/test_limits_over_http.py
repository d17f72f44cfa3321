"""Rate limits as clients meet them: 429 with Retry-After, in each API's own error shape."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import redis
from starlette.testclient import TestClient

from rolodex.services import Services
from tests.ratelimit.conftest import Account, Limited, limited_services


def assert_refused(response: httpx2.Response) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["retry-after"]) >= 1


def exhaust(send: Callable[[], httpx2.Response], allowed: int) -> httpx2.Response:
    """Send `allowed` requests (none refused), then one more, and return that one."""
    for _ in range(allowed):
        assert send().status_code != 429
    return send()


def test_contactsplus_answers_429_in_its_error_shape(
    limited: Limited, new_account: Callable[[], Account]
) -> None:
    client, account = limited(per_credential=2), new_account()
    refused = exhaust(
        lambda: client.post("/api/v1/contacts.scroll", json={}, headers=account.bearer), 2
    )
    assert_refused(refused)
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert "retry after" in error["message"]


def test_rest_answers_429_with_its_message(limited: Limited, api_key: Callable[..., str]) -> None:
    client, key = limited(rest_key=2), api_key()
    refused = exhaust(lambda: client.get("/v1/contacts", headers={"x-api-key": key}), 2)
    assert_refused(refused)
    assert refused.json() == {"message": "Too Many Requests"}


def test_personal_answers_429_in_its_errors_list(
    limited: Limited, new_account: Callable[[], Account]
) -> None:
    client, account = limited(per_credential=2), new_account()
    refused = exhaust(lambda: client.get("/api/user/contacts", headers=account.bearer), 2)
    assert_refused(refused)
    [error] = refused.json()["errors"]
    assert error["code"] == "RATE_LIMITED"
    assert error["detail"] is None
    assert error["message"]


def test_token_endpoints_are_limited_harder_with_an_oauth_error(limited: Limited) -> None:
    client = limited(token=2)
    form = {"client_id": "nobody", "client_secret": "wrong", "refresh_token": "nothing"}
    assert client.post("/v3/oauth.refreshToken", data=form).status_code == 401
    assert client.post("/api/v1/oauth.exchangeAuthCode", data=form).status_code != 429
    refused = client.post("/v3/oauth.refreshToken", data=form)
    assert_refused(refused)
    assert refused.json()["error"] == "slow_down"
    assert refused.headers["cache-control"] == "no-store"
    # Other calls from the same address are not under the token rule.
    assert client.get("/login").status_code == 200


def test_login_posts_are_limited_harder_with_an_html_page(limited: Limited) -> None:
    client = limited(login=2)
    form = {"email": "nobody@example.com", "password": "wrong password", "csrf_token": "x"}
    for _ in range(2):
        assert client.post("/login", data=form).status_code != 429
    refused = client.post("/login", data=form)
    assert_refused(refused)
    assert refused.headers["content-type"].startswith("text/html")
    assert "Too many requests" in refused.text
    # Reading the page is not trying a password.
    assert client.get("/login").status_code == 200


def test_the_api_docs_pages_answer_429_as_a_page(limited: Limited) -> None:
    client = limited(per_address=1)
    assert client.get("/docs").status_code == 200
    refused = client.get("/docs/rest")
    assert_refused(refused)
    assert refused.headers["content-type"].startswith("text/html")


def test_authorize_is_limited_harder(limited: Limited) -> None:
    client = limited(authorize=2)
    refused = exhaust(lambda: client.get("/oauth/authorize?client_id=x"), 2)
    assert_refused(refused)
    assert refused.headers["content-type"].startswith("text/html")


def test_each_client_address_has_its_own_count(limited: Limited, services: Services) -> None:
    app_services = limited_services(services, per_address=3)
    first = limited(app_services=app_services, address="192.0.2.1")
    second = limited(app_services=app_services, address="192.0.2.2")
    assert_refused(exhaust(lambda: first.get("/login"), 3))
    assert first.get("/").status_code == 429  # every path counts against the address
    assert second.get("/login").status_code == 200


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(limited: Limited) -> None:
    trusting = limited(per_address=1, trust_proxy=True)
    assert trusting.get("/login", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert trusting.get("/login", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200
    assert_refused(trusting.get("/login", headers={"X-Forwarded-For": "198.51.100.1"}))

    # Not trusted: a client cannot dodge its limit by making up addresses.
    wary = limited(per_address=1)
    assert wary.get("/login", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert_refused(wary.get("/login", headers={"X-Forwarded-For": "198.51.100.2"}))


def test_each_credential_has_its_own_count(
    limited: Limited, new_account: Callable[[], Account]
) -> None:
    client = limited(per_credential=2)
    busy, quiet = new_account(), new_account()
    assert_refused(
        exhaust(lambda: client.post("/api/v1/account.get", json={}, headers=busy.bearer), 2)
    )
    assert client.post("/api/v1/account.get", json={}, headers=quiet.bearer).status_code == 200


def test_a_trial_api_key_gets_the_lower_rest_limit(
    limited: Limited, api_key: Callable[..., str]
) -> None:
    # per_credential is the other APIs' rule: the REST API has its own two.
    client = limited(rest_key=5, rest_trial_key=2, per_credential=1)
    trial, normal = api_key(trial=True), api_key()
    assert_refused(exhaust(lambda: client.get("/v1/contacts", headers={"x-api-key": trial}), 2))
    assert_refused(exhaust(lambda: client.get("/v1/contacts", headers={"x-api-key": normal}), 5))


def test_health_checks_and_static_files_are_never_limited(limited: Limited) -> None:
    client = limited(per_address=1)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        assert client.get("/static/rolodex.css").status_code == 200


def test_limits_can_be_turned_off(limited: Limited) -> None:
    client = limited(per_address=1, enabled=False)
    assert all(client.get("/login").status_code == 200 for _ in range(3))


def test_with_redis_every_process_shares_the_counts(
    limited: Limited,
    services: Services,
    new_account: Callable[[], Account],
    redis_url: str,
    redis_prefix: str,
) -> None:
    shared = limited_services(
        services, backend="redis", redis_prefix=redis_prefix, per_credential=3
    )
    # Two apps with their own limiters stand for two server processes.
    one, two = limited(app_services=shared), limited(app_services=shared)
    account = new_account()

    def call(client: TestClient) -> httpx2.Response:
        return client.post("/api/v1/account.get", json={}, headers=account.bearer)

    assert [call(one).status_code, call(two).status_code, call(one).status_code] == [200] * 3
    assert_refused(call(two))
    # The counters are named by a hash of the token, never the token itself.
    stored = redis.Redis.from_url(redis_url).keys(redis_prefix + "*")
    keys = [k.decode() if isinstance(k, bytes) else k for k in stored]
    assert keys
    assert not any(account.token in k for k in keys)
