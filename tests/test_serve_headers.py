"""`rolodex serve` bounds request headers in size and in time (no proxy in front).

Before: 300 connections each holding 1 MB of unfinished headers added 277 MB to the
server, and 1,500 connections with half a header stayed open. These run a real server
process and talk to it over raw sockets, as such clients do.
"""

from __future__ import annotations

import pickle
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rolodex.cli.header_limits import HeaderLimitedProtocol, HeaderLimits
from rolodex.cli.serve import http_options
from rolodex.settings import Settings
from tests.conftest import make_settings
from tests.server_process import Served, serving

TIMEOUT = 1.5  # seconds, the test server's --header-timeout
LIMIT = 64 * 1024  # the default --max-header-bytes
# Generous: the machine running the tests is shared and busy.
CLOSED_WITHIN = TIMEOUT + 15


@pytest.fixture(scope="module")
def server(
    store_kind: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Served]:
    data = tmp_path_factory.mktemp(f"headers-{store_kind}")
    settings = make_settings(store_kind, data, request)
    with serving(
        data, database_url=settings.database_url, args=["--header-timeout", str(TIMEOUT)]
    ) as served:
        yield served


def _connect(served: Served) -> socket.socket:
    host, port = served.base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=CLOSED_WITHIN)


def _send_all_you_can(sock: socket.socket, data: bytes) -> None:
    """Send `data` in pieces, stopping quietly when the server has closed the connection."""
    for start in range(0, len(data), 16 * 1024):
        try:
            sock.sendall(data[start : start + 16 * 1024])
        except (BrokenPipeError, ConnectionResetError):
            return


def _answer(sock: socket.socket) -> bytes:
    """All the server sends until it closes the connection (b"" if it closes at once)."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_ordinary_requests_and_large_bodies_still_work(server: Served) -> None:
    near_limit = {"X-Padding": "a" * (LIMIT - 2048)}
    assert httpx.get(f"{server.base}/healthz", headers=near_limit).status_code == 200
    # A body is not a header: one far beyond the header limit reaches the application.
    response = httpx.post(
        f"{server.base}/api/v1/contacts.scroll",
        content=b"{}" + b" " * (4 * LIMIT),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 401  # no token: the app answered, not the limit
    with httpx.Client() as client:  # keep-alive: several requests on one connection
        for _ in range(3):
            assert client.get(f"{server.base}/healthz").status_code == 200


def test_unfinished_headers_over_the_limit_are_refused_with_431(server: Served) -> None:
    with _connect(server) as sock:
        _send_all_you_can(sock, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 2**20)
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:100]
    assert b"connection: close" in answer


def test_complete_headers_over_the_limit_are_refused_with_431(server: Served) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (LIMIT + 1) + b"\r\n\r\n"
        )
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:100]


@pytest.mark.parametrize("sent", [b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: "])
def test_a_connection_that_stalls_before_its_headers_end_is_closed(
    server: Served, sent: bytes
) -> None:
    with _connect(server) as sock:
        started = time.monotonic()
        sock.sendall(sent)
        answer = _answer(sock)
        waited = time.monotonic() - started
    assert answer == b""
    assert TIMEOUT * 0.9 <= waited < CLOSED_WITHIN


def test_a_trickle_of_bytes_does_not_keep_the_headers_open(server: Served) -> None:
    with _connect(server) as sock:
        started = time.monotonic()
        try:
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
                sock.sendall(bytes([byte]))
                time.sleep(0.25)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _answer(sock)
        waited = time.monotonic() - started
    assert answer == b""
    assert waited < CLOSED_WITHIN


def test_a_later_request_on_a_kept_alive_connection_has_the_same_timeout(
    server: Served,
) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while not first.endswith(b'{"status":"ok"}'):
            first += sock.recv(4096)
        assert first.startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        assert _answer(sock) == b""
        assert TIMEOUT * 0.9 <= time.monotonic() - started < CLOSED_WITHIN


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_three_hundred_huge_unfinished_headers_cost_little_and_all_close(
    server: Served,
) -> None:
    before = _rss(server.pid)
    header = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 2**20
    sockets = [_connect(server) for _ in range(300)]
    try:
        for sock in sockets:
            _send_all_you_can(sock, header)
        grown = _rss(server.pid) - before
        # Before the limit, each connection's megabyte stayed: 277 MB for these 300.
        assert grown < 64 * 2**20, f"grew {grown / 2**20:.0f} MiB"
        answers = [_answer(sock) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    assert all(a.startswith(b"HTTP/1.1 431 ") or a == b"" for a in answers)
    assert httpx.get(f"{server.base}/healthz").status_code == 200


def test_many_half_headers_are_all_closed_after_the_timeout(server: Served) -> None:
    sockets = [_connect(server) for _ in range(300)]
    try:
        for sock in sockets:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: ")
        deadline = time.monotonic() + CLOSED_WITHIN
        for sock in sockets:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            assert _answer(sock) == b""
    finally:
        for sock in sockets:
            sock.close()
    assert httpx.get(f"{server.base}/healthz").status_code == 200


def test_the_limits_come_from_the_settings_and_reach_spawned_workers() -> None:
    # `--workers N` spawns each worker with a pickled copy of uvicorn's config.
    options = http_options(Settings(max_header_bytes=2048, header_timeout_seconds=3))
    factory = pickle.loads(pickle.dumps(options["http"]))
    assert factory.func is HeaderLimitedProtocol
    assert factory.keywords == {"limits": HeaderLimits(max_bytes=2048, timeout=3.0)}
