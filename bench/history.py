"""What keeping history costs, and how fast it reads and undoes (issue 24).

    python -m bench.history [--postgres URL] [--contacts N]

In one process on a fresh store (SQLite in a temporary folder, or a fresh schema of the
PostgreSQL database at URL), with realistic contacts (`bench/generate.py`, seed 7):

- the bulk write rate (`create_many_in` of prepared contacts, batches of 1,000, the
  import's writer, as an API key, so each version row names a credential and goes into
  every index of `contact_versions`; the best batch of each side, alternating) and the single-update rate
  (`ContactService.modify`), with history on and off;
- reading the history of a contact with 100 versions (`HistoryService.history`, size 100);
- the bytes a version holds (its stored columns, on average, over the updates above);
- undoing one client's deletion of `--contacts` contacts (`undo_credential` by credential
  id), per second of wall time, with the process's CPU time beside it.

Figures go in docs/benchmarks.md with the command that produced them.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

from bench.generate import contacts as generated
from rolodex.actors import API_KEY, Actor, acting_as
from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import prepare
from rolodex.contacts.versions import CREATED, VersionKeeper
from rolodex.services import Services
from rolodex.settings import HistorySettings, Settings, normalise_database_url
from rolodex.store.schema import contact_versions

BATCH = 1000
SCHEMA = f"bench_history_{secrets.token_hex(4)}"


def _services(postgres: str | None, tmp: Path) -> Services:
    if postgres is None:
        return Services.build(Settings(data_dir=tmp, history=HistorySettings(guard=False)))
    with create_engine(normalise_database_url(postgres)).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    url = f"{postgres}?options=-csearch_path%3D{SCHEMA}"
    return Services.build(Settings(database_url=url, history=HistorySettings(guard=False)))


def _drop_schema(postgres: str) -> None:
    with create_engine(normalise_database_url(postgres)).begin() as conn:
        conn.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))


def _owner(services: Services) -> str:
    email = f"{secrets.token_hex(6)}@example.com"
    return services.accounts.create(email, "correct horse battery", "Bench").account_id


def _bulk_rates(services: Services, count: int) -> tuple[float, float]:
    """(off, on): batches of 1,000 prepared contacts (the import's writer), history off and
    on in turn, each side's best batch: on a shared, busy machine the best is the least
    disturbed, and alternating gives both sides the same disturbances."""
    owner = _owner(services)
    region = phones.default_region()
    dialect = services.store.engine.dialect.name
    prepared = [prepare(dialect, owner, d, region) for d in generated(count, 7)]
    keeper = services.contacts.versions
    best = {False: float("inf"), True: float("inf")}
    with acting_as(_importer(owner)):
        _alternate(services, owner, prepared, best)
    services.contacts.versions = keeper
    return 1 / best[False], 1 / best[True]


def _importer(owner: str) -> Actor:
    return Actor(kind=API_KEY, name="bench import", account_id=owner, credential_id="cr_import")


def _alternate(
    services: Services, owner: str, prepared: list[Any], best: dict[bool, float]
) -> None:
    keeper = services.contacts.versions
    count = len(prepared)
    for start in range(0, count, BATCH):
        on = (start // BATCH) % 2 == 1
        services.contacts.versions = keeper if on else None
        batch = prepared[start : start + BATCH]
        started = time.perf_counter()
        with services.store.write(owner_id=owner) as conn:
            services.contacts.create_many_in(conn, owner, [p.data_json for p in batch], batch)
        best[on] = min(best[on], (time.perf_counter() - started) / len(batch))


def _recording_ms(services: Services) -> float:
    """The history's own part of a 1,000-contact batch: recording its creations alone
    (in a write transaction, rolled back), best of 30 in milliseconds."""
    keeper = services.contacts.versions
    assert keeper is not None
    owner = _owner(services)
    batch = [Contact(0, f"c_bench{n}", owner, f"e{n}", 1, 1, None, {}, {}) for n in range(BATCH)]
    best = float("inf")
    for _ in range(30):
        with (
            acting_as(_importer(owner)),
            services.store.engine.connect() as conn,
            conn.begin() as transaction,
        ):
            started = time.perf_counter()
            keeper.kept(conn, CREATED, [(c, None) for c in batch])
            best = min(best, time.perf_counter() - started)
            transaction.rollback()
    return best * 1000


def _update_rate(services: Services, count: int) -> float:
    owner = _owner(services)
    contact = services.contacts.create(owner, {"notes": "0"})
    started = time.perf_counter()
    for n in range(count):

        def change(c: Contact, n: int = n) -> None:
            c.data = {**c.data, "notes": str(n)}

        services.contacts.modify(owner, contact.contact_id, change, expected_etag=None)
    return count / (time.perf_counter() - started)


def _both(
    services: Services, measure: Callable[[Services, int], float], count: int
) -> tuple[float, float]:
    """(off, on): history off first, then on, twice each, the better of each kept."""
    keeper: VersionKeeper | None = services.contacts.versions
    runs: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(2):
        for on in (False, True):
            services.contacts.versions = keeper if on else None
            runs[on].append(measure(services, count))
    services.contacts.versions = keeper
    return max(runs[False]), max(runs[True])


def _history_read_ms(services: Services) -> float:
    owner = _owner(services)
    [data] = list(generated(1, 11))
    contact = services.contacts.create(owner, data)
    for n in range(100):

        def change(c: Contact, n: int = n) -> None:
            c.data = {**c.data, "notes": f"version {n}"}

        services.contacts.modify(owner, contact.contact_id, change, expected_etag=None)
    times = []
    for _ in range(50):
        started = time.perf_counter()
        page = services.history.history(owner, contact.contact_id, size=100)
        times.append((time.perf_counter() - started) * 1000)
        assert len(page.items) >= 99
    return statistics.median(times)


def _bytes_per_version(services: Services) -> float:
    c = contact_versions.c
    columns = [c.owner_id, c.contact_id, c.action, c.etag, c.account_id, c.credential_id]
    columns += [c.source_kind, c.source_name, c.before_etag, c.data, c.meta, c.tag_ids]
    size = sum(func.coalesce(func.length(col), 0) for col in columns)
    with services.store.read() as conn:
        average = conn.execute(select(func.avg(size + 5 * 8)).where(c.data.is_not(None))).scalar()
    return float(average or 0)


def _undo_rate(services: Services, count: int) -> tuple[float, dict[str, Any]]:
    owner = _owner(services)
    with services.store.write(owner_id=owner) as conn:
        made = services.contacts.create_many_in(conn, owner, list(generated(count, 13)))
    phone = Actor(kind=API_KEY, name="wiping phone", account_id=owner, credential_id="cr_bench")
    with acting_as(phone):
        for contact in made:
            services.contacts.delete(owner, contact.contact_id, etag=None)
    started, cpu = time.perf_counter(), time.process_time()
    outcome = services.history.undo_credential(owner, since=0, credential_id="cr_bench")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(outcome.undeleted) == count
    assert services.contacts.count_live(owner) == count
    # This process's CPU time: what the undo costs without waiting for a busy machine's
    # cores (with SQLite, the database's work too; not PostgreSQL's server).
    detail = {"undeleted": len(outcome.undeleted), "seconds": round(elapsed, 2)}
    return count / elapsed, {**detail, "cpu_seconds": round(cpu, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument("--contacts", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = _services(args.postgres, Path(tmp))
        try:
            bulk_off, bulk_on = _bulk_rates(services, max(args.contacts, 20 * BATCH))
            print(f"bulk writes/s: history off {bulk_off:,.0f}, on {bulk_on:,.0f}"
                  f" ({(bulk_on / bulk_off - 1) * 100:+.1f}%)")  # fmt: skip
            recording = _recording_ms(services)
            print(f"its history rows alone: {recording:.1f} ms per 1,000"
                  f" ({recording / (1000 * BATCH / bulk_off) * 100:.1f}% of a batch's best)")  # fmt: skip
            one_off, one_on = _both(services, _update_rate, 1000)
            print(f"updates/s: history off {one_off:,.0f}, on {one_on:,.0f}"
                  f" ({(one_on / one_off - 1) * 100:+.1f}%)")  # fmt: skip
            print(f"history of 100 versions: {_history_read_ms(services):.2f} ms (median of 50)")
            print(f"bytes per version (stored columns): {_bytes_per_version(services):,.0f}")
            rate, detail = _undo_rate(services, args.contacts)
            print(f"undo of {args.contacts:,} deletions: {rate:,.0f} contacts/s {detail}")
        finally:
            services.close()
            if args.postgres:
                _drop_schema(args.postgres)


if __name__ == "__main__":
    main()
