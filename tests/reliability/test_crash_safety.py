"""Crash safety: SIGKILL the server again and again while clients write; nothing acknowledged
is lost, nothing half-written exists, and the change log matches the data.

The server runs as a real process (`rolodex serve`). SQLite runs in WAL mode with
`synchronous=NORMAL`, which keeps every committed transaction across a process crash
(docs/reliability.md). `ROLODEX_CRASH_KILLS` sets the number of kills (default 50).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.store.schema import changes, contacts

KILLS = int(os.environ.get("ROLODEX_CRASH_KILLS", "50"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rolodex.cli", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                if (
                    httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=0.5).status_code
                    == 200
                ):
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("server did not come back")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


class _Writers:
    """Clients creating and updating contacts until `stop`, keeping what was acknowledged.

    `attempts` holds, per contact, every notes value tried in order; `acked_index` the
    index in it of the last acknowledged one.
    """

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.token = token
        self.acked_creates: set[str] = set()
        self.attempts: dict[str, list[str]] = defaultdict(list)
        self.acked_index: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        mine: dict[str, str] = {}  # contact -> last acknowledged etag
        with httpx.Client(
            base_url=self.base_url,
            timeout=2,
            headers={"Authorization": f"Bearer {self.token}"},
        ) as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                value = f"{seed}-{n}"
                try:
                    if mine and rng.random() < 0.4:
                        self._update(client, mine, rng.choice(list(mine)), value)
                    else:
                        self._create(client, mine, value)
                except httpx.TransportError:
                    time.sleep(0.02)

    def _update(self, client: httpx.Client, mine: dict[str, str], cid: str, value: str) -> None:
        with self.lock:
            self.attempts[cid].append(value)
            index = len(self.attempts[cid]) - 1
        r = client.post(
            "/api/v1/contacts.update",
            json={
                "contact": {"contactId": cid, "etag": mine[cid], "contactData": {"notes": value}}
            },
        )
        if r.status_code == 200:
            mine[cid] = r.json()["contact"]["etag"]
            with self.lock:
                self.acked_index[cid] = index
        elif r.status_code == 409:
            # An update whose answer was lost in a kill did commit: learn the etag.
            got = client.post("/api/v1/contacts.get", json={"contactIds": [cid]})
            mine[cid] = got.json()["contacts"][0]["etag"]

    def _create(self, client: httpx.Client, mine: dict[str, str], value: str) -> None:
        r = client.post(
            "/api/v1/contacts.create", json={"contact": {"contactData": {"notes": value}}}
        )
        if r.status_code == 200:
            cid = r.json()["contact"]["contactId"]
            mine[cid] = r.json()["contact"]["etag"]
            with self.lock:
                self.acked_creates.add(cid)
                self.attempts[cid].append(value)
                self.acked_index[cid] = 0
        else:
            assert r.status_code < 500, r.text


@pytest.mark.timeout(1800)  # 50 restarts of a real server process per store
def test_acknowledged_writes_survive_repeated_sigkill(
    store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from tests.conftest import make_settings

    settings: Settings = make_settings(store_kind, tmp_path / "data", request)
    services = Services.build(settings)
    email = f"crash-{random.randrange(10**9)}@example.com"
    account = services.accounts.create(email, "password123")
    token = services.credentials.issue(
        account.account_id, frozenset({"contacts.read", "contacts.write"})
    ).secret
    owner = account.account_id
    services.close()

    env = {
        **os.environ,
        "ROLODEX_DATA_DIR": str(settings.data_dir),
        "ROLODEX_WEBHOOK_WORKER": "false",
    }
    if settings.database_url:
        env["ROLODEX_DATABASE_URL"] = settings.database_url
    server = Server(env)
    server.start()

    writers = _Writers(f"http://127.0.0.1:{server.port}", token)
    acked_creates, attempts, acked_index = (
        writers.acked_creates,
        writers.attempts,
        writers.acked_index,
    )
    stop = writers.stop

    threads = [threading.Thread(target=writers.run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    rng = random.Random(1)
    try:
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.05, 0.4))
            server.kill()
            server.start()
    finally:
        stop.set()
        for t in threads:
            t.join()
        server.kill()

    assert len(acked_creates) > KILLS, "the clients did get writes through between kills"
    services = Services.build(settings)
    try:
        with services.store.read() as conn:
            if services.store.is_sqlite:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            rows = {
                r.contact_id: r
                for r in conn.execute(
                    select(contacts.c.contact_id, contacts.c.etag, contacts.c.data).where(
                        contacts.c.owner_id == owner
                    )
                )
            }
            log = list(
                conn.execute(
                    select(changes).where(changes.c.owner_id == owner).order_by(changes.c.seq)
                )
            )
        assert acked_creates <= set(rows), "every acknowledged contact is there"
        for cid, index in acked_index.items():
            import json

            notes = json.loads(rows[cid].data).get("notes")
            assert notes in attempts[cid][index:], f"{cid}: an acknowledged update was lost"
        created = {c.entity_id for c in log if c.action == "created"}
        assert created == set(rows), "no contact without its change, no change without its contact"
        last_etag = {c.entity_id: c.etag for c in log}
        assert all(last_etag[cid] == row.etag for cid, row in rows.items()), (
            "the log's last etag is the contact's"
        )
    finally:
        services.close()
