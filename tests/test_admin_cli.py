"""The administration commands and the CLI's manners, through a real `rolodex` process."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.services import Services
from rolodex.settings import Settings
from tests.conftest import MakeUser
from tests.test_cli import ROLODEX, free_port, run

README = Path(__file__).parent.parent / "README.md"


def run_with_input(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ROLODEX, *args], input=stdin, capture_output=True, text=True, timeout=60, env=os.environ
    )


def create_account(data: str, email: str, password: str = "first-pass-1") -> dict[str, str]:
    made = run_with_input(
        "accounts", "create", "--email", email, "--data-dir", data, stdin=password + "\n"
    )
    assert made.returncode == 0, made.stderr
    return dict(json.loads(made.stdout))


def error_of(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    return dict(json.loads(result.stderr)["error"])


def test_passwords_come_from_standard_input_and_accounts_list(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    ann = create_account(data, "ann@example.com")
    create_account(data, "bob@example.com")
    listed = json.loads(run("accounts", "list", "--data-dir", data).stdout)
    assert [a["email"] for a in listed] == ["ann@example.com", "bob@example.com"]
    assert listed[0]["accountId"] == ann["accountId"]
    assert set(listed[0]) == {"accountId", "email", "name", "created"}
    empty = run_with_input(
        "accounts", "create", "--email", "c@example.com", "--data-dir", data, stdin=""
    )
    assert error_of(empty)["field"] == "password"

    services = Services.build(Settings(data_dir=Path(data)))
    try:
        assert services.accounts.authenticate("ann@example.com", "first-pass-1") is not None
        session = services.sessions.start(ann["accountId"], "a browser")
        changed = run_with_input(
            "accounts",
            "set-password",
            "--email",
            "ann@example.com",
            "--data-dir",
            data,
            stdin="second-pass-2\n",
        )
        assert changed.returncode == 0, changed.stderr
        assert services.accounts.authenticate("ann@example.com", "first-pass-1") is None
        assert services.accounts.authenticate("ann@example.com", "second-pass-2") is not None
        assert services.sessions.resolve(session.secret) is None  # every session ended
        short = run_with_input(
            "accounts",
            "set-password",
            "--email",
            "ann@example.com",
            "--data-dir",
            data,
            stdin="x\n",
        )
        assert error_of(short)["field"] == "password"
    finally:
        services.close()


def test_accounts_delete_needs_yes_and_revokes_the_accounts_tokens(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    create_account(data, "gone@example.com")
    create_account(data, "stays@example.com")
    token = json.loads(
        run("tokens", "create", "--email", "gone@example.com", "--data-dir", data).stdout
    )["access_token"]
    services = Services.build(Settings(data_dir=Path(data)))
    try:
        with TestClient(create_app(services=services)) as client:
            bearer = {"Authorization": f"Bearer {token}"}
            assert client.post("/api/v1/account.get", json={}, headers=bearer).status_code == 200
            unconfirmed = run(
                "accounts", "delete", "--email", "gone@example.com", "--data-dir", data
            )
            assert "--yes" in error_of(unconfirmed)["message"]
            assert client.post("/api/v1/account.get", json={}, headers=bearer).status_code == 200
            gone = run(
                "accounts", "delete", "--email", "gone@example.com", "--yes", "--data-dir", data
            )
            assert gone.returncode == 0, gone.stderr
            assert json.loads(gone.stdout)["deleted"] is True
            assert client.post("/api/v1/account.get", json={}, headers=bearer).status_code == 401
    finally:
        services.close()
    listed = json.loads(run("accounts", "list", "--data-dir", data).stdout)
    assert [a["email"] for a in listed] == ["stays@example.com"]


def test_a_folder_without_a_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    empty = tmp_path / "no-store-here"
    for args in (
        ("tokens", "create", "--email", "a@example.com"),
        ("accounts", "list"),
        ("api-keys", "list", "--email", "a@example.com"),
        ("backup", "--out", str(tmp_path / "b.tar.gz")),
    ):
        refused = run(*args, "--data-dir", str(empty))
        error = error_of(refused)
        assert error["message"].startswith(f"no Rolodex store in {empty}"), error
        assert "no account with this email" not in refused.stderr
    assert not empty.exists()


def test_restore_of_a_file_that_is_not_an_archive_says_so_in_one_line(tmp_path: Path) -> None:
    for name, content in (("notes.txt", b"hello\n"), ("fake.tar.gz", b"\x1f\x8b\x08garbage")):
        path = tmp_path / name
        path.write_bytes(content)
        refused = run("restore", "--from", str(path), "--data-dir", str(tmp_path / "target"))
        assert len(refused.stderr.strip().splitlines()) == 1
        assert "is not a backup archive" in error_of(refused)["message"]


def test_version_and_help_without_type_noise() -> None:
    version = run("--version")
    assert version.returncode == 0
    assert re.fullmatch(r"rolodex \d+\.\d+\.\d+\S*\n", version.stdout)
    for args in (
        ("--help",),
        ("accounts", "create", "--help"),
        ("api-keys", "create", "--help"),
        ("import", "--help"),
    ):
        shown = run(*args)
        assert shown.returncode == 0
        assert not re.search(r"<\w+>", shown.stdout), shown.stdout
    assert re.search(r"FILE\s+PATH", run("import", "--help").stdout)
    assert "--email" in run("accounts", "create", "--help").stdout


def test_api_keys_and_apps_from_the_cli(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    create_account(data, "dev@example.com")
    key = json.loads(
        run(
            "api-keys", "create", "--email", "dev@example.com", "--name", "CI", "--data-dir", data
        ).stdout
    )
    assert key["name"] == "CI"
    listed = json.loads(
        run("api-keys", "list", "--email", "dev@example.com", "--data-dir", data).stdout
    )
    assert [k["name"] for k in listed] == ["CI"]
    made = json.loads(
        run(
            "apps",
            "create",
            "--email",
            "dev@example.com",
            "--name",
            "First",
            "--redirect-uri",
            "https://a.example.com/cb",
            "--data-dir",
            data,
        ).stdout
    )
    client_id = made["client_id"]
    updated = run(
        "apps",
        "update",
        "--email",
        "dev@example.com",
        "--client-id",
        client_id,
        "--name",
        "Second",
        "--redirect-uri",
        "https://b.example.com/cb",
        "--data-dir",
        data,
    )
    assert updated.returncode == 0, updated.stderr
    apps = json.loads(run("apps", "list", "--email", "dev@example.com", "--data-dir", data).stdout)
    assert [(a["name"], a["redirect_uris"]) for a in apps] == [
        ("Second", ["https://b.example.com/cb"])
    ]
    deleted = run(
        "apps", "delete", "--email", "dev@example.com", "--client-id", client_id, "--data-dir", data
    )
    assert deleted.returncode == 0, deleted.stderr
    assert (
        json.loads(run("apps", "list", "--email", "dev@example.com", "--data-dir", data).stdout)
        == []
    )
    again = run(
        "apps", "delete", "--email", "dev@example.com", "--client-id", client_id, "--data-dir", data
    )
    assert error_of(again)["field"] == "client_id"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_prints_one_line_saying_where_it_is_once_it_answers(
    tmp_path: Path, workers: str
) -> None:
    """The line comes when the server accepts requests: with `--workers 2` too, whose
    supervisor binds the port long before a worker listens on it (issue 26)."""
    data = tmp_path / "data"
    port = free_port()
    server = subprocess.Popen(
        [*ROLODEX, "serve", "--port", str(port), "--data-dir", str(data), "--workers", workers],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # blocks until the server says it is ready
        base = f"http://127.0.0.1:{port}"
        assert line.startswith(f"Rolodex is serving {base} ")
        assert str(data.resolve()) in line
        assert f"{base}/book" in line
        # Right after the line, with no retry: refused connections would raise here.
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        assert httpx.get(f"{base}/login", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.communicate(timeout=20)  # waits, and closes both pipes


def _readme_json(after: str) -> dict[str, object]:
    """The JSON body of the README's curl call to `after` (its `-d '...'`)."""
    text = README.read_text()
    match = re.search(r"-d '(\{[^']*\})' \$API/" + re.escape(after), text)
    assert match, after
    return dict(json.loads(match.group(1)))


