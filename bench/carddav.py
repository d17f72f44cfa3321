"""One CardDAV workload against Rolodex and Radicale 3.9, on the same cards, in one run.

    python -m bench.carddav --size 10000                  # both servers, ratios (issue 23)
    python -m bench.carddav --size 2000 --only radicale   # one server
    python -m bench.carddav --scale --size 1000000        # Rolodex alone: sync p99, RSS
    python -m bench.carddav --scale --size 1000000 --store-dir /work/data/dav1m  # kept, reused

Both books hold the same generated cards (bench/generate.py, seeded, as vCard 3.0). They
are filled without HTTP: Radicale's through its storage folder (one .vcf per card, as its
own PUT slows with the book's size), Rolodex's with `rolodex import`. Each server then runs
alone and gets one unmeasured PROPFIND Depth 1 (caches warm, as on a server that has been
running), then only the measured requests, over one kept-alive connection (httpx): PROPFIND
Depth 1, addressbook-multiget of 1,000, initial sync-collection, PUT of new cards into the
full book, incremental sync of 10 changes (the changes made unmeasured just before), and
addressbook-query for FN containing a surname. Medians; the ratio is Radicale's time over
Rolodex's. Radicale is installed in its own venv (bench/radicale.py), never in Rolodex's.

`--store-dir DIR` keeps Rolodex's store in DIR (`DIR/rolodex`, and `DIR/store.json` naming
its size, seed, account and surname, written last, once the import finished) and reuses it
on later runs of the same size and seed: a million cards take most of an hour to import.
A reused store has every earlier run's PUT cards and edits too (each run names its PUT
cards afresh), and is migrated by the server to the code's head when it starts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.carddav_requests import (
    Book,
    cards,
    member_hrefs,
    multiget,
    query_fn_contains,
    sync_collection,
    sync_token,
    vcard,
)
from bench.generate import contacts
from bench.radicale import RADICALE_VERSION, fill_book, running_radicale
from bench.run import free_port, rss_mb, start_server, stop

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable
EMAIL = "bench@example.com"
PASSWORD = "bench-password-1"
# Issue 23's goals at 10k cards, as Radicale's time over Rolodex's in the same run.
GOALS = {
    "put": 300,
    "propfind": 20,
    "multiget": 5,
    "initial_sync": 20,
    "incremental_sync": 50,
    "query": 100,
}
LABELS = {
    "propfind": "PROPFIND Depth 1 (whole book)",
    "multiget": "addressbook-multiget of 1,000",
    "initial_sync": "sync-collection, initial",
    "put": "PUT a new card into the full book",
    "incremental_sync": "sync-collection, 10 changes",
    "query": "addressbook-query FN contains a surname",
}


class RssPeak:
    """The largest resident size of a server (and its children) while the workload runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = rss_mb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def unfolded(card: str) -> list[str]:
    return re.sub(r"\r?\n[ \t]", "", card).splitlines()


def change(book: Book, href: str, mark: str) -> None:
    """Edit one card as a client does (GET, new NOTE, PUT with If-Match); not measured."""
    got = book.get(href)
    lines = [line for line in unfolded(got.text) if not line.upper().startswith("NOTE")]
    lines.insert(len(lines) - 1, f"NOTE:changed by the benchmark in {mark}")
    book.put(href, "\r\n".join([*lines, ""]), **{"If-Match": got.headers["etag"]})


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def incremental_syncs(book: Book, hrefs: list[str], token: str, rounds: int) -> list[float]:
    """`rounds` times: change 10 cards, then time the sync from the last token."""
    rng = random.Random(11)
    took = []
    for round_ in range(rounds):
        for href in rng.sample(hrefs, 10):
            change(book, href, f"round {round_}")
        seconds, answer = book.report(sync_collection(token))
        changed = set(member_hrefs(answer.content))
        if len(changed) != 10:
            raise RuntimeError(f"incremental sync answered {len(changed)} cards, not 10")
        token = sync_token(answer.content)
        took.append(seconds)
    return took


def progress(out: dict[str, Any], key: str) -> None:
    """Each figure on stderr as it is measured: a run at a million cards takes a while."""
    print(f"{time.strftime('%H:%M:%S')} {key}: {out[key]}", file=sys.stderr, flush=True)


