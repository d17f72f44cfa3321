"""The `rolodex` command as an administrator uses it: a real process, real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROLODEX = [sys.executable, "-m", "rolodex.cli"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ROLODEX, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_accounts_and_tokens_print_json_and_refuse_bad_input(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    made = run(
        "accounts",
        "create",
        "--email",
        "Ann@Example.com",
        "--password",
        "secret-pw",
        "--data-dir",
        data,
    )
    assert made.returncode == 0, made.stderr
    account = json.loads(made.stdout)
    assert account["email"] == "ann@example.com"

    again = run(
        "accounts",
        "create",
        "--email",
        "ann@example.com",
        "--password",
        "secret-pw",
        "--data-dir",
        data,
    )
    assert again.returncode == 1
    assert json.loads(again.stderr)["error"]["field"] == "email"

    token = run(
        "tokens",
        "create",
        "--email",
        "ann@example.com",
        "--scopes",
        "contacts.read",
        "--data-dir",
        data,
    )
    assert token.returncode == 0, token.stderr
    assert json.loads(token.stdout)["scope"] == "contacts.read"

    bad = run(
        "tokens",
        "create",
        "--email",
        "ann@example.com",
        "--scopes",
        "contacts.lol",
        "--data-dir",
        data,
    )
    assert bad.returncode == 1
    assert "contacts.lol" in bad.stderr

    nobody = run("tokens", "create", "--email", "nobody@example.com", "--data-dir", data)
    assert nobody.returncode == 1


def test_serve_starts_on_a_fresh_data_folder_and_answers_with_cli_tokens(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"ROLODEX_DATA_DIR": str(data)}  # the environment works as well as the flags
    port = free_port()
    server = subprocess.Popen(
        [*ROLODEX, "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not become ready")
        assert (data / "rolodex.sqlite3").exists()
        assert (
            run(
                "accounts", "create", "--email", "a@example.com", "--password", "pw-123456", env=env
            ).returncode
            == 0
        )
        token = json.loads(run("tokens", "create", "--email", "a@example.com", env=env).stdout)[
            "access_token"
        ]
        headers = {"Authorization": f"Bearer {token}"}
        created = httpx.post(
            f"{base}/api/v1/contacts.create",
            json={"contact": {"contactData": {"name": {"givenName": "John"}}}},
            headers=headers,
        )
        assert created.status_code == 200
        scrolled = httpx.post(f"{base}/api/v1/contacts.scroll", json={}, headers=headers).json()
        assert [c["contactId"] for c in scrolled["contacts"]] == [
            created.json()["contact"]["contactId"]
        ]
    finally:
        server.terminate()
        server.wait(timeout=20)
        assert server.stdout is not None
        server.stdout.close()
