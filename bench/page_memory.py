"""A server's memory under pages of large contacts (issue 20), measured on a real server.

    python -m bench.page_memory [--src DIR] [--postgres URL] [--page-max-bytes N]

Starts `rolodex serve` on a fresh store (SQLite in a temporary folder, or a fresh schema
of the PostgreSQL database at URL), stores 120 contacts of about 0.7 MB each (within the
documented limits), then runs eight `contacts.scroll` walks of `size` 1000 at once and
prints the server's resident memory before and at its peak (polled every 10 ms, and the
kernel's high-water mark). `--src` runs another checkout's code (its `src` folder), so
that a change can be measured before and after on the same machine. Figures go in
docs/reliability.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

CONTACTS = 120
WALKS = 8

_MAKE_TOKEN = """
import os
from pathlib import Path
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.settings import Settings
services = Services.build(Settings(data_dir=Path(os.environ["ROLODEX_DATA_DIR"])))
account = services.accounts.create("memory@example.com", "correct horse battery", "M")
print(services.credentials.issue(account.account_id, ALL_SCOPES).secret)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def big_contact() -> dict[str, Any]:
    """About 0.67 MB of `contactData`: every list at its longest, texts near 1,000."""

    def entries(count: int, value: str) -> list[dict[str, str]]:
        return [{"type": "t", "value": value} for _ in range(count)]

    return {
        "name": {"givenName": "Big"},
        "notes": "x" * 65_000,
        "items": entries(200, "x" * 1000),
        "ims": entries(100, "x" * 1000),
        "relatedPeople": entries(100, "x" * 1000),
        "urls": entries(100, "https://example.org/" + "x" * 950),
        "emails": entries(100, "x" * 900 + "@example.org"),
    }


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for {pid}")


def walk(base: str, headers: dict[str, str], out: list[tuple[int, int]]) -> None:
    """Scroll the whole book with `size` 1000; record (contacts seen, pages)."""
    seen = pages = 0
    cursor = None
    with httpx.Client(base_url=base, headers=headers, timeout=600) as client:
        while True:
            response = client.post(
                "/api/v1/contacts.scroll", json={"size": 1000, "scrollCursor": cursor}
            )
            response.raise_for_status()
            page = response.json()
            seen, pages = seen + len(page["contacts"]), pages + 1
            cursor = page.get("cursor")
            if cursor is None:
                break
    out.append((seen, pages))


def measure(env: dict[str, str]) -> None:
    token = subprocess.run(
        [sys.executable, "-c", _MAKE_TOKEN], env=env, capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "rolodex.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        headers = {"Authorization": f"Bearer {token}"}
        body = orjson.dumps({"contact": {"contactData": big_contact()}})
        with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
            for _ in range(CONTACTS):
                client.post(
                    "/api/v1/contacts.create",
                    content=body,
                    headers={"Content-Type": "application/json"},
                ).raise_for_status()
            first = client.post("/api/v1/contacts.scroll", json={"size": 1000})
            first.raise_for_status()
        print(
            f"{CONTACTS} contacts of {len(body) / 1e6:.2f} MB; a first page of size 1000:"
            f" {len(first.content) / 1e6:.1f} MB, {len(first.json()['contacts'])} contacts"
        )
        time.sleep(1)
        idle = peak = rss_mb(server.pid)
        done = threading.Event()

        def poll() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss_mb(server.pid))
                time.sleep(0.01)

        walks: list[tuple[int, int]] = []
        started = time.monotonic()
        poller = threading.Thread(target=poll)
        poller.start()
        threads = [threading.Thread(target=walk, args=(base, headers, walks)) for _ in range(WALKS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        poller.join()
        print(
            f"{WALKS} walks at once: {time.monotonic() - started:.1f} s, each saw"
            f" {walks[0][0]} contacts in {walks[0][1]} pages; server RSS {idle:.0f} MB before,"
            f" {peak:.0f} MB at peak (high-water mark {rss_mb(server.pid, 'VmHWM'):.0f} MB)"
        )
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", help="run this src folder's code instead of the installed one")
    parser.add_argument("--postgres", help="a PostgreSQL URL (a fresh schema is made in it)")
    parser.add_argument("--page-max-bytes", help="ROLODEX_PAGE_MAX_BYTES for the server")
    args = parser.parse_args()
    env = {**os.environ, "ROLODEX_DATA_DIR": tempfile.mkdtemp(), "ROLODEX_ACCESS_LOG": "false"}
    env.pop("ROLODEX_DATABASE_URL", None)
    if args.src:
        env["PYTHONPATH"] = os.pathsep.join([str(Path(args.src).resolve()), str(Path.cwd())])
    if args.page_max_bytes:
        env["ROLODEX_PAGE_MAX_BYTES"] = args.page_max_bytes
    if not args.postgres:
        measure(env)
        return
    import psycopg

    schema = "page_memory_" + secrets.token_hex(4)
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in args.postgres else "?"
    env["ROLODEX_DATABASE_URL"] = f"{args.postgres}{separator}options=-csearch_path%3D{schema}"
    try:
        measure(env)
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
