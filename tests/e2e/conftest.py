"""A real `rolodex serve` process on a free loopback port, for the browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser import free_port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ROLODEX_DATA_DIR": str(tmp_path / "data")}
    env.pop("ROLODEX_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "rolodex.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"rolodex serve did not start: {process.stderr.read() if process.stderr else ''}"
                )
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stderr:
            process.stderr.close()
