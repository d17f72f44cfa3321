"""A real `rolodex serve` subprocess on a free loopback port, ready once /healthz answers.

Shared by tests/e2e (the browser drives it) and tests/observability (its stderr is the
log under test): both need the server exactly as an operator starts it, with its own
logging and settings read from the environment, not the app in-process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

# Seconds. A cold start imports the whole app and migrates a fresh store first.
START_TIMEOUT = 60
# Seconds the server has to shut down on SIGTERM before the test fails.
STOP_TIMEOUT = 20


def free_port() -> int:
    """A loopback port nobody listens on now, so that parallel runs do not collide."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """A running server: its base URL and its process id (to read its memory in /proc)."""

    base: str
    pid: int


@contextmanager
def running_server(
    data_dir: Path, env: Mapping[str, str] | None = None, stderr: IO[str] | None = None
) -> Iterator[str]:
    """Start `rolodex serve` on `data_dir`'s SQLite store and yield its base URL.

    `env` adds settings on top of this process's environment; `ROLODEX_DATABASE_URL` is
    dropped so that the server uses its own store under `data_dir`, never the suite's.
    `stderr` is where the server writes its log; without it the log is piped and only
    read to explain a server that did not start. The server is terminated on exit.
    """
    with serving(data_dir, env, stderr) as served:
        yield served.base


@contextmanager
def serving(
    data_dir: Path,
    env: Mapping[str, str] | None = None,
    stderr: IO[str] | None = None,
    *,
    database_url: str | None = None,
    args: Sequence[str] = (),
) -> Iterator[Served]:
    """`running_server`, yielding the process id too; `database_url` picks the store
    (a test's own PostgreSQL schema) and `args` are more `rolodex serve` options."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_env = {**os.environ, "ROLODEX_DATA_DIR": str(data_dir), **(env or {})}
    server_env.pop("ROLODEX_DATABASE_URL", None)
    if database_url:
        server_env["ROLODEX_DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "rolodex.cli", "serve", "--port", str(port), *args],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if stderr is None else stderr,
        text=True,
    )
    try:
        _wait_until_healthy(process, base)
        yield Served(base, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=STOP_TIMEOUT)
        if process.stderr:
            process.stderr.close()


def _wait_until_healthy(process: subprocess.Popen[str], base: str) -> None:
    """Poll /healthz: the port is bound before the app has finished starting up."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(
                f"rolodex serve did not start: {process.stderr.read() if process.stderr else ''}"
            )
        time.sleep(0.2)
