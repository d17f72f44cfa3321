"""How long one account's webhook waits behind another account's slow and dead receivers.

    python -m bench.webhook_fairness [--trickle-bytes 60] [--trickle-interval 2] [--silent 4]

The scenario of issue 20: account A has one receiver that answers a header byte every
`--trickle-interval` seconds (`--trickle-bytes` of them) and `--silent` receivers that
accept the connection and never answer; account B has one receiver that answers at once.
A server's own delivery loop runs with the default settings (a SQLite store in a
temporary folder). A writes a contact; once the worker is on the wire to A's receivers,
B writes one. It prints how long B's webhook took to arrive, and how long the trickled
attempt held its connection. The figures are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import socket
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.settings import Settings, WebhookSettings

TRIGGERS = ["contact.added"]


class RawReceiver:
    """A loopback socket server that reads a request, then trickles or stays silent."""

    def __init__(self, *, trickle: bytes | None, interval: float) -> None:
        self.trickle = trickle
        self.interval = interval
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.held: list[float] = []  # seconds each connection was held by the worker
        self.connected = threading.Event()
        self.stopping = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        start = time.monotonic()
        self.connected.set()
        with conn:
            conn.settimeout(1.0)
            with contextlib.suppress(OSError):
                conn.recv(65536)
            if self.trickle is not None:
                for byte in self.trickle:
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break
                    if self._hung_up(conn, time.monotonic() + self.interval):
                        break
            else:
                while not self.stopping.is_set():
                    try:
                        if conn.recv(1) == b"":
                            break  # the worker gave up and closed
                    except TimeoutError:
                        continue
                    except OSError:
                        break
        self.held.append(time.monotonic() - start)

    def _hung_up(self, conn: socket.socket, until: float) -> bool:
        """Wait until `until`; True as soon as the worker closes the connection."""
        while (left := until - time.monotonic()) > 0 and not self.stopping.is_set():
            conn.settimeout(left)
            try:
                if conn.recv(65536) == b"":
                    return True
            except TimeoutError:
                return False
            except OSError:
                return True
        return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def stop(self) -> None:
        self.stopping.set()
        self.sock.close()


class GoodReceiver:
    """A receiver that answers 204 at once and notes when each request arrived."""

    def __init__(self) -> None:
        self.arrived: list[float] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                receiver.arrived.append(time.monotonic())
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def account(services: Services) -> str:
    created = services.accounts.create(
        f"fair-{secrets.token_hex(4)}@example.com", "correct horse battery", "Fair"
    )
    return services.credentials.issue(created.account_id, ALL_SCOPES).secret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trickle-bytes", type=int, default=60)
    parser.add_argument("--trickle-interval", type=float, default=2.0)
    parser.add_argument("--silent", type=int, default=4)
    parser.add_argument("--limit", type=float, default=600.0, help="give up after (s)")
    args = parser.parse_args()

    header = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * max(args.trickle_bytes - 27, 0) + b"\r\n\r\n"
    trickler = RawReceiver(trickle=header[: args.trickle_bytes], interval=args.trickle_interval)
    silent = [RawReceiver(trickle=None, interval=0) for _ in range(args.silent)]
    good = GoodReceiver()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            data_dir=Path(folder),
            webhooks=WebhookSettings(worker=True, allow_private=True),
        )
        services = Services.build(settings)
        try:
            with TestClient(create_app(services=services)) as client:

                def call(token: str, method: str, body: dict[str, Any]) -> dict[str, Any]:
                    answer = client.post(
                        f"/api/v1/{method}", json=body, headers={"Authorization": f"Bearer {token}"}
                    )
                    assert answer.status_code == 200, answer.text
                    return dict(answer.json())

                a, b = account(services), account(services)
                for url in [trickler.url] + [s.url for s in silent]:
                    call(a, "webhooks.create", {"url": url, "triggerIds": TRIGGERS})
                call(b, "webhooks.create", {"url": good.url, "triggerIds": TRIGGERS})

                call(a, "contacts.create", {"contact": {"contactData": {"notes": "A"}}})
                receivers = [trickler, *silent]
                while not any(r.connected.is_set() for r in receivers):
                    time.sleep(0.01)
                written = time.monotonic()
                call(b, "contacts.create", {"contact": {"contactData": {"notes": "B"}}})
                while not good.arrived and time.monotonic() - written < args.limit:
                    time.sleep(0.01)
                delay = good.arrived[0] - written if good.arrived else None
                print(f"B's webhook arrived after: {delay:.2f} s" if delay else "B's: never")
                while not trickler.held and time.monotonic() - written < args.limit:
                    time.sleep(0.05)
                held = f"{trickler.held[0]:.2f} s" if trickler.held else "still held"
                print(f"the trickled attempt held its connection: {held}")
                while not all(r.held for r in silent) and time.monotonic() - written < args.limit:
                    time.sleep(0.05)
                held_silent = sorted(round(r.held[0], 2) for r in silent if r.held)
                print(f"silent attempts held their connections: {held_silent} s")
                for receiver in receivers:
                    receiver.stop()
        finally:
            services.close()
            good.stop()


if __name__ == "__main__":
    main()
