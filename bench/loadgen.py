"""An HTTP/1.1 load generator with latency histograms, free of coordinated omission.

Two modes:
- closed loop (`peak`): N keep-alive connections send as fast as answers come back; this
  finds the most requests per second the server sustains.
- open loop (`rate`): requests are due at fixed intervals (`rate` per second); each
  latency is measured from the time the request was *due*, not from when a free
  connection got around to sending it, so a stalled server shows up in the tail instead
  of silently slowing the load (Gil Tene's "coordinated omission").

Runs in its own process (`python -m bench.loadgen < spec.json`) so that the client and
the server never share an interpreter. The spec names a list of raw requests, cycled.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed_s: float = 0.0


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def _connect(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(host, port, limit=1 << 22)


async def run(spec: dict[str, Any]) -> Outcome:
    host, port = spec["host"], int(spec["port"])
    requests = [base64.b64decode(r) for r in spec["requests"]]
    connections = int(spec.get("connections", 16))
    duration = float(spec.get("duration", 5.0))
    rate = spec.get("rate")  # None: closed loop
    limit = spec.get("limit")  # stop after this many requests (each request once, say)
    outcome = Outcome()
    counter = 0
    start = time.perf_counter()
    deadline = start + duration

    def next_index() -> int | None:
        nonlocal counter
        if limit is not None and counter >= int(limit):
            return None
        index = counter
        counter += 1
        return index

    async def worker() -> None:
        reader, writer = await _connect(host, port)
        try:
            while True:
                index = next_index()
                if index is None:
                    return
                due = start + index / rate if rate else time.perf_counter()
                if due >= deadline:
                    return
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    status = await _exchange(reader, writer, requests[index % len(requests)])
                except (ConnectionError, asyncio.IncompleteReadError, ValueError):
                    outcome.errors += 1
                    writer.close()
                    reader, writer = await _connect(host, port)
                    continue
                outcome.latencies_ms.append((time.perf_counter() - due) * 1000)
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    outcome.elapsed_s = time.perf_counter() - start
    return outcome


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(outcome: Outcome) -> dict[str, Any]:
    done = len(outcome.latencies_ms)
    ok = sum(n for status, n in outcome.statuses.items() if 200 <= status < 300)
    return {
        "requests": done,
        "ok": ok,
        "non_2xx": done - ok,
        "errors": outcome.errors,
        "statuses": {str(k): v for k, v in sorted(outcome.statuses.items())},
        "rps": done / outcome.elapsed_s if outcome.elapsed_s else 0.0,
        "p50_ms": percentile(outcome.latencies_ms, 0.50),
        "p90_ms": percentile(outcome.latencies_ms, 0.90),
        "p99_ms": percentile(outcome.latencies_ms, 0.99),
        "max_ms": max(outcome.latencies_ms) if outcome.latencies_ms else None,
    }


def main() -> None:
    spec = json.load(sys.stdin)
    # The collector's pauses would count as the server's latency (every latency runs from
    # its due time); what a run allocates is small and freed at exit.
    gc.freeze()
    gc.disable()
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        outcome = asyncio.run(run(spec))
    else:
        outcome = uvloop.run(run(spec))
    print(json.dumps(summary(outcome)))


if __name__ == "__main__":
    main()
