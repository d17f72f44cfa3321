"""A real `rolodex serve` process: JSON request lines on stderr, ids matching, no secrets.

This is the wiring the other tests take for granted: the server configures its own
logging, writes one line per request, and its rate limits are on by default.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import httpx

from tests.server_process import running_server


def test_a_served_request_is_logged_as_json_with_its_id_and_without_its_secrets(
    tmp_path: Path,
) -> None:
    env = {
        "ROLODEX_ACCESS_LOG": "true",
        "ROLODEX_RATE_LIMIT_ENABLED": "true",
        "ROLODEX_RATE_LIMIT_LOGIN": "1",
        "ROLODEX_WEBHOOK_WORKER": "false",
    }
    log_file = (tmp_path / "stderr.log").open("w+")
    token = "rdx_at_" + secrets.token_urlsafe(32)
    password = "pw-" + secrets.token_urlsafe(12)
    with running_server(tmp_path / "data", env, stderr=log_file) as base:
        scroll = httpx.post(
            f"{base}/api/v1/contacts.scroll?access_token={token}",
            json={},
            headers={"Authorization": f"Bearer {token}", "X-Request-Id": "probe-1"},
        )
        assert scroll.status_code == 401
        assert scroll.headers["x-request-id"] == "probe-1"
        form = {"email": "a@example.com", "password": password, "csrf_token": "x"}
        first = httpx.post(f"{base}/login", data=form)
        second = httpx.post(f"{base}/login", data=form)
        assert first.status_code == 403
        assert second.status_code == 429
    log_file.seek(0)
    written = log_file.read()
    log_file.close()
    lines = [json.loads(line) for line in written.splitlines() if line.startswith("{")]
    requests = {line["request_id"]: line for line in lines if line["logger"] == "rolodex.access"}
    assert requests["probe-1"]["path"] == "/api/v1/contacts.scroll"
    assert requests["probe-1"]["status"] == 401
    assert requests["probe-1"]["query"] == "access_token=[redacted]"
    assert requests[second.headers["x-request-id"]]["status"] == 429
    assert token not in written
    assert password not in written
