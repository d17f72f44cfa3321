"""What the access log costs a request, in CPU, measured in one process.

    python -m bench.log_cost 2>>/tmp/access.log
    python -m bench.log_cost --path /api/v1/nothing --rounds 10 --requests 5000 2>>/tmp/access.log

The whole application (every middleware, the route) answers GET requests in-process,
in batches, with the access log turned on and off in turn; each batch is timed by the
process's CPU clock (every thread: the log's writer thread counts too). Alternating in
one process makes the difference steady even on a busy machine, where requests per
second from a load generator move by more than the log costs. uvicorn's own work per
request (about two thirds of a /healthz, docs/benchmarks.md) is left out: the share of
a served request is this difference over the served request's CPU.

The log goes to stderr as the server writes it: redirect it to a file (not /dev/null,
which would hide the cost of writing).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from collections.abc import MutableMapping
from typing import Any

os.environ.setdefault("ROLODEX_WEBHOOK_WORKER", "false")
os.environ.setdefault("ROLODEX_RATE_LIMIT_ENABLED", "false")


async def measure(path: str, rounds: int, requests: int) -> dict[str, list[float]]:
    from rolodex.app import create_app
    from rolodex.settings import Settings

    app = create_app(Settings(data_dir=tempfile.mkdtemp(prefix="rolodex-log-cost-")))
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    lifespan = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, outbox.put)
    )
    started = await outbox.get()
    if started["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"the app did not start: {started}")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"user-agent", b"log-cost/1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        return None

    async def batch(n: int) -> float:
        begun = time.process_time()
        for _ in range(n):
            await app({**scope, "state": {}}, receive, send)
        return (time.process_time() - begun) / n * 1e6

    access = logging.getLogger("rolodex.access")
    await batch(requests // 2)  # warm up
    cpu: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(rounds):
        for state in ("on", "off"):
            access.setLevel(logging.INFO if state == "on" else logging.WARNING)
            cpu[state].append(await batch(requests))
    await inbox.put({"type": "lifespan.shutdown"})
    await outbox.get()
    await lifespan
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--path", default="/healthz")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=5000, help="requests per batch")
    args = parser.parse_args()
    cpu = asyncio.run(measure(args.path, args.rounds, args.requests))
    pairs = [on - off for on, off in zip(cpu["on"], cpu["off"], strict=True)]
    for state in ("on", "off"):
        values = ", ".join(f"{v:.1f}" for v in cpu[state])
        print(
            f"access log {state}: median {statistics.median(cpu[state]):.1f} us CPU per request ({values})"
        )
    print(
        f"the log's cost: median {statistics.median(pairs):.1f} us per request"
        f" (each round's: {', '.join(f'{p:.1f}' for p in pairs)})"
    )


if __name__ == "__main__":
    main()