def test_the_readmes_update_example_keeps_the_contact_whole(make_user: MakeUser) -> None:
    user = make_user()
    created = user.ok("contacts.create", _readme_json("contacts.create"))["contact"]
    update = _readme_json("contacts.update")
    contact = dict(update["contact"])  # type: ignore[call-overload]
    contact.update(contactId=created["contactId"], etag=created["etag"])
    updated = user.ok("contacts.update", {"contact": contact})["contact"]
    assert updated["contactData"]["name"]["givenName"] == "Johnny"
    assert (
        updated["contactData"]["name"]["familyName"] == created["contactData"]["name"]["familyName"]
    )
    assert updated["contactData"]["emails"] == created["contactData"]["emails"]


def test_the_readmes_import_line_imports(tmp_path: Path) -> None:
    block = re.search(r"```json\n(.+?)\n```", README.read_text(), re.DOTALL)
    assert block, "the README shows a JSON-lines line"
    source = tmp_path / "contacts.jsonl"
    source.write_text(block.group(1) + "\n")
    data = str(tmp_path / "data")
    create_account(data, "imp@example.com")
    done = run("import", str(source), "--email", "imp@example.com", "--quiet", "--data-dir", data)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["contactsCreated"] == 1
    assert result["skipped"] == []


def _talk(fd: int, until: bytes, seen: bytearray, deadline: float) -> None:
    """Read the terminal until `until` shows, the process ends, or the deadline passes."""
    while until not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            seen += chunk


def _type_hidden(fd: int, text: bytes, deadline: float) -> None:
    """Type once the program has turned echo off: getpass flushes what came before."""
    while termios.tcgetattr(fd)[3] & termios.ECHO and time.monotonic() < deadline:
        time.sleep(0.05)
    os.write(fd, text)


def test_at_a_terminal_the_password_is_asked_twice_and_not_shown(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    # Everything the child runs is made before the fork: it only calls execv.
    argv = [*ROLODEX, "accounts", "create", "--email", "tty@example.com", "--data-dir", data]
    # Generous: a loaded machine takes long to start Python; pytest-timeout allows 300 s.
    deadline = time.monotonic() + 240
    pid, fd = pty.fork()
    if pid == 0:  # the child: `rolodex` with the pseudo-terminal as its terminal
        os.execv(sys.executable, argv)
    seen = bytearray()
    try:
        _talk(fd, b"New password", seen, deadline)
        _type_hidden(fd, b"typed-pass-1\n", deadline)
        _talk(fd, b"Repeat for confirmation", seen, deadline)
        _type_hidden(fd, b"typed-pass-1\n", deadline)
        _talk(fd, b"accountId", seen, deadline)
        _talk(fd, b"}", seen, deadline)
    finally:
        finished, status = os.waitpid(pid, os.WNOHANG)
        for _ in range(100):
            if finished:
                break
            time.sleep(0.1)
            finished, status = os.waitpid(pid, os.WNOHANG)
        if not finished:  # stuck: never leave a child behind
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen.decode(errors="replace")
    assert b"typed-pass-1" not in seen  # never echoed
    services = Services.build(Settings(data_dir=Path(data)))
    try:
        assert services.accounts.authenticate("tty@example.com", "typed-pass-1") is not None
    finally:
        services.close()
