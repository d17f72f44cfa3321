"""The import and export bench (issue 22): each export format, through the CLI and over HTTP,
and a vCard import against a JSON-lines import of the same contacts.

    python -m bench.transfer --size 1000000 --stores sqlite
    python -m bench.transfer --size 100000 --stores sqlite,postgresql --import-size 100000

For each store: the generated contacts (bench/generate.py, cached in bench/results/cache/
as bench.run caches them) are imported into a fresh book with `rolodex import`. Then:

- export: `rolodex export --format F --out FILE` for each format, timed from start to
  exit, with the process's CPU time and peak RSS (from `wait4`); then
  `GET /v1/contacts/export?format=F` from a `rolodex serve` process, read to the end
  by this process, timed, with the server's RSS sampled every 50 ms (its peak, and its
  RSS before the first export: memory is flat when the peak does not grow with the
  size). `--no-photos` is not used: the generated contacts have no photos.
- import: the first `--import-size` contacts as plain JSON lines and the same contacts
  as vCard 4.0 (the CLI's own export of them), each imported by `rolodex import` into
  an account of its own: wall time, CPU time (workers included) and peak RSS.

The machine's load average is recorded before each figure: on a shared machine, compare
the ratios of figures taken at the same load. Prints a table; writes JSON to
`bench/results/transfer-<size>.json` (or `--out`).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.generate import write_jsonl
from bench.run import POSTGRES, free_port, start_server, stop

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable
FORMATS = ("vcard", "vcard3", "google-csv", "outlook-csv", "jsonl")
STORES = ("sqlite", "postgresql")


def load() -> float:
    return round(os.getloadavg()[0], 2)


def cached_contacts(size: int, seed: int) -> Path:
    cache = ROOT / "results" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    source = cache / f"contacts-{size}-seed{seed}.jsonl"
    if not source.exists():
        write_jsonl(str(source), size, seed)
    return source


def timed(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run `rolodex ARGS` to its end: wall seconds, CPU seconds (its reaped workers
    included) and peak RSS, from `wait4`; its standard output as text."""
    before = load()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [PYTHON, "-m", "rolodex.cli", *args], env=env, stdout=subprocess.PIPE, stderr=errors
        )
        assert proc.stdout is not None
        out = proc.stdout.read()
        # `wait4`, not `wait`: the child's own CPU time and peak RSS.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"rolodex {' '.join(args[:2])} failed: {errors.read()[-2000:]!r}")
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "load": before,
        "stdout": out.decode(),
    }


