"""Request ids on every response, one JSON access line per request, and no secret in any line.

The log tests drive real requests carrying known secrets (bearer tokens, API keys,
passwords, cookies, OAuth codes and client secrets in query strings and forms) through
the app with Rolodex's own JSON log handler, and look for each secret in what was written.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.oauth.credentials import API_KEY
from rolodex.observability.log_format import JsonLogHandler, configure_logging
from rolodex.services import Services

PASSWORD = "correct horse battery"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Rolodex's logs as the server writes them, into a buffer; restored afterwards."""
    logger = logging.getLogger("rolodex")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    buffer = io.StringIO()
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    configure_logging(buffer)
    yield buffer
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    for handler in saved[0]:
        logger.addHandler(handler)
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


def parsed(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def access_lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [line for line in parsed(buffer) if line["logger"] == "rolodex.access"]


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    ids = set()
    for path in ("/healthz", "/login", "/v1/contacts", "/api/v1/nothing.here", "/no/such/page"):
        response = client.get(path)
        request_id = response.headers["x-request-id"]
        assert len(request_id) == 32
        ids.add(request_id)
    assert len(ids) == 5


def test_a_sane_incoming_request_id_is_kept_and_a_forged_one_replaced(client: TestClient) -> None:
    kept = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.42"})
    assert kept.headers["x-request-id"] == "lb-7f3a.42"
    for bad in ("has spaces in it", "x" * 200, 'quote"and\\back'):
        replaced = client.get("/healthz", headers={"X-Request-Id": bad})
        assert replaced.headers["x-request-id"] != bad
        assert len(replaced.headers["x-request-id"]) == 32


def test_each_request_writes_one_json_access_line_with_its_id(
    client: TestClient, log_lines: io.StringIO
) -> None:
    started = time.perf_counter()
    response = client.get("/login?next=%2Fsettings", headers={"User-Agent": "probe/1.0"})
    took_ms = (time.perf_counter() - started) * 1000
    [line] = access_lines(log_lines)
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["event"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/login"
    assert line["status"] == 200
    assert line["query"] == "next=%2Fsettings"
    assert line["client"] == "testclient"
    assert line["user_agent"] == "probe/1.0"
    # Milliseconds, within the request: not seconds, nanoseconds or a clock reading.
    assert 0 < line["duration_ms"] <= took_ms
    assert line["level"] == "info"
    assert line["ts"].endswith("Z")


def test_lines_logged_while_serving_carry_the_request_id(log_lines: io.StringIO) -> None:
    from rolodex.observability.log_format import REQUEST_ID

    token = REQUEST_ID.set("req-123")
    try:
        logging.getLogger("rolodex.something").warning("inside a request")
    finally:
        REQUEST_ID.reset(token)
    [line] = parsed(log_lines)
    assert line["request_id"] == "req-123"
    assert line["event"] == "inside a request"


def test_no_log_line_holds_a_secret(
    client: TestClient, services: Services, log_lines: io.StringIO
) -> None:
    email = f"logs-{secrets.token_hex(6)}@example.com"
    account = services.accounts.create(email, PASSWORD, "Log Watcher")
    token = services.credentials.issue(account.account_id, frozenset({"contacts.read"})).secret
    key = services.credentials.issue(
        account.account_id, frozenset({"contacts.read"}), kind=API_KEY
    ).secret
    cookie = "rolodex_session=" + secrets.token_urlsafe(24)
    code = "rdx_code_" + secrets.token_urlsafe(16)
    client_secret = "rdx_cs_" + secrets.token_urlsafe(16)
    wrong_password = "wrong-" + secrets.token_urlsafe(12)
    raw_secret = secrets.token_urlsafe(20)  # no prefix: only its parameter name gives it away

    bearer = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/account.get", json={}, headers=bearer)
    client.get("/api/user/contacts", headers=bearer)
    client.get("/v1/contacts", headers={"x-api-key": key, "Cookie": cookie})
    client.get(f"/v1/contacts?api_key={raw_secret}&access_token={token}")
    client.get(f"/oauth/authorize?client_id=x&code={code}&password={raw_secret}")
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": "x"})
    client.post("/login", data={"email": email, "password": wrong_password, "csrf_token": "x"})
    client.post(
        "/v3/oauth.exchangeAuthCode",
        data={"client_id": "x", "client_secret": client_secret, "code": code},
    )
    client.post("/v3/oauth.verifyAccessToken", data={"access_token": token})
    # Whatever some code logs by mistake is scrubbed too.
    logging.getLogger("rolodex.careless").warning("calling with Bearer %s and key %s", token, key)
    logging.getLogger("rolodex.careless").error("form was password=%s", PASSWORD)

    written = log_lines.getvalue()
    assert len(access_lines(log_lines)) == 9
    for secret in (token, key, cookie, code, client_secret, PASSWORD, wrong_password, raw_secret):
        assert secret not in written
    # The secret's position is still visible, so the line stays useful.
    assert "[redacted]" in written


def test_uvicorn_handlers_get_the_scrubbing_filter(log_lines: io.StringIO) -> None:
    access = logging.getLogger("uvicorn.access")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    access.addHandler(handler)
    try:
        configure_logging(log_lines)
        # uvicorn's own access line: (client, method, full path, http version, status).
        record = access.makeRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("1.2.3.4:5", "GET", "/oauth/authorize?code=rdx_code_SECRETVALUE1", "1.1", 200),
            None,
        )
        handler.handle(record)
    finally:
        access.removeHandler(handler)
    assert "SECRETVALUE1" not in buffer.getvalue()
    assert "/oauth/authorize?code=" in buffer.getvalue()


def test_the_handler_writes_to_stderr_of_the_moment(capsys: pytest.CaptureFixture[str]) -> None:
    handler = JsonLogHandler()
    record = logging.LogRecord("rolodex", logging.WARNING, __file__, 1, "hello %s", ("x",), None)
    handler.handle(record)
    assert json.loads(capsys.readouterr().err)["event"] == "hello x"


def test_a_crash_still_answers_with_its_request_id_and_logs_it(
    services: Services, log_lines: io.StringIO
) -> None:
    from starlette.requests import Request
    from starlette.routing import Route

    from rolodex.app import create_app

    async def broken(request: Request) -> None:
        raise RuntimeError("a bug")

    app = create_app(services=services)
    app.router.routes.insert(0, Route("/broken", broken))
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/broken", headers={"X-Request-Id": "crash-1"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "crash-1"
    lines = [line for line in parsed(log_lines) if line.get("request_id") == "crash-1"]
    assert {line["logger"] for line in lines} == {"rolodex", "rolodex.access"}
    assert any("RuntimeError: a bug" in line.get("exc", "") for line in lines)
    assert [line["status"] for line in lines if line["logger"] == "rolodex.access"] == [500]