def workload(book: Book, args: argparse.Namespace, surname: str) -> dict[str, Any]:
    """Every figure, in seconds (medians), with the counts that show the answers were whole."""
    rng = random.Random(args.seed)
    repeat = range(args.repeat)
    book.propfind()  # warm-up, unmeasured
    listed = [book.propfind() for _ in repeat]
    hrefs = member_hrefs(listed[-1][1].content)
    out: dict[str, Any] = {"cards": len(hrefs), "propfind": median([t for t, _ in listed])}
    progress(out, "propfind")
    if not args.scale:
        chosen = rng.sample(hrefs, min(1000, len(hrefs)))
        got = [book.report(multiget(chosen)) for _ in repeat]
        if len(member_hrefs(got[-1][1].content)) != len(chosen):
            raise RuntimeError("the multiget did not answer every card asked")
        out["multiget"] = median([t for t, _ in got])
    first = [book.report(sync_collection("")) for _ in repeat]
    out["initial_sync"] = median([t for t, _ in first])
    progress(out, "initial_sync")
    token = sync_token(first[-1][1].content)
    new = list(contacts(args.puts, args.seed + 1))
    run = os.urandom(4).hex()  # a kept store has the PUT cards of earlier runs
    out["put"] = median(
        [
            book.put(
                f"{book.path}bench-put-{run}-{i}.vcf",
                vcard(d, f"bench-put-{run}-{i}"),
                **{"If-None-Match": "*"},
            )
            for i, d in enumerate(new)
        ]
    )
    progress(out, "put")
    token = sync_token(book.report(sync_collection(token))[1].content)  # catch up, unmeasured
    syncs = incremental_syncs(book, hrefs, token, args.rounds)
    out["incremental_sync"] = median(syncs)
    out["incremental_sync_p99"] = p99(syncs)
    progress(out, "incremental_sync_p99")
    if not args.scale:
        queried = [book.report(query_fn_contains(surname)) for _ in repeat]
        out["query"] = median([t for t, _ in queried])
        out["query_matches"] = len(member_hrefs(queried[-1][1].content))
    return out


def write_cards(work: Path, size: int, seed: int) -> tuple[Path, str]:
    """All cards in one .vcf (for `rolodex import`) and the surname of the first contact."""
    path = work / "cards.vcf"
    surname = ""
    with path.open("w", encoding="utf-8", newline="") as out:
        for _uid, card, data in cards(size, seed):
            surname = surname or data["name"]["familyName"]
            out.write(card)
    return path, surname


