"""The address book's JSON-lines upload, with and without counting possible duplicates
(issue 25): what `possibleDuplicates` adds to an upload of the largest size the page
takes (10,000 lines, one transaction).

    python -m bench.upload_duplicates --size 10000 --rounds 3 --stores sqlite,postgresql

Each round imports the same generated contacts (bench/generate.py) into a new account
through `transfer.plain_lines.import_plain_lines` (the page's call) without the count,
timed, then times the count alone as the call makes it (`DuplicateService.high_water`
before, `count_arrivals` after). Prints each round and the medians, with the load
average: on a loaded machine the count's own time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import orjson

from bench.generate import contacts
from bench.run import POSTGRES
from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.transfer.plain_lines import import_plain_lines


def _services(store: str, tmp: Path) -> Services:
    if store == "sqlite":
        return Services.build(Settings(data_dir=tmp))
    return Services.build(Settings(data_dir=tmp, database_url=POSTGRES))


def _once(services: Services, lines: list[bytes]) -> tuple[float, float, int]:
    """(the import's seconds, the count's seconds, the count)."""
    owner = services.accounts.create(f"u{secrets.token_hex(6)}@bench.example", "pw-pw-pw-pw")
    started = time.perf_counter()
    mark = services.duplicates.high_water()
    marked = time.perf_counter() - started
    started = time.perf_counter()
    import_plain_lines(
        services.store,
        services.contacts,
        owner.account_id,
        lines,
        max_lines=len(lines),
        duplicates=None,
    )
    imported = time.perf_counter() - started
    started = time.perf_counter()
    found = services.duplicates.count_arrivals(owner.account_id, mark)
    return imported, marked + time.perf_counter() - started, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stores", default="sqlite,postgresql")
    args = parser.parse_args()
    lines = [orjson.dumps(d) for d in contacts(args.size, 7)]
    for store in args.stores.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            services = _services(store, Path(tmp))
            imports, counts = [], []
            for n in range(args.rounds):
                imported, counted, found = _once(services, lines)
                imports.append(imported)
                counts.append(counted)
                print(
                    f"{store} round {n}: import {imported:.2f} s, count {counted:.2f} s"
                    f" ({found} possible duplicates), load {os.getloadavg()[0]:.2f}"
                )
            services.close()
        print(
            f"{store}: median import {statistics.median(imports):.2f} s,"
            f" count {statistics.median(counts):.2f} s"
        )


if __name__ == "__main__":
    main()
