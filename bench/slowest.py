"""Each of the benchmark's search queries timed on its own, against a server already running.

    python -m bench.slowest --port 8000 --token <access token> [--top 25]

The runner (`bench/run.py`) reports the p50 and p99 of the 1,000 queries; this says which
queries make the tail. Each query is sent twice over one keep-alive connection, one at a
time, and the second pass is kept (the first warms the page cache). It prints the p50,
p90 and p99 and the slowest queries, so that a change to search can be checked query by
query against the same database.
"""

from __future__ import annotations

import argparse
import http.client
import time

import orjson

from bench.queries import search_queries


def timings(port: int, token: str, queries: list[str]) -> list[float]:
    """Milliseconds per query, from sending it to the last byte of its answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    kept: list[float] = []
    try:
        for _ in range(2):
            kept = []
            for query in queries:
                body = orjson.dumps({"searchQuery": query, "size": 20})
                started = time.perf_counter()
                conn.request("POST", "/api/v1/contacts.search", body, headers)
                response = conn.getresponse()
                answer = response.read()
                kept.append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    raise RuntimeError(f"{query!r}: {response.status} {answer[:200]!r}")
    finally:
        conn.close()  # a refused query too: no socket left for the collector
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--seed", type=int, default=7, help="the runner's --seed")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    queries = search_queries(1000, args.seed)
    times = timings(args.port, args.token, queries)
    ordered = sorted(times)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    print(f"p50 {at(0.50):.2f} ms, p90 {at(0.90):.2f} ms, p99 {at(0.99):.2f} ms")
    for took, query in sorted(zip(times, queries, strict=True), reverse=True)[: args.top]:
        print(f"{took:8.2f} ms  {query}")


if __name__ == "__main__":
    main()