def basic_password(env: dict[str, str]) -> str:
    """An app password when `rolodex app-passwords` exists; else the account's password
    (accepted over Basic with ROLODEX_CARDDAV_ALLOW_ACCOUNT_PASSWORD=true)."""
    made = subprocess.run(
        [
            PYTHON,
            "-m",
            "rolodex.cli",
            "app-passwords",
            "create",
            "--email",
            EMAIL,
            "--name",
            "bench",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    return str(json.loads(made.stdout)["password"]) if made.returncode == 0 else PASSWORD


def rolodex_env(store: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ROLODEX_DATA_DIR": str(store / "rolodex"),
        "ROLODEX_WEBHOOK_WORKER": "false",
        "ROLODEX_RATE_LIMIT_ENABLED": "false",
        "ROLODEX_CARDDAV_ALLOW_ACCOUNT_PASSWORD": "true",
    }


def fill_rolodex(store: Path, source: Path) -> str:
    """An account with the cards of `source` imported, in `store`; its id."""
    env = rolodex_env(store)
    cli = [PYTHON, "-m", "rolodex.cli"]
    made = subprocess.run(
        [*cli, "accounts", "create", "--email", EMAIL, "--password", PASSWORD],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    account = str(json.loads(made.stdout)["accountId"])
    subprocess.run(
        [*cli, "import", str(source), "--email", EMAIL, "--quiet"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return account


def kept_store(store: Path, size: int, seed: int) -> dict[str, Any]:
    """The store kept in `store` for this size and seed, filled first when it is new.

    `store.json` is written last: a store without it (an import cut short) is refused
    rather than measured half full.
    """
    marker = store / "store.json"
    if marker.exists():
        kept: dict[str, Any] = json.loads(marker.read_text())
        if (kept["size"], kept["seed"]) != (size, seed):
            raise SystemExit(
                f"{store} holds {kept['size']:,} cards of seed {kept['seed']}, not {size:,} of"
                f" seed {seed}: use another --store-dir"
            )
        print(f"rolodex: reusing the store in {store}", file=sys.stderr)
        return kept
    if (store / "rolodex").exists():
        raise SystemExit(f"{store}/rolodex exists without store.json (an unfinished fill)")
    store.mkdir(parents=True, exist_ok=True)
    source, surname = write_cards(store, size, seed)
    account = fill_rolodex(store, source)
    source.unlink()
    kept = {"size": size, "seed": seed, "account": account, "surname": surname}
    marker.write_text(json.dumps(kept, indent=2))
    return kept


@contextmanager
def rolodex_book(store: Path, account: str) -> Iterator[tuple[Book, int]]:
    env = rolodex_env(store)
    port = free_port()
    server = start_server(env, port, store / "rolodex.log")
    try:
        base = f"http://127.0.0.1:{port}"
        if httpx.get(f"{base}/.well-known/carddav").status_code == 404:
            raise SystemExit(
                "Rolodex has no CardDAV server yet (/.well-known/carddav is a 404): use --only radicale"
            )
        book = Book(base, f"/dav/books/{account}/default/", EMAIL, basic_password(env))
        yield book, server.pid
        book.close()
    finally:
        stop(server)


@contextmanager
def radicale_book(work: Path, size: int, seed: int) -> Iterator[tuple[Book, int]]:
    with running_radicale(work / "radicale") as radicale:
        files = ((f"{uid}.vcf", card.encode()) for uid, card, _ in cards(size, seed))
        fill_book(radicale.storage, "bench", "contacts", files)
        book = Book(radicale.base, "/bench/contacts/", "bench", "any")
        yield book, radicale.pid
        book.close()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="rolodex-carddav-bench-"))
    rolodex: Callable[[], Any]
    if args.store_dir is not None:
        kept = kept_store(args.store_dir, args.size, args.seed)
        surname = str(kept["surname"])
        rolodex = lambda: rolodex_book(args.store_dir, str(kept["account"]))  # noqa: E731
    else:
        source, surname = write_cards(work, args.size, args.seed)
        rolodex = lambda: rolodex_book(work, fill_rolodex(work, source))  # noqa: E731
    servers: dict[str, Callable[[], Any]] = {
        "radicale": lambda: radicale_book(work, args.size, args.seed),
        "rolodex": rolodex,
    }
    wanted = ["rolodex"] if args.scale else [args.only] if args.only else ["radicale", "rolodex"]
    results: dict[str, Any] = {"size": args.size, "seed": args.seed, "surname": surname}
    for name in wanted:
        with servers[name]() as (book, pid):
            rest = rss_mb(pid)
            with RssPeak(pid) as peak:
                figures = workload(book, args, surname)
            results[name] = {**figures, "rss_mb_at_rest": rest, "rss_mb_peak": peak.peak}
        print(f"{name}: done", file=sys.stderr)
    return results


def table(results: dict[str, Any]) -> str:
    names = [n for n in ("radicale", "rolodex") if n in results]
    heads = {"radicale": f"Radicale {RADICALE_VERSION}", "rolodex": "Rolodex"}
    both = len(names) == 2
    rows = [
        "| operation | "
        + " | ".join(heads[n] for n in names)
        + (" | ratio | goal |" if both else " |"),
        "|---" * (len(names) + 1 + (2 if both else 0)) + "|",
    ]
    for key, label in LABELS.items():
        if not all(key in results[n] for n in names):
            continue
        cells = [f"{results[n][key] * 1000:,.1f} ms" for n in names]
        if both:
            ratio = results["radicale"][key] / results["rolodex"][key]
            cells += [f"{ratio:,.0f}x", f">= {GOALS[key]}x"]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    for key, label in (
        ("cards", "cards listed by the PROPFIND"),
        ("query_matches", "cards the query matched"),
        ("incremental_sync_p99", "sync-collection, 10 changes, p99 (ms)"),
        ("rss_mb_at_rest", "server RSS at rest (MB)"),
        ("rss_mb_peak", "server RSS peak during the run (MB)"),
    ):
        if not all(key in results[n] for n in names):
            continue
        unit = 1000 if key.startswith("incremental") else 1
        cells = [f"{results[n][key] * unit:,.1f}".removesuffix(".0") for n in names]
        rows.append(f"| {label} | " + " | ".join(cells) + (" | | |" if both else " |"))
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10_000, help="cards in the book")
    parser.add_argument("--only", choices=["rolodex", "radicale"], default=None)
    parser.add_argument(
        "--scale", action="store_true", help="Rolodex alone: PROPFIND, syncs (p99), PUT, RSS"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each large request")
    parser.add_argument("--puts", type=int, default=20, help="PUTs of new cards timed")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="incremental syncs timed (default 5; 200 with --scale)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--store-dir",
        type=Path,
        default=None,
        help="keep Rolodex's store here and reuse it on later runs of this size and seed",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.size < 20:
        parser.error("--size: at least 20 cards (each incremental sync changes 10 of them)")
    if args.rounds is None:
        args.rounds = 200 if args.scale else 5
    if args.scale:
        args.repeat = 1
    results = measure(args)
    out = args.out or ROOT / "results" / f"carddav-{args.size}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(
        f"CardDAV, {args.size:,} cards (seed {args.seed}); medians; FN contains {results['surname']!r}"
    )
    print(table(results))


if __name__ == "__main__":
    main()
