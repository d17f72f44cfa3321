"""Fixtures for delivery tests: a store of their own, a real HTTP receiver on loopback.

Delivery tests build their own Services (worker thread off, loopback allowed, retries
without delay) on a store no other test uses, so that no other worker (such as the
one in the session's app) can touch their batches. The receiver is a real threaded
HTTP server; the worker is driven with `run_once()`.
"""

from __future__ import annotations

import secrets
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson
import psycopg
import pytest
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.settings import Settings, WebhookSettings
from rolodex.webhooks.delivery import DeliveryWorker
from tests.conftest import POSTGRES_URL, _postgres_schema_url, postgres_unreachable


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class Receiver:
    """A webhook receiver: answers each POST with the next planned status (then 200)."""

    port: int = 0
    plan: list[int | tuple[int, dict[str, str]]] = field(default_factory=list)
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)
    in_flight: Counter[str] = field(default_factory=Counter)
    overlaps: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                batch_id = str(orjson.loads(body).get("batchId")) if body else ""
                with receiver.lock:
                    receiver.in_flight[batch_id] += 1
                    if receiver.in_flight[batch_id] > 1:
                        receiver.overlaps.append(batch_id)
                    planned = receiver.plan.pop(0) if receiver.plan else 200
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                status, extra = planned if isinstance(planned, tuple) else (planned, {})
                with receiver.lock:
                    receiver.in_flight[batch_id] -= 1
                    receiver.requests.append(
                        Received(
                            self.path, {k.lower(): v for k, v in self.headers.items()}, body, status
                        )
                    )
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def delivered(self) -> list[Received]:
        """The requests answered with a 2xx."""
        with self.lock:
            return [r for r in self.requests if 200 <= r.status < 300]

    def events(self) -> list[dict[str, Any]]:
        return [e for r in self.delivered() for e in r.json["events"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def webhook_schema() -> Iterator[str]:
    """A PostgreSQL schema for delivery tests alone."""
    schema = "rolodex_wh_" + secrets.token_hex(4)
    try:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as exc:
        postgres_unreachable(exc)
    yield schema
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


TEST_WEBHOOK_SETTINGS: dict[str, Any] = {
    "worker": False,
    "allow_private": True,
    # Retries wait a minute: tests move the worker's clock (`run_once(now=...)`).
    "retry_base_seconds": 60.0,
    "connect_timeout_seconds": 5.0,
    "timeout_seconds": 10.0,
}


@dataclass
class Rig:
    """Settings for one store, and a way to (re)build Services and API users on it."""

    settings: Settings
    built: list[Services] = field(default_factory=list)

    def services(self, **webhook: Any) -> Services:
        settings = self.settings.model_copy(
            update={
                "webhooks": WebhookSettings(
                    **{**TEST_WEBHOOK_SETTINGS, **self.settings.webhooks.model_dump(), **webhook}
                )
            }
        )
        built = Services.build(settings)
        self.built.append(built)
        return built

    @staticmethod
    def worker(services: Services, **webhook: Any) -> DeliveryWorker:
        config = services.settings.webhooks.model_copy(update=webhook)
        return DeliveryWorker(services.store, config)


@pytest.fixture(params=["sqlite", "postgres"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    base = WebhookSettings(**TEST_WEBHOOK_SETTINGS)
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path, webhooks=base)
    else:
        schema = request.getfixturevalue("webhook_schema")
        settings = Settings(
            data_dir=tmp_path, database_url=_postgres_schema_url(schema), webhooks=base
        )
    made = Rig(settings)
    yield made
    for services in made.built:
        services.close()


@dataclass
class Api:
    """One account calling the Contacts+ API of an app over the given services."""

    client: TestClient
    token: str
    account_id: str

    def call(self, method: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            f"/api/v1/{method}",
            json=body or {},
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def ok(self, method: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.call(method, body)
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def api_for() -> Iterator[Callable[..., Api]]:
    """Factory: an API user (new account, or the same one again) over some services."""
    clients: list[TestClient] = []

    def make(services: Services, account: tuple[str, str] | None = None) -> Api:
        client = TestClient(create_app(services=services), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        if account is None:
            email = f"wh-{secrets.token_hex(6)}@example.com"
            created = services.accounts.create(email, "correct horse battery", "Hook User")
            issued = services.credentials.issue(created.account_id, ALL_SCOPES)
            return Api(client, issued.secret, created.account_id)
        return Api(client, account[1], account[0])

    yield make
    for client in clients:
        client.__exit__(None, None, None)
