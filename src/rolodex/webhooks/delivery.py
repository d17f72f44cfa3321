"""The delivery worker: builds batches from the change log and sends them, signed.

Delivery is at-least-once. A batch is claimed with a lease (so several workers on one
database never send the same batch at once), POSTed, and its outcome recorded: a 2xx
ends it; anything else (a timeout, a connection error, a redirect, 4xx, 5xx) schedules
a retry with exponential backoff and jitter (`backoff.py`), until about three days
have passed; a 410 Gone disables the webhook. The batches of one webhook go one at a
time, oldest first, so a receiver sees each owner's events in order.

Deliveries run concurrently, at most `concurrency` at once in a process and at most
`owner_concurrency` of one owner, and due batches are claimed round-robin by owner
(`WebhookRepository.due`): a slow or dead receiver holds one slot of its own owner's
for at most the attempt's deadline (`attempt.py`), and other owners' batches go out
beside it. A slot freed is filled at once, not at the end of a pass.

The worker keeps nothing in memory that matters: every fact is in the database, so a
restarted server (or another worker) carries on where the last one stopped. Tests
drive it with `run_once()`; servers run `run_forever()` in a thread, whose event loop
sends the requests while the synchronous store runs in worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence

import anyio
import anyio.to_thread

from rolodex.ids import new_id
from rolodex.settings import WebhookSettings
from rolodex.store import Store
from rolodex.timestamps import now_ms
from rolodex.webhooks.attempt import Outcome, attempt
from rolodex.webhooks.backoff import retry_delay_seconds
from rolodex.webhooks.batching import BatchBuilder
from rolodex.webhooks.model import DELIVERED, FAILED, Batch
from rolodex.webhooks.repository import WebhookRepository

log = logging.getLogger("rolodex.webhooks")

DAY_MS = 24 * 3600 * 1000


class _Slots:
    """Deliveries in flight in this process, in all and by owner."""

    def __init__(self, total: int, per_owner: int) -> None:
        self.total = total
        self.per_owner = per_owner
        self.by_owner: Counter[str] = Counter()

    @property
    def busy(self) -> int:
        return sum(self.by_owner.values())

    @property
    def free(self) -> int:
        return self.total - self.busy

    def full_owners(self) -> list[str]:
        return [owner for owner, n in self.by_owner.items() if n >= self.per_owner]

    def take(self, owner: str) -> None:
        self.by_owner[owner] += 1

    def release(self, owner: str) -> None:
        self.by_owner[owner] -= 1
        if self.by_owner[owner] <= 0:
            del self.by_owner[owner]


class DeliveryWorker:
    def __init__(
        self, store: Store, settings: WebhookSettings, chores: Sequence[Callable[[], None]] = ()
    ) -> None:
        self.store = store
        self.settings = settings
        # Other housekeeping the background worker runs beside its own purge (the history
        # purge, rolodex.history.purge): each call is short and bounded, and decides for
        # itself whether it is due.
        self.chores = tuple(chores)
        self.name = new_id("w_")
        self.builder = BatchBuilder(store, batch_size=settings.batch_size)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._purged_at = 0
        self._poke: Callable[[], None] | None = None

    # -- one pass ----------------------------------------------------------------------

    def run_once(self, *, now: int | None = None, max_deliveries: int = 100) -> int:
        """Build what is new, then send what is due (and what becomes due as earlier
        batches of the same webhooks are sent) until nothing is; returns how many
        attempts were made.

        `now` (milliseconds) lets tests act as if the clock had moved on, so retries
        can be driven without sleeping.
        """
        self.builder.build_all(now=now)
        attempts = anyio.run(self._pump, now, max_deliveries, False)
        self.purge(now if now is not None else now_ms())
        self.run_chores()
        return attempts

    async def _pump(self, now: int | None, max_deliveries: int | None, forever: bool) -> int:
        """Keep up to `concurrency` deliveries in flight, refilling a slot as it frees.

        Once (`forever` false): until nothing is in flight and nothing more is due.
        Forever: also builds batches every `poll_seconds`, until `stop()`.
        """
        slots = _Slots(self.settings.concurrency, self.settings.owner_concurrency)
        attempts = 0
        changed = anyio.Event()
        loop = asyncio.get_running_loop()

        def poke() -> None:
            changed.set()

        # stop() may come from any thread; it wakes this loop through its own queue.
        def poke_threadsafe() -> None:
            loop.call_soon_threadsafe(poke)

        self._poke = poke_threadsafe
        built_at = float("-inf")

        async def deliver(batch_id: str, owner: str, clock: int) -> None:
            try:
                await self._deliver(batch_id, clock)
            except Exception:
                log.exception("batch %s: delivery failed; its lease will expire", batch_id)
            finally:
                slots.release(owner)
                changed.set()

        try:
            async with anyio.create_task_group() as group:
                while not self._stop.is_set():
                    changed = anyio.Event()
                    if forever and time.monotonic() - built_at >= self.settings.poll_seconds:
                        built_at = float("-inf")
                        await self._housekeep()
                    clock = now if now is not None else now_ms()
                    room = _room(slots, max_deliveries, attempts)
                    claimed = await self._claim_fairly(clock, room, slots, forever)
                    for batch_id, owner in claimed:
                        slots.take(owner)
                        group.start_soon(deliver, batch_id, owner, clock)
                    attempts += len(claimed)
                    if not forever and slots.busy == 0 and not claimed:
                        break
                    # Everything due is claimed (or the slots are full): nothing more until
                    # a delivery ends, `stop()`, or (forever) it is time to build again.
                    with anyio.move_on_after(self.settings.poll_seconds if forever else None):
                        await changed.wait()
        finally:
            self._poke = None
        return attempts

    async def _housekeep(self) -> None:
        """Build new batches and purge old ones; a failure is logged, the loop goes on."""
        try:
            await anyio.to_thread.run_sync(self.builder.build_all)
            await anyio.to_thread.run_sync(self.purge, now_ms())
        except Exception:
            log.exception("building webhook batches failed; trying again")
        await anyio.to_thread.run_sync(self.run_chores)

    def run_chores(self) -> None:
        """Each chore once; a failing one is logged and the others still run."""
        for chore in self.chores:
            try:
                chore()
            except Exception:
                log.exception("a background chore failed; trying again")

    async def _claim_fairly(
        self, now: int, room: int, slots: _Slots, forever: bool
    ) -> list[tuple[str, str]]:
        if room <= 0:
            return []
        busy = dict(slots.by_owner)
        if not forever:
            return await anyio.to_thread.run_sync(self.claim_due, now, room, busy)
        try:
            return await anyio.to_thread.run_sync(self.claim_due, now, room, busy)
        except Exception:
            # The store is unreachable for now: the deliveries in flight carry on, and
            # claiming is tried again on the next wake-up.
            log.exception("claiming webhook batches failed; trying again")
            return []

    def claim_due(self, now: int, room: int, busy: dict[str, int]) -> list[tuple[str, str]]:
        """Lease up to `room` due batches, round-robin by owner, leaving out owners that
        already have `owner_concurrency` deliveries in flight (`busy`); returns
        (batch id, owner id) pairs."""
        until = now + int(self.settings.lease_seconds * 1000)
        per_owner = self.settings.owner_concurrency
        counts = Counter(busy)
        full = [owner for owner, n in counts.items() if n >= per_owner]
        with self.store.read() as conn:
            candidates = WebhookRepository.due(
                conn, now, limit=4 * room + 16, per_owner=per_owner, skip_owners=full
            )
        claimed: list[tuple[str, str]] = []
        for batch_id, owner in candidates:
            if len(claimed) == room:
                break
            if counts[owner] >= per_owner:
                continue
            with self.store.write() as conn:
                if WebhookRepository.claim(conn, batch_id, self.name, now, until):
                    claimed.append((batch_id, owner))
                    counts[owner] += 1
        return claimed

    async def _deliver(self, batch_id: str, now: int) -> None:
        """Send one claimed batch and record the outcome (the lease is released)."""
        found = await anyio.to_thread.run_sync(self._for_delivery, batch_id)
        if found is None:  # the webhook was deleted meanwhile
            return
        batch, url, secret = found
        outcome = await attempt(batch, url, secret, self.settings)
        await anyio.to_thread.run_sync(self._record, batch, now, outcome)

    def _for_delivery(self, batch_id: str) -> tuple[Batch, str, str] | None:
        with self.store.read() as conn:
            return WebhookRepository.for_delivery(conn, batch_id)

    def _record(self, batch: Batch, now: int, outcome: Outcome) -> None:
        status, error = outcome.status, outcome.error
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
                retry_after=outcome.retry_after,
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
        """Deliver until `stop()`; a failing loop is logged and started again."""
        while not self._stop.is_set():
            try:
                anyio.run(self._pump, None, None, True)
            except Exception:
                log.exception("webhook delivery failed; trying again")
                self._stop.wait(self.settings.poll_seconds)

    def start(self) -> None:
        """Run in a daemon thread (inside `rolodex serve`)."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run_forever, name="rolodex-webhooks", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the loop to end and wait for the deliveries in flight (each ends by its
        deadline)."""
        self._stop.set()
        poke = self._poke
        if poke is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                poke()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def start_delivery_worker(
    store: Store, settings: WebhookSettings, chores: Sequence[Callable[[], None]] = ()
) -> DeliveryWorker | None:
    """Start a delivery thread for a server process, if its settings want one."""
    if not settings.worker:
        return None
    worker = DeliveryWorker(store, settings, chores)
    worker.start()
    return worker


def _room(slots: _Slots, max_deliveries: int | None, attempts: int) -> int:
    """How many more deliveries may start now: free slots, within what is left of
    `max_deliveries` (None: no limit)."""
    if max_deliveries is None:
        return slots.free
    return min(slots.free, max_deliveries - attempts)
