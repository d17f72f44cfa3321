"""The delivery worker: builds batches from the change log and sends them, signed.

Delivery is at-least-once. A batch is claimed with a lease (so several workers on one
database never send the same batch at once), POSTed, and its outcome recorded: a 2xx
ends it; anything else (a timeout, a connection error, a redirect, 4xx, 5xx) schedules
a retry with exponential backoff and jitter (`backoff.py`), until about three days
have passed; a 410 Gone disables the webhook. The batches of one webhook go one at a
time, oldest first, so a receiver sees each owner's events in order.

The worker keeps nothing in memory that matters: every fact is in the database, so a
restarted server (or another worker) carries on where the last one stopped. Tests
drive it with `run_once()`; servers run `run_forever()` in a thread.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

import httpx
import orjson

from rolodex.ids import new_id
from rolodex.store import Store
from rolodex.timestamps import now_ms
from rolodex.webhooks import signing
from rolodex.webhooks.backoff import parse_retry_after, retry_delay_seconds
from rolodex.webhooks.batching import BatchBuilder
from rolodex.webhooks.config import WebhookSettings
from rolodex.webhooks.model import DELIVERED, FAILED, Batch
from rolodex.webhooks.repository import WebhookRepository
from rolodex.webhooks.transport import guarded_client

if TYPE_CHECKING:
    from rolodex.services import Services

log = logging.getLogger("rolodex.webhooks")

DAY_MS = 24 * 3600 * 1000
MAX_ERROR = 500


def payload(batch: Batch) -> bytes:
    """The body sent for a batch: the same bytes' content on every attempt."""
    return orjson.dumps(
        {"batchId": batch.batch_id, "webhookId": batch.webhook_id, "events": batch.events}
    )


class DeliveryWorker:
    def __init__(self, store: Store, settings: WebhookSettings) -> None:
        self.store = store
        self.settings = settings
        self.name = new_id("w_")
        self.builder = BatchBuilder(store, batch_size=settings.batch_size)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._purged_at = 0

    # -- one pass ----------------------------------------------------------------------

    def run_once(self, *, now: int | None = None, max_deliveries: int = 100) -> int:
        """Build what is new, then send what is due; returns how many attempts were made.

        `now` (milliseconds) lets tests act as if the clock had moved on, so retries
        can be driven without sleeping.
        """
        self.builder.build_all(now=now)
        attempts = 0
        while attempts < max_deliveries and not self._stop.is_set():
            clock = now if now is not None else now_ms()
            batch_id = self.claim_next(clock)
            if batch_id is None:
                break
            self.deliver(batch_id, clock)
            attempts += 1
        self.purge(now if now is not None else now_ms())
        return attempts

    def claim_next(self, now: int) -> str | None:
        """Lease the next due batch for this worker, or None when nothing is due."""
        until = now + int(self.settings.lease_seconds * 1000)
        with self.store.read() as conn:
            candidates = WebhookRepository.due(conn, now, limit=20)
        for batch_id in candidates:
            with self.store.write() as conn:
                if WebhookRepository.claim(conn, batch_id, self.name, now, until):
                    return batch_id
        return None

    def deliver(self, batch_id: str, now: int) -> None:
        """Send one claimed batch and record the outcome (the lease is released)."""
        with self.store.read() as conn:
            found = WebhookRepository.for_delivery(conn, batch_id)
        if found is None:  # the webhook was deleted meanwhile
            return
        batch, url, secret = found
        body = payload(batch)
        headers = signing.headers(secret, batch.batch_id, int(time.time()), body)
        headers["content-type"] = "application/json"
        headers["user-agent"] = "Rolodex-Webhooks/1"
        status: int | None = None
        error: str | None = None
        retry_after: float | None = None
        try:
            client = guarded_client(
                allow_private=self.settings.allow_private,
                connect_timeout=self.settings.connect_timeout_seconds,
                timeout=self.settings.timeout_seconds,
                ca_bundle=self.settings.ca_bundle,
            )
            # Streamed and never read: only the status matters, and a receiver must not
            # be able to make the worker hold a huge answer in memory.
            with client, client.stream("POST", url, content=body, headers=headers) as response:
                status = response.status_code
                retry_after = parse_retry_after(response.headers.get("retry-after"), time.time())
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            # Every way a request can fail is an outcome to record and retry, never a
            # crash of the pass (which would leave the batch leased until it expires).
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
        self._record(batch, now, status, error, retry_after)

    def _record(
        self,
        batch: Batch,
        now: int,
        status: int | None,
        error: str | None,
        retry_after: float | None,
    ) -> None:
        values: dict[str, object] = {
            "last_attempt_at": now,
            "last_status_code": status,
            "last_error": error,
        }
        if status is not None and 200 <= status < 300:
            values.update(status=DELIVERED, delivered_at=now, next_attempt_at=None)
        elif status == 410:
            values.update(status=FAILED, next_attempt_at=None)
        else:
            if status is not None and error is None:
                values["last_error"] = f"the receiver answered {status}"
            delay = retry_delay_seconds(
                batch.attempts + 1,
                base=self.settings.retry_base_seconds,
                cap=self.settings.retry_max_delay_seconds,
                retry_after=retry_after,
            )
            next_at = now + int(delay * 1000)
            if next_at - batch.created_at > self.settings.retry_give_up_seconds * 1000:
                values.update(status=FAILED, next_attempt_at=None)
            else:
                values["next_attempt_at"] = next_at
        with self.store.write() as conn:
            recorded = WebhookRepository.record(conn, batch.batch_id, self.name, **values)
            if recorded and status == 410:
                # 410 Gone: the receiver says this endpoint is no more (docs/webhooks.md).
                WebhookRepository.disable(
                    conn, batch.webhook_id, "the receiver answered 410 Gone", now
                )
        if not recorded:
            log.warning("batch %s: lease lost before its outcome was recorded", batch.batch_id)

    def purge(self, now: int) -> None:
        """Forget finished batches past the history window, at most once an hour."""
        if now - self._purged_at < 3600 * 1000:
            return
        self._purged_at = now
        with self.store.write() as conn:
            WebhookRepository.purge(conn, now - self.settings.history_days * DAY_MS)

    # -- running -----------------------------------------------------------------------

    def run_forever(self) -> None:
        """Pass after pass until `stop()`; a failing pass is logged and the loop goes on."""
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("webhook delivery pass failed; trying again")
            self._stop.wait(self.settings.poll_seconds)

    def start(self) -> None:
        """Run in a daemon thread (inside `rolodex serve`)."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run_forever, name="rolodex-webhooks", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the loop to end and wait for the delivery in flight, if any."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def start_delivery_worker(services: Services) -> DeliveryWorker | None:
    """Start a delivery thread for a server process, if its settings want one."""
    if not services.settings.webhooks.worker:
        return None
    worker = DeliveryWorker(services.store, services.settings.webhooks)
    worker.start()
    return worker
