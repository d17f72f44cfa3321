"""A real `rolodex serve` process: JSON request lines on stderr, ids matching, no secrets.

This is the wiring the other tests take for granted: the server configures its own
logging, writes one line per request, and its rate limits are on by default.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_served_request_is_logged_as_json_with_its_id_and_without_its_secrets(
    tmp_path: Path,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ROLODEX_DATA_DIR": str(tmp_path / "data"),
        "ROLODEX_ACCESS_LOG": "true",
        "ROLODEX_RATE_LIMIT_ENABLED": "true",
        "ROLODEX_RATE_LIMIT_LOGIN": "1",
        "ROLODEX_WEBHOOK_WORKER": "false",
    }
    env.pop("ROLODEX_DATABASE_URL", None)
    log_file = (tmp_path / "stderr.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "rolodex.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    token = "rdx_at_" + secrets.token_urlsafe(32)
    password = "pw-" + secrets.token_urlsafe(12)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        scroll = httpx.post(
            f"{base}/api/v1/contacts.scroll?access_token={token}",
            json={},
            headers={"Authorization": f"Bearer {token}", "X-Request-Id": "probe-1"},
        )
        assert scroll.status_code == 401 and scroll.headers["x-request-id"] == "probe-1"
        form = {"email": "a@example.com", "password": password, "csrf_token": "x"}
        first = httpx.post(f"{base}/login", data=form)
        second = httpx.post(f"{base}/login", data=form)
        assert first.status_code == 403 and second.status_code == 429
    finally:
        process.terminate()
        process.wait(timeout=20)
    log_file.seek(0)
    written = log_file.read()
    log_file.close()
    lines = [json.loads(line) for line in written.splitlines() if line.startswith("{")]
    requests = {line["request_id"]: line for line in lines if line["logger"] == "rolodex.access"}
    assert requests["probe-1"]["path"] == "/api/v1/contacts.scroll"
    assert requests["probe-1"]["status"] == 401
    assert requests["probe-1"]["query"] == "access_token=[redacted]"
    assert requests[second.headers["x-request-id"]]["status"] == 429
    assert token not in written and password not in written
