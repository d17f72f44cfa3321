"""Apps with rate limits on (the rest of the suite runs with them off, tests/conftest.py).

Each `limited(...)` app shares the session's store but has its own settings and its own
limiter, so counts never leak between tests. Every limit not named is far out of reach,
so a test trips only the rule it is about. Redis tests use a key prefix of their own.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.oauth.credentials import API_KEY
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.ratelimit.tiers import TRIAL, set_tier
from rolodex.services import Services
from rolodex.settings import RateLimitSettings

REDIS_URL = "redis://127.0.0.1:6379/0"
OUT_OF_REACH = 100_000
_LIMITS = (
    "per_address",
    "per_credential",
    "rest_key",
    "rest_trial_key",
    "login",
    "token",
    "authorize",
)

Limited = Callable[..., TestClient]


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({exc}); Redis backend tests skipped")
    return REDIS_URL


@pytest.fixture
def redis_prefix() -> str:
    return f"rolodex-test:{secrets.token_hex(6)}:"


def random_address() -> str:
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


def limited_services(services: Services, *, trust_proxy: bool = False, **config: Any) -> Services:
    limits = {name: OUT_OF_REACH for name in _LIMITS}
    rate_limits = RateLimitSettings(**{"enabled": True, **limits, **config})
    settings = services.settings.model_copy(
        update={
            "rate_limits": rate_limits,
            "trust_proxy_headers": trust_proxy,
            "redis_url": REDIS_URL,
            "webhooks": services.settings.webhooks.model_copy(update={"worker": False}),
        }
    )
    return dataclasses.replace(services, settings=settings)


@pytest.fixture
def limited(services: Services) -> Iterator[Limited]:
    """Factory: a client (own address unless given) of a new app with these limits."""
    opened: list[TestClient] = []

    def make(
        *, address: str | None = None, app_services: Services | None = None, **config: Any
    ) -> TestClient:
        built = app_services or limited_services(services, **config)
        client = TestClient(
            create_app(services=built),
            raise_server_exceptions=False,
            client=(address or random_address(), 50000),
        )
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@dataclasses.dataclass
class Account:
    account_id: str
    token: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def new_account(services: Services) -> Callable[[], Account]:
    def make() -> Account:
        email = f"rl-{secrets.token_hex(6)}@example.com"
        account = services.accounts.create(email, "correct horse battery", "Rate Limited")
        token = services.credentials.issue(account.account_id, ALL_SCOPES).secret
        return Account(account.account_id, token)

    return make


@pytest.fixture
def api_key(services: Services, new_account: Callable[[], Account]) -> Callable[..., str]:
    """Factory: a REST API key of a fresh account, trial when asked."""

    def make(trial: bool = False) -> str:
        account = new_account()
        issued = services.credentials.issue(
            account.account_id, frozenset({"contacts.read", "contacts.write"}), kind=API_KEY
        )
        if trial:
            set_tier(services.store, issued.credential_id, TRIAL)
        return issued.secret

    return make
