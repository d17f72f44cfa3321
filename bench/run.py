"""The benchmark runner: a real server process, loaded, then driven over HTTP from another.

    python -m bench.run --scale 100k --store sqlite
    python -m bench.run --scale 1m --store postgres --duration 20

It generates the contacts (seeded), imports them with `rolodex import` (timing that
against a raw batched insert of the same rows through the same driver), starts
`rolodex serve`, and measures each figure of docs/benchmarks.md with the load generator
in `bench/loadgen.py` running as a separate process. Prints a table; writes JSON to
`bench/results/<store>-<scale>.json` (or `--out`).
"""

from __future__ import annotations

import argparse
import base64
import gc
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.generate import write_jsonl
from bench.queries import search_queries

SCALES = {"tiny": 2_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable
POSTGRES = os.environ.get("ROLODEX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rolodex(*args: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-m", "rolodex.cli", *args], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


class Target:
    """Where requests go, with the raw HTTP bytes to send."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.base = f"http://127.0.0.1:{port}"

    def rpc(self, method: str, body: dict[str, Any]) -> bytes:
        payload = orjson.dumps(body)
        head = (
            f"POST /api/v1/{method} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        )
        return head.encode() + payload

    def get(self, path: str) -> bytes:
        return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()

    def load(self, requests: list[bytes], **spec: Any) -> dict[str, Any]:
        body = {
            "host": "127.0.0.1",
            "port": self.port,
            "requests": [base64.b64encode(r).decode() for r in requests],
            **spec,
        }
        done = subprocess.run(
            [PYTHON, "-m", "bench.loadgen"],
            input=json.dumps(body),
            capture_output=True,
            text=True,
            check=True,
        )
        return dict(json.loads(done.stdout))

    def call(self, client: httpx.Client, method: str, body: dict[str, Any]) -> dict[str, Any]:
        response = client.post(
            f"{self.base}/api/v1/{method}",
            json=body,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        response.raise_for_status()
        # orjson, as a client that cares for speed would: the figure is the server's.
        return dict(orjson.loads(response.content))


def rss_mb(pid: int) -> float:
    total = 0
    for child in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def raw_insert_rate(source: Path, store: str, db_url: str | None, data_dir: Path) -> float:
    """Contacts/s for a plain batched INSERT of the same rows, same driver, no Rolodex in between."""
    rows = [
        (f"raw{i}", "raw-owner", "etag", 0, 0, line.decode().strip(), "{}")
        for i, line in enumerate(source.open("rb"))
    ]
    ddl = "CREATE TABLE bench_raw (pk INTEGER PRIMARY KEY, contact_id TEXT, owner_id TEXT, etag TEXT, created_at BIGINT, updated_at BIGINT, data TEXT, meta TEXT)"
    sql = "INSERT INTO bench_raw (contact_id, owner_id, etag, created_at, updated_at, data, meta) VALUES ({})"
    if store == "sqlite":
        conn = sqlite3.connect(data_dir / "raw.sqlite3")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(ddl)
        started = time.perf_counter()
        for i in range(0, len(rows), 2000):
            with conn:
                conn.executemany(sql.format(",".join("?" * 7)), rows[i : i + 2000])
        elapsed = time.perf_counter() - started
        conn.close()
    else:
        import psycopg

        assert db_url is not None
        with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as pg:
            pg.execute(ddl.replace("INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY"))
            pg.commit()
            started = time.perf_counter()
            with pg.cursor() as cur:
                for i in range(0, len(rows), 2000):
                    cur.executemany(sql.format(",".join(["%s"] * 7)), rows[i : i + 2000])
                    pg.commit()
            elapsed = time.perf_counter() - started
            pg.execute("DROP TABLE bench_raw")
            pg.commit()
    return len(rows) / elapsed


def db_bytes(store: str, data_dir: Path, schema: str | None) -> int:
    if store == "sqlite":
        return sum(p.stat().st_size for p in data_dir.glob("rolodex.sqlite3*"))
    import psycopg

    with psycopg.connect(POSTGRES) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
            (schema,),
        ).fetchone()
    return int(row[0]) if row else 0


def start_server(
    env: dict[str, str], port: int, log: Path, workers: int = 1
) -> subprocess.Popen[bytes]:
    """`rolodex serve`, its stderr (the JSON log) appended to `log`, as with `2>>log`."""
    with log.open("ab") as log_file:  # the child keeps its own copy of the descriptor
        server = subprocess.Popen(
            [PYTHON, "-m", "rolodex.cli", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("server did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    count = SCALES[args.scale]
    duration = args.duration
    cache = ROOT / "results" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    source = cache / f"contacts-{count}-seed{args.seed}.jsonl"
    if not source.exists():
        write_jsonl(str(source), count, args.seed)

    work = Path(tempfile.mkdtemp(prefix="rolodex-bench-"))
    # The server runs with the defaults a person gets from `rolodex serve`, but for two:
    # rate limits are off, since the one load generator is one client address and they
    # would cap it far below what the server can do; and no webhook worker polls the
    # store. The access log is on (the default) and goes to a file in this folder, as
    # with `rolodex serve 2>>server.log`: /dev/null would hide what writing it costs.
    env = {
        **os.environ,
        "ROLODEX_DATA_DIR": str(work / "data"),
        "ROLODEX_WEBHOOK_WORKER": "false",
        "ROLODEX_RATE_LIMIT_ENABLED": os.environ.get("ROLODEX_RATE_LIMIT_ENABLED", "false"),
    }
    log = work / "server.log"
    access_log_on = env.get("ROLODEX_ACCESS_LOG", "true").lower() not in ("false", "0", "no")
    print("rate limits off: one load generator is one client address", file=sys.stderr)
    print(
        f"access log {'on (the default)' if access_log_on else 'off'}: the server's stderr"
        f" goes to {log}",
        file=sys.stderr,
    )
    schema = None
    if args.store == "postgres":
        import psycopg

        schema = "bench_" + secrets.token_hex(4)
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        env["ROLODEX_DATABASE_URL"] = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    results: dict[str, Any] = {
        "scale": args.scale,
        "contacts": count,
        "store": args.store,
        "duration_s": duration,
    }
    try:
        rolodex(
            "accounts",
            "create",
            "--email",
            "bench@example.com",
            "--password",
            "bench-password",
            env=env,
        )
        token = rolodex("tokens", "create", "--email", "bench@example.com", env=env)["access_token"]

        started = time.perf_counter()
        subprocess.run(
            [
                PYTHON,
                "-m",
                "rolodex.cli",
                "import",
                str(source),
                "--email",
                "bench@example.com",
                "--quiet",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        import_rate = count / (time.perf_counter() - started)
        raw_rate = raw_insert_rate(source, args.store, env.get("ROLODEX_DATABASE_URL"), work)
        results["import"] = {
            "contacts_per_s": import_rate,
            "raw_insert_per_s": raw_rate,
            "ratio_to_raw": import_rate / raw_rate,
        }

        port = free_port()
        server = start_server(env, port, log)
        target = Target(port, token)
        try:
            results.update(drive(target, server, count, duration, args))
        finally:
            stop(server)
        results["access_log"] = access_log_cost(env, token, log, results, duration)
        results["memory"]["db_bytes_per_contact"] = (
            db_bytes(args.store, work / "data", schema) / count
        )
        if args.store == "postgres":
            port2 = free_port()
            two = start_server(env, port2, log, workers=2)
            try:
                ids_requests = results.pop("_read_requests")
                two_target = Target(port2, token)
                two_peak = two_target.load(
                    [two_target.rpc(*r) for r in ids_requests], connections=32, duration=duration
                )
                results["two_processes"] = {
                    "read_rps": two_peak["rps"],
                    "vs_one": two_peak["rps"] / results["read"]["peak_rps"],
                }
            finally:
                stop(two)
        results.pop("_read_requests", None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if schema:
            import psycopg

            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return results


def access_log_cost(
    env: dict[str, str], token: str, log: Path, results: dict[str, Any], duration: float
) -> dict[str, Any]:
    """The ceiling and the read peak again, from a server with the access log off.

    Against the same figures of the main run (the defaults), this is what the log costs.
    """
    lines = sum(1 for line in log.open("rb") if b'"logger":"rolodex.access"' in line)
    port = free_port()
    server = start_server({**env, "ROLODEX_ACCESS_LOG": "false"}, port, log)
    target = Target(port, token)
    try:
        time.sleep(0.5)
        ceiling = target.load([target.get("/healthz")], connections=32, duration=duration)
        reads = [target.rpc(*r) for r in results["_read_requests"]]
        peak = target.load(reads, connections=32, duration=duration)
    finally:
        stop(server)
    return {
        "on_in_main_run": env.get("ROLODEX_ACCESS_LOG", "true").lower() not in ("false", "0", "no"),
        "lines_written": lines,
        "log_bytes": log.stat().st_size,
        "off_ceiling_rps": ceiling["rps"],
        "off_read_peak_rps": peak["rps"],
        "ceiling_on_over_off": results["ceiling"]["rps"] / ceiling["rps"],
        "read_on_over_off": results["read"]["peak_rps"] / peak["rps"],
        "non_2xx": ceiling["non_2xx"] + peak["non_2xx"],
    }


def drive(
    target: Target,
    server: subprocess.Popen[bytes],
    count: int,
    duration: float,
    args: argparse.Namespace,
) -> dict[str, Any]:
    rng = random.Random(args.seed)
    out: dict[str, Any] = {}
    time.sleep(0.5)
    memory = {"rss_idle_mb": rss_mb(server.pid)}

    # Every contact id and etag, by walking the book (this is also the scroll figure).
    # Each page is timed from sending its request to its last byte received, over one
    # keep-alive connection; the client's own JSON parse (slower than the server's answer
    # for a 650 KB page) is left out, so the figure is the server's.
    walked: list[tuple[str, str]] = []
    page_times: list[float] = []
    walk_s = 0.0
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=120)
    gc.disable()  # a pause of the client's collector is not the server's page time
    headers = {"Authorization": f"Bearer {target.token}", "Content-Type": "application/json"}
    cursor = None
    while True:
        body = orjson.dumps({"size": 1000, "scrollCursor": cursor})
        t0 = time.perf_counter()
        connection.request("POST", "/api/v1/contacts.scroll", body, headers)
        response = connection.getresponse()
        raw = response.read()
        page_times.append(time.perf_counter() - t0)
        walk_s += page_times[-1]
        if response.status != 200:
            raise RuntimeError(f"scroll answered {response.status}: {raw[:200]!r}")
        page = orjson.loads(raw)
        walked.extend((c["contactId"], c["etag"]) for c in page["contacts"])
        cursor = page.get("cursor")
        if cursor is None:
            break
    connection.close()
    gc.enable()
    # One page is one sample; the median of ten at each end says the same more steadily.
    first, last = sorted(page_times[:10]), sorted(page_times[-10:])
    out["scroll"] = {
        "contacts": len(walked),
        "contacts_per_s": len(walked) / walk_s,
        "first_page_ms": page_times[0] * 1000,
        "last_page_ms": page_times[-1] * 1000,
        "last_over_first": page_times[-1] / page_times[0],
        "first_10_median_ms": first[len(first) // 2] * 1000,
        "last_10_median_ms": last[len(last) // 2] * 1000,
        "last_10_over_first_10": last[len(last) // 2] / first[len(first) // 2],
    }

    ceiling = target.load([target.get("/healthz")], connections=32, duration=duration)
    out["ceiling"] = {"rps": ceiling["rps"]}

    ids = [cid for cid, _ in walked]
    read_bodies = [("contacts.get", {"contactIds": [rng.choice(ids)]}) for _ in range(5000)]
    out["_read_requests"] = read_bodies
    reads = [target.rpc(m, b) for m, b in read_bodies]
    peak = target.load(reads, connections=32, duration=duration)
    steady = target.load(reads, connections=64, duration=duration, rate=max(1.0, 0.7 * peak["rps"]))
    out["read"] = {
        "peak_rps": peak["rps"],
        "ratio_to_ceiling": peak["rps"] / ceiling["rps"],
        "at_70pct_rps": steady["rps"],
        "p50_ms": steady["p50_ms"],
        "p99_ms": steady["p99_ms"],
        "non_2xx": peak["non_2xx"] + steady["non_2xx"],
    }

    creates = [
        target.rpc(
            "contacts.create",
            {"contact": {"contactData": {"name": {"givenName": f"New{i}"}, "notes": "benchmark"}}},
        )
        for i in range(2000)
    ]
    one = target.load(creates, connections=1, duration=duration)
    sixteen = target.load(creates, connections=16, duration=duration)
    pool = walked[:]
    rng.shuffle(pool)
    updates = [
        target.rpc(
            "contacts.update",
            {
                "contact": {
                    "contactId": cid,
                    "etag": etag,
                    "contactData": {"name": {"givenName": "Updated"}},
                }
            },
        )
        for cid, etag in pool[:50_000]
    ]
    upd = target.load(updates, connections=16, duration=duration, limit=len(updates))
    out["write"] = {
        "create_rps_1_client": one["rps"],
        "create_rps_16_clients": sixteen["rps"],
        "update_rps_16_clients": upd["rps"],
        "ratio_to_ceiling": sixteen["rps"] / ceiling["rps"],
        "non_2xx": one["non_2xx"] + sixteen["non_2xx"] + upd["non_2xx"],
    }

    queries = [
        target.rpc("contacts.search", {"searchQuery": q, "size": 20})
        for q in search_queries(1000, args.seed)
    ]
    # Each query once from one client (how long a search takes), then again from four at
    # once (what waiting for the others adds: Python runs one request at a time).
    search = target.load(queries, connections=1, duration=max(duration, 120.0), limit=len(queries))
    four = target.load(queries, connections=4, duration=max(duration, 60.0), limit=len(queries))
    out["search"] = {
        "queries": search["requests"],
        "rps": search["rps"],
        "p50_ms": search["p50_ms"],
        "p99_ms": search["p99_ms"],
        "four_clients_p50_ms": four["p50_ms"],
        "four_clients_p99_ms": four["p99_ms"],
        "four_clients_rps": four["rps"],
        "non_2xx": search["non_2xx"] + four["non_2xx"],
        "statuses": search["statuses"],
    }

    mixed_requests: list[bytes] = []
    search_mix = queries[:200]
    for i in range(20_000):
        roll = rng.random()
        if roll < 0.80:
            mixed_requests.append(reads[i % len(reads)])
        elif roll < 0.95:
            mixed_requests.append(creates[i % len(creates)])
        else:
            mixed_requests.append(search_mix[i % len(search_mix)])
    mixed_duration = args.mixed_duration
    sampler = subprocess.Popen(
        [PYTHON, "-c", SAMPLER, str(server.pid), str(mixed_duration)],
        stdout=subprocess.PIPE,
        text=True,
    )
    # First the closed loop's peak (64 clients sending as fast as answers come back);
    # its latencies are queueing behind the other 63, so the latency figures come from
    # the same mix sent open-loop at 70% of that peak, as the reads' are.
    mixed = target.load(mixed_requests, connections=64, duration=mixed_duration)
    peak_rss = float(sampler.communicate()[0].strip() or 0)
    steady_mix = target.load(
        mixed_requests,
        connections=64,
        duration=mixed_duration,
        rate=max(1.0, 0.7 * mixed["rps"]),
    )
    out["mixed"] = {
        "clients": 64,
        "duration_s": mixed_duration,
        "rps": mixed["rps"],
        "closed_loop_p99_ms": mixed["p99_ms"],
        "at_70pct_rps": steady_mix["rps"],
        "p50_ms": steady_mix["p50_ms"],
        "p99_ms": steady_mix["p99_ms"],
        "errors": mixed["errors"] + mixed["non_2xx"] + steady_mix["errors"] + steady_mix["non_2xx"],
        "statuses": mixed["statuses"],
        "at_70pct_statuses": steady_mix["statuses"],
    }
    memory["rss_under_load_mb"] = max(peak_rss, rss_mb(server.pid))
    out["memory"] = memory
    return out


# Samples the server's resident memory during the mixed run, from a process of its own.
SAMPLER = """
import sys, time
from pathlib import Path
pid, seconds = int(sys.argv[1]), float(sys.argv[2])
def rss(p):
    try:
        return sum(int(l.split()[1]) for l in Path(f"/proc/{p}/status").read_text().splitlines() if l.startswith("VmRSS:"))
    except FileNotFoundError:
        return 0
def kids(p):
    try:
        return [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    except FileNotFoundError:
        return []
peak, end = 0, time.time() + seconds
while time.time() < end:
    peak = max(peak, rss(pid) + sum(rss(k) for k in kids(pid)))
    time.sleep(0.2)
print(peak / 1024)
"""


def table(results: dict[str, Any]) -> str:
    ceiling = results["ceiling"]["rps"]

    def fmt(value: Any, unit: str = "") -> str:
        if value is None:
            return "n/a"
        return f"{value:,.1f}{unit}" if isinstance(value, float) else f"{value}{unit}"

    rows = [
        ("ceiling (GET /healthz)", fmt(ceiling, " req/s"), "1.00"),
        (
            "read: contacts.get peak",
            fmt(results["read"]["peak_rps"], " req/s"),
            f"{results['read']['ratio_to_ceiling']:.2f}",
        ),
        (
            "read: p50 / p99 at 70% of peak",
            f"{fmt(results['read']['p50_ms'])} / {fmt(results['read']['p99_ms'])} ms",
            "",
        ),
        (
            "write: create, 1 client",
            fmt(results["write"]["create_rps_1_client"], " req/s"),
            f"{results['write']['create_rps_1_client'] / ceiling:.2f}",
        ),
        (
            "write: create, 16 clients",
            fmt(results["write"]["create_rps_16_clients"], " req/s"),
            f"{results['write']['ratio_to_ceiling']:.2f}",
        ),
        (
            "write: update with etag, 16 clients",
            fmt(results["write"]["update_rps_16_clients"], " req/s"),
            f"{results['write']['update_rps_16_clients'] / ceiling:.2f}",
        ),
        (
            "search: p50 / p99 (1,000 queries, 1 client)",
            f"{fmt(results['search']['p50_ms'])} / {fmt(results['search']['p99_ms'])} ms",
            "",
        ),
        (
            "search: p50 / p99 (the same, 4 clients)",
            f"{fmt(results['search']['four_clients_p50_ms'])}"
            f" / {fmt(results['search']['four_clients_p99_ms'])} ms",
            "",
        ),
        (
            "scroll: size 1000, whole book",
            fmt(results["scroll"]["contacts_per_s"], " contacts/s"),
            "",
        ),
        ("scroll: last page / first page", f"{results['scroll']['last_over_first']:.2f}", ""),
        (
            "scroll: last 10 / first 10 (medians)",
            f"{results['scroll']['last_10_over_first_10']:.2f}",
            "",
        ),
        (
            "import (rolodex import)",
            fmt(results["import"]["contacts_per_s"], " contacts/s"),
            f"{results['import']['ratio_to_raw']:.2f} of raw",
        ),
        ("import: raw batched insert", fmt(results["import"]["raw_insert_per_s"], " rows/s"), ""),
        (
            "memory: RSS idle / under load",
            f"{fmt(results['memory']['rss_idle_mb'])} / {fmt(results['memory']['rss_under_load_mb'])} MB",
            "",
        ),
        ("memory: database bytes per contact", fmt(results["memory"]["db_bytes_per_contact"]), ""),
        (
            "mixed: 64 clients 80/15/5, peak",
            fmt(results["mixed"]["rps"], " req/s"),
            f"{results['mixed']['rps'] / ceiling:.2f}",
        ),
        (
            "mixed: p50 / p99 at 70% of peak / errors",
            f"{fmt(results['mixed']['p50_ms'])} / {fmt(results['mixed']['p99_ms'])} ms"
            f" / {results['mixed']['errors']}",
            "",
        ),
    ]
    if "access_log" in results:
        cost = results["access_log"]
        rows[2:2] = [
            (
                "access log off: ceiling (GET /healthz)",
                fmt(cost["off_ceiling_rps"], " req/s"),
                f"log on: {cost['ceiling_on_over_off']:.2f} of off",
            ),
            (
                "access log off: contacts.get peak",
                fmt(cost["off_read_peak_rps"], " req/s"),
                f"log on: {cost['read_on_over_off']:.2f} of off",
            ),
        ]
    if "two_processes" in results:
        rows.append(
            (
                "two server processes: read",
                fmt(results["two_processes"]["read_rps"], " req/s"),
                f"{results['two_processes']['vs_one']:.2f}x one",
            )
        )
    width = max(len(r[0]) for r in rows)
    lines = [f"Rolodex benchmark: {results['store']}, {results['contacts']:,} contacts", ""]
    if "access_log" in results:
        state = "on (the default)" if results["access_log"]["on_in_main_run"] else "off"
        lines[1:1] = [
            f"access log {state}, to a file: {results['access_log']['lines_written']:,} lines;"
            " rate limits off: one load generator is one client address"
        ]
    lines.append(f"| {'figure'.ljust(width)} | value | ratio to ceiling |")
    lines.append(f"|{'-' * (width + 2)}|---|---|")
    lines.extend(f"| {name.ljust(width)} | {value} | {ratio} |" for name, value, ratio in rows)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=list(SCALES), default="tiny")
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per load phase")
    parser.add_argument(
        "--mixed-duration", type=float, default=60.0, help="seconds of the mixed run"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    results = measure(args)
    out = args.out or ROOT / "results" / f"{args.store}-{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
