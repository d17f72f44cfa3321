"""Duplicates: quality against known truth, and the speed of finding them.

    python -m bench.duplicates --count 100000 --seed 11
    python -m bench.duplicates --count 1000000 --seed 11 --checks 2000

Writes a book with injected duplicates (bench/duplicate_books.py), imports it into a
fresh SQLite store (or `--postgres URL`) through the bulk importer, then: scans the
whole book in a separate process (its time and peak RSS: the scan alone), scores the
groups against the truth pairwise (precision, recall, F1 at the default score), and
checks `--checks` new contacts one by one against the book (p50 / p99). Prints JSON.
Tune on one seed, report another: the figures in docs/benchmarks.md use seed 11, the
weights were set on seed 5.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from bench.duplicate_books import book, duplicate
from rolodex.contacts.importer import ContactImporter, default_workers
from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.store.schema import contacts as contacts_table


def services_for(data_dir: Path, postgres: str | None) -> Services:
    return Services.build(Settings(data_dir=data_dir, database_url=postgres))


def write_book(path: Path, count: int, seed: int, sample: int) -> tuple[list[int], list[Any]]:
    """The book as JSON lines; each line's entity; a sample of records to re-check."""
    entities: list[int] = []
    kept: list[Any] = []
    rng = random.Random(seed + 1)
    with path.open("wb") as out:
        for n, (entity, data) in enumerate(book(count, seed)):
            out.write(orjson.dumps(data) + b"\n")
            entities.append(entity)
            if len(kept) < sample:
                kept.append(data)
            elif rng.randrange(n + 1) < sample:
                kept[rng.randrange(sample)] = data
    return entities, kept


def sample_of(path: Path, seed: int, sample: int) -> list[Any]:
    """The records `write_book` kept to re-check, read back from a kept book's file."""
    kept: list[Any] = []
    rng = random.Random(seed + 1)
    with path.open("rb") as lines:
        for n, line in enumerate(lines):
            if len(kept) < sample:
                kept.append(orjson.loads(line))
            elif rng.randrange(n + 1) < sample:
                kept[rng.randrange(sample)] = orjson.loads(line)
    return kept


def true_pairs(entities: list[int], ids: list[str]) -> set[tuple[str, str]]:
    members: dict[int, list[str]] = {}
    for entity, contact_id in zip(entities, ids, strict=True):
        members.setdefault(entity, []).append(contact_id)
    return {
        (a, b) if a < b else (b, a) for group in members.values() for a, b in combinations(group, 2)
    }


def quality(groups: list[list[str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    found = {(a, b) if a < b else (b, a) for g in groups for a, b in combinations(g, 2)}
    right = len(found & truth)
    precision = right / len(found) if found else 1.0
    recall = right / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs_true": len(truth),
        "pairs_found": len(found),
        "pairs_right": right,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def scan(data_dir: Path, postgres: str | None, owner: str) -> dict[str, Any]:
    """The full scan, in this (fresh) process: its time and peak RSS.

    The groups are read one at a time as the scan streams them and written to
    `groups.jsonl` in `data_dir` (their contact ids, a line each), so that the process's
    memory is the scan's, not that of a list of every group.
    """
    services = services_for(data_dir, postgres)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    count = 0
    with (data_dir / "groups.jsonl").open("wb") as out:
        for found in services.duplicates.stream(owner):
            out.write(orjson.dumps(found.contact_ids) + b"\n")
            count += 1
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    services.close()
    return {
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before / 1024, 1),
        "peak_rss_mb": round(peak / 1024, 1),
        "groups": count,
    }


def checks(services: Services, owner: str, sample: list[Any], seed: int) -> dict[str, Any]:
    """One new contact at a time against the book: half are new records of people in it."""
    rng = random.Random(seed + 2)
    timings: list[float] = []
    hits = 0
    for data in sample:
        probe = duplicate(data, rng) if rng.random() < 0.5 else data
        started = time.perf_counter()
        found = services.duplicates.check(owner, probe)
        timings.append(time.perf_counter() - started)
        hits += bool(found)
    timings.sort()

    def at(q: float) -> float:
        return round(1000 * timings[min(len(timings) - 1, int(q * len(timings)))], 2)

    return {"count": len(timings), "p50_ms": at(0.5), "p99_ms": at(0.99), "with_matches": hits}


def measure(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    source = tmp / "book.jsonl"
    entities, sample = write_book(source, args.count, args.seed, args.checks)
    services = services_for(tmp, args.postgres)
    account = services.accounts.create(
        f"bench-{time.time_ns()}@example.com", "a long password", "Bench"
    )
    owner = account.account_id
    started = time.perf_counter()
    ContactImporter(services.store, services.contacts).run(owner, source, workers=default_workers())
    imported = time.perf_counter() - started
    if args.import_only:
        services.close()
        return {"count": args.count, "owner": owner, "import_seconds": round(imported)}
    with services.store.read() as conn:
        ids = list(
            conn.execute(
                select(contacts_table.c.contact_id)
                .where(contacts_table.c.owner_id == owner)
                .order_by(contacts_table.c.pk)
            ).scalars()
        )
    done = subprocess.run(
        [sys.executable, "-m", "bench.duplicates", "--scan", str(tmp), "--owner", owner]
        + (["--postgres", args.postgres] if args.postgres else []),
        capture_output=True,
        check=True,
    )
    scanned = orjson.loads(done.stdout)
    with (tmp / "groups.jsonl").open("rb") as lines:
        groups = [orjson.loads(line) for line in lines]
    result = {
        "count": len(ids),
        "seed": args.seed,
        "store": "postgres" if args.postgres else "sqlite",
        "import_contacts_per_s": round(len(ids) / imported),
        "scan": scanned,
        "quality": quality(groups, true_pairs(entities, ids)),
        "check": checks(services, owner, sample, args.seed),
    }
    services.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument(
        "--data", type=Path, default=None, help="keep the book and store in this directory"
    )
    parser.add_argument(
        "--import-only", action="store_true", help="stop after the import (then --scan DIR)"
    )
    parser.add_argument(
        "--scan", type=Path, default=None, help="scan the book in DIR (with --owner) and stop"
    )
    parser.add_argument(
        "--check", type=Path, default=None, help="time --checks probes of the book in DIR"
    )
    parser.add_argument("--owner", default=None, help="the owner of the book to --scan/--check")
    args = parser.parse_args()
    if args.scan is not None:
        sys.stdout.buffer.write(orjson.dumps(scan(args.scan, args.postgres, args.owner)))
        return
    if args.check is not None:
        services = services_for(args.check, args.postgres)
        sample = sample_of(args.check / "book.jsonl", args.seed, args.checks)
        print(json.dumps(checks(services, args.owner, sample, args.seed)))
        services.close()
        return
    if args.data is not None:
        args.data.mkdir(parents=True, exist_ok=True)
        print(json.dumps(measure(args, args.data), indent=2))
        return
    with tempfile.TemporaryDirectory(prefix="rolodex-dups-") as tmp:
        print(json.dumps(measure(args, Path(tmp)), indent=2))


if __name__ == "__main__":
    main()
