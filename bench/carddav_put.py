"""Rolodex alone: many CardDAV PUTs of new cards into a full book, timed, with the
server's CPU time per PUT (issue 23's PUT goal is a ratio to Radicale: bench/carddav.py).

    python -m bench.carddav_put --size 10000 --puts 500

The book is filled as bench/carddav.py fills it (`rolodex import`), the server started
alone (rate limits off, no webhook worker), then `--puts` new cards are PUT one after
another with `If-None-Match: *` over one kept-alive connection. The server's CPU time
(user and system, from /proc, every thread) over the PUTs divided by their number is
steadier than wall times on a shared machine: it leaves out the time other processes
held the cores. Medians and p90 of the wall times; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from bench.carddav import fill_rolodex, rolodex_book, write_cards
from bench.carddav_requests import vcard
from bench.generate import contacts


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process, every thread of it."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10_000, help="cards in the book")
    parser.add_argument("--puts", type=int, default=500, help="PUTs of new cards timed")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rolodex-carddav-put-"))
    source, _ = write_cards(work, args.size, args.seed)
    new = list(contacts(args.puts + 20, args.seed + 1))
    with rolodex_book(work, fill_rolodex(work, source)) as (book, pid):
        book.propfind()  # warm-up, unmeasured
        for i, data in enumerate(new[:20]):
            book.put(f"{book.path}warm-{i}.vcf", vcard(data, f"warm-{i}"), **{"If-None-Match": "*"})
        before = cpu_seconds(pid)
        took = [
            book.put(f"{book.path}put-{i}.vcf", vcard(data, f"put-{i}"), **{"If-None-Match": "*"})
            for i, data in enumerate(new[20:])
        ]
        cpu = (cpu_seconds(pid) - before) / len(took)
    ordered = sorted(took)
    print(
        f"{len(took)} PUTs into a book of {args.size:,} cards: median"
        f" {statistics.median(took) * 1000:.2f} ms, p90 {ordered[int(0.9 * len(ordered))] * 1000:.2f}"
        f" ms, min {ordered[0] * 1000:.2f} ms; server CPU {cpu * 1000:.2f} ms per PUT"
    )


if __name__ == "__main__":
    main()
