"""Shared fixtures: a real store (SQLite and PostgreSQL), the app over real HTTP, accounts.

Every test that touches the store runs on both. PostgreSQL is the server at
`ROLODEX_TEST_POSTGRES_URL` (default 127.0.0.1:5432, database `test`); each test session
works in a schema of its own and drops it at the end. Where PostgreSQL does not answer,
those tests are skipped with a message saying so.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Protocol

import psycopg
import pytest
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.settings import Settings

# Rate limits off for the whole suite (and the servers it starts): many tests call from
# one address. tests/ratelimit/ turns them on with settings of its own.
os.environ.setdefault("ROLODEX_RATE_LIMIT_ENABLED", "false")
# No JSON access line per request from the servers tests start: some read their stderr
# only when they fail (a pipe nobody drains would block them). tests/observability/ tests it.
os.environ.setdefault("ROLODEX_ACCESS_LOG", "false")
# No delivery thread polling the shared test store; tests/webhooks/ drives its own workers.
os.environ.setdefault("ROLODEX_WEBHOOK_WORKER", "false")

POSTGRES_URL = os.environ.get(
    "ROLODEX_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    # tests/carddav_clients/: the CardDAV server the real clients run against. Radicale
    # proves the harness; Rolodex is what it is for.
    parser.addoption(
        "--carddav-server",
        choices=("rolodex", "radicale"),
        default=os.environ.get("ROLODEX_TEST_CARDDAV_SERVER", "rolodex"),
        help="CardDAV server of tests/carddav_clients (env ROLODEX_TEST_CARDDAV_SERVER)",
    )


def _postgres_schema_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


def postgres_unreachable(exc: Exception) -> NoReturn:
    """Skip the PostgreSQL tests when there is no server, except under CI."""
    if os.environ.get("CI") == "true":
        # CI runs both stores: a missing PostgreSQL must fail the run, not halve it.
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} ({exc})", pytrace=False)
    pytest.skip(
        f"PostgreSQL is not reachable at {POSTGRES_URL} ({exc}); postgres-store tests skipped"
    )


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    schema = "rolodex_test_" + secrets.token_hex(4)
    try:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as exc:
        postgres_unreachable(exc)
    yield schema
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def make_settings(kind: str, tmp: Path, request: pytest.FixtureRequest) -> Settings:
    if kind == "sqlite":
        return Settings(data_dir=tmp)
    schema = request.getfixturevalue("postgres_schema")
    return Settings(data_dir=tmp, database_url=_postgres_schema_url(schema))


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def services(
    store_kind: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Services]:
    settings = make_settings(store_kind, tmp_path_factory.mktemp(store_kind), request)
    built = Services.build(settings)
    yield built
    built.close()


@pytest.fixture(scope="session")
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), raise_server_exceptions=False) as test_client:
        yield test_client


@dataclass
class ApiUser:
    """An account with a token, calling the Contacts+ API the way a client would."""

    client: TestClient
    account_id: str
    email: str
    token: str

    def call(self, method: str, body: Any = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.post(
            f"/api/v1/{method}", json=body if body is not None else {}, headers=headers, **kwargs
        )

    def ok(self, method: str, body: Any = None) -> dict[str, Any]:
        response = self.call(method, body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def create(self, contact_data: dict[str, Any]) -> dict[str, Any]:
        return dict(
            self.ok("contacts.create", {"contact": {"contactData": contact_data}})["contact"]
        )


class MakeUser(Protocol):
    """The `make_user` fixture: a fresh account with a token of the given scopes."""

    def __call__(self, scopes: frozenset[str] = ..., name: str = ...) -> ApiUser: ...


@pytest.fixture
def make_user(client: TestClient, services: Services) -> MakeUser:
    """Factory: a fresh account with a token of the given scopes (all by default)."""

    def make(scopes: frozenset[str] = ALL_SCOPES, name: str = "Test User") -> ApiUser:
        email = f"user-{secrets.token_hex(6)}@example.com"
        account = services.accounts.create(email, "correct horse battery", name)
        issued = services.credentials.issue(account.account_id, scopes)
        return ApiUser(client, account.account_id, email, issued.secret)

    return make


@pytest.fixture
def user(make_user: MakeUser) -> ApiUser:
    return make_user()
