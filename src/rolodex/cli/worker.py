"""`rolodex worker`: webhook delivery (and the history purge) on its own, beside or
instead of the servers' own.

Any number of workers and servers can share one database: batches are leased, so no
batch is sent by two of them at once. Stop it with Ctrl-C or SIGTERM; the batches on
the wire are finished first (each within its deadline, ROLODEX_WEBHOOK_TIMEOUT_SECONDS).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.webhooks.delivery import DeliveryWorker


def worker(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    once: Annotated[
        bool, typer.Option("--once", help="One pass (build and send what is due), then exit.")
    ] = False,
) -> None:
    """Deliver webhooks (migrating the store first)."""
    with open_services(data_dir, database_url) as services:
        delivery = DeliveryWorker(
            services.store, services.settings.webhooks, [services.history_purge.run_due]
        )
        if once:
            sent = delivery.run_once()
            print_json({"deliveriesAttempted": sent})
            return
        done = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            done.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        delivery.start()
        done.wait()
        delivery.stop()