class RssSampler:
    """A process's RSS every 50 ms, in a thread: its peak over the sampled time."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self.now())

    @contextmanager
    def sampling(self) -> Any:
        self.peak = self.now()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._stop.clear()
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


def cli_exports(
    env: dict[str, str], email: str, formats: list[str], size: int, work: Path
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # What starting the CLI costs (an export of an empty account): taken off the CPU rate.
    empty = timed(["export", "--email", "empty@example.com", "--format", "jsonl", "--quiet"], env)
    out["startup_cpu_s"] = empty["cpu_s"]
    for fmt in formats:
        target = work / f"export.{fmt}"
        found = timed(
            ["export", "--email", email, "--format", fmt, "--out", str(target), "--quiet"], env
        )
        found.pop("stdout")
        found["bytes"] = target.stat().st_size
        found["contacts_per_s"] = round(size / found["wall_s"])
        found["contacts_per_cpu_s"] = round(size / max(found["cpu_s"] - empty["cpu_s"], 1e-3))
        out[fmt] = found
        print(f"  cli export {fmt}: {found}", file=sys.stderr)
    return out


def http_exports(
    env: dict[str, str], email: str, formats: list[str], size: int, work: Path
) -> dict[str, Any]:
    key = json.loads(timed(["api-keys", "create", "--email", email], env)["stdout"])["api_key"]
    port = free_port()
    server = start_server(env, port, work / "server.log")
    out: dict[str, Any] = {}
    try:
        sampler = RssSampler(server.pid)
        out["server_rss_idle_mb"] = round(sampler.now(), 1)
        with httpx.Client(timeout=600) as client:
            for fmt in formats:
                before = load()
                received = 0
                with sampler.sampling():
                    started = time.perf_counter()
                    with client.stream(
                        "GET",
                        f"http://127.0.0.1:{port}/v1/contacts/export?format={fmt}",
                        headers={"x-api-key": key},
                    ) as response:
                        if response.status_code != 200:
                            raise RuntimeError(f"export {fmt}: {response.status_code}")
                        for chunk in response.iter_raw(1 << 20):
                            received += len(chunk)
                    wall = time.perf_counter() - started
                out[fmt] = {
                    "wall_s": round(wall, 3),
                    "contacts_per_s": round(size / wall),
                    "bytes": received,
                    "server_peak_rss_mb": round(sampler.peak, 1),
                    "load": before,
                }
                print(f"  http export {fmt}: {out[fmt]}", file=sys.stderr)
    finally:
        stop(server)
    return out


def imports(env: dict[str, str], source: Path, size: int, work: Path) -> dict[str, Any]:
    """The same contacts as plain JSON lines and as vCard 4.0, each into a new account."""
    jsonl = work / "import.jsonl"
    with source.open("rb") as whole, jsonl.open("wb") as part:
        for _, line in zip(range(size), whole, strict=False):
            part.write(line)
    for email in ("lines@example.com", "cards@example.com"):
        timed(["accounts", "create", "--email", email, "--password", "bench-password"], env)
    timed(["import", str(jsonl), "--email", "lines@example.com", "--quiet"], env)
    cards = work / "import.vcf"
    timed(
        ["export", "--email", "lines@example.com", "--format", "vcard", "--out", str(cards)],
        env,
    )
    for email in ("lines2@example.com", "cards2@example.com"):
        timed(["accounts", "create", "--email", email, "--password", "bench-password"], env)
    out: dict[str, Any] = {"contacts": size}
    for name, path, email in (
        ("jsonl", jsonl, "lines2@example.com"),
        ("vcard", cards, "cards2@example.com"),
    ):
        found = timed(["import", str(path), "--email", email, "--quiet"], env)
        summary = json.loads(found.pop("stdout"))
        if summary["created"] != size:
            raise RuntimeError(f"import {name}: {summary}")
        found["contacts_per_s"] = round(size / found["wall_s"])
        found["bytes"] = path.stat().st_size
        out[name] = found
        print(f"  import {name}: {found}", file=sys.stderr)
    out["vcard_over_jsonl_time"] = round(out["vcard"]["wall_s"] / out["jsonl"]["wall_s"], 2)
    return out


@contextmanager
def book(store: str, source: Path) -> Any:
    """A fresh store holding the generated contacts for `bench@example.com`."""
    work = Path(tempfile.mkdtemp(prefix="rolodex-transfer-"))
    env = {
        **os.environ,
        "ROLODEX_DATA_DIR": str(work / "data"),
        "ROLODEX_WEBHOOK_WORKER": "false",
        "ROLODEX_RATE_LIMIT_ENABLED": "false",
    }
    schema = None
    if store == "postgresql":
        import psycopg

        schema = "bench_" + secrets.token_hex(4)
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        env["ROLODEX_DATABASE_URL"] = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        for email in ("bench@example.com", "empty@example.com"):
            timed(["accounts", "create", "--email", email, "--password", "bench-password"], env)
        timed(["import", str(source), "--email", "bench@example.com", "--quiet"], env)
        yield env, work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if schema:
            import psycopg

            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


def measure(args: argparse.Namespace) -> dict[str, Any]:
    formats = args.formats.split(",")
    results: dict[str, Any] = {"size": args.size, "import_size": args.import_size, "stores": {}}
    source = cached_contacts(args.size, args.seed)
    for store in args.stores.split(","):
        print(f"{store}: {args.size} contacts", file=sys.stderr)
        with book(store, source) as (env, work):
            found: dict[str, Any] = {}
            found["cli_export"] = cli_exports(env, "bench@example.com", formats, args.size, work)
            found["http_export"] = http_exports(env, "bench@example.com", formats, args.size, work)
            if args.import_size:
                found["import"] = imports(env, source, min(args.import_size, args.size), work)
            results["stores"][store] = found
    return results


def table(results: dict[str, Any]) -> str:
    lines = [
        "| store | figure | format | contacts/s | CPU rate | peak RSS MB | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for store, found in results["stores"].items():
        for fmt, cli in found["cli_export"].items():
            if isinstance(cli, dict):
                lines.append(
                    f"| {store} | CLI export of {results['size']:,} | {fmt} |"
                    f" {cli['contacts_per_s']:,} | {cli['contacts_per_cpu_s']:,} |"
                    f" {cli['peak_rss_mb']} | {cli['load']} |"
                )
        for fmt, http in found["http_export"].items():
            if isinstance(http, dict):
                lines.append(
                    f"| {store} | GET /v1/contacts/export of {results['size']:,} | {fmt} |"
                    f" {http['contacts_per_s']:,} | | server {http['server_peak_rss_mb']}"
                    f" (idle {found['http_export']['server_rss_idle_mb']}) | {http['load']} |"
                )
        imported = found.get("import")
        if imported:
            for fmt in ("jsonl", "vcard"):
                row = imported[fmt]
                lines.append(
                    f"| {store} | import of {imported['contacts']:,} | {fmt} |"
                    f" {row['contacts_per_s']:,} | CPU {row['cpu_s']} s | {row['peak_rss_mb']} |"
                    f" {row['load']} |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000, help="contacts exported")
    parser.add_argument("--stores", default="sqlite", help=f"comma-separated: {', '.join(STORES)}")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument(
        "--import-size", type=int, default=100_000, help="contacts imported (0: no import)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    results = measure(args)
    out = args.out or ROOT / "results" / f"transfer-{args.size}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
