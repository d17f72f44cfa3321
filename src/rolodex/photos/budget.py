"""The decode budget: how much memory every image decode of a process may hold at once.

A count of decodes is no bound: one 40-megapixel PNG needs ~190 MB and an 8 x 8 one
almost nothing. So each decode is charged what it will hold at most
(`OpenedImage.memory_needed`, from the header, before any pixel is decoded) and waits
until that much of the budget is free; the charge is given back when it ends.

Two pools, so that small images are never stuck behind large ones:

- small decodes (at most `small_limit`, a 16th of the budget) share an eighth of the
  budget kept for them;
- every other decode shares the rest, first come first served, so that a large image
  is not passed over forever by a stream of medium ones. A decode that needs more than
  this whole pool is refused (`ImageTooLarge`), never run over the budget.

Waiting happens on the event loop (`hold_async`) for the API, so that uploads waiting
their turn take no worker thread from other requests; synchronous callers (the web
pages, which already run in a worker thread) use `hold`.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress

from rolodex.photos.errors import ImageTooLarge

_RESERVED_SHARE = 8
"""An eighth of the budget is kept for small decodes."""


class DecodeBudget:
    """The process-wide bound on the memory held by image decodes (docs/photos.md)."""

    def __init__(self, total_bytes: int) -> None:
        self.total_bytes = total_bytes
        reserved = total_bytes // _RESERVED_SHARE
        self.small_limit = reserved // 2
        """Decodes needing at most this use the reserved pool: two always fit at once."""
        self.largest = total_bytes - reserved
        """The most one decode may need; more is refused."""
        self._small = WeightedSemaphore(reserved)
        self._large = WeightedSemaphore(self.largest)

    def check(self, needed: int) -> None:
        """Refuse, before any waiting, a decode that would not fit in its pool at all."""
        if needed > self.largest:
            raise ImageTooLarge(
                "the image is too large for this server to decode (it would need "
                f"{needed // 2**20} MiB; at most {self.largest // 2**20} MiB per image)",
                field="image",
            )

    def _pool(self, needed: int) -> WeightedSemaphore:
        self.check(needed)
        return self._small if needed <= self.small_limit else self._large

    @contextmanager
    def hold(self, needed: int) -> Iterator[None]:
        """Hold `needed` bytes of the budget, blocking this thread until they are free."""
        pool = self._pool(needed)
        pool.acquire(needed)
        try:
            yield
        finally:
            pool.release(needed)

    @asynccontextmanager
    async def hold_async(self, needed: int) -> AsyncIterator[None]:
        """Hold `needed` bytes of the budget, waiting on the event loop until they are free."""
        pool = self._pool(needed)
        await pool.acquire_async(needed)
        try:
            yield
        finally:
            pool.release(needed)

    def in_use(self) -> int:
        """Bytes held right now (for tests and diagnostics)."""
        return self._small.in_use + self._large.in_use


_PROCESS_BUDGETS: dict[int, DecodeBudget] = {}
_PROCESS_BUDGETS_LOCK = threading.Lock()


def process_budget(total_bytes: int) -> DecodeBudget:
    """The budget of this process: one per size, shared by every service built in it.

    A server process builds its services once; tests build many, and they share the
    process's memory all the same.
    """
    with _PROCESS_BUDGETS_LOCK:
        budget = _PROCESS_BUDGETS.get(total_bytes)
        if budget is None:
            budget = _PROCESS_BUDGETS[total_bytes] = DecodeBudget(total_bytes)
        return budget


class _Waiter:
    __slots__ = ("granted", "wake", "weight")

    def __init__(self, weight: int, wake: Callable[[], None]) -> None:
        self.weight = weight
        self.wake = wake
        self.granted = False


class WeightedSemaphore:
    """A first-come-first-served semaphore of `capacity` units, taken `weight` at a time.

    Waiters are threads (`acquire`) or asyncio tasks (`acquire_async`) alike; a release
    hands the freed units to waiters in order, as many as now fit, and wakes them. The
    first waiter that does not fit stops the others behind it (no overtaking).
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.in_use = 0
        self._lock = threading.Lock()
        self._queue: deque[_Waiter] = deque()

    def acquire(self, weight: int) -> None:
        self._fits_at_all(weight)
        with self._lock:
            if self._take_now(weight):
                return
            event = threading.Event()
            self._queue.append(_Waiter(weight, event.set))
        event.wait()

    async def acquire_async(self, weight: int) -> None:
        self._fits_at_all(weight)
        loop = asyncio.get_running_loop()
        granted: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            # A closed loop (the server stopping) has nobody waiting any more.
            with suppress(RuntimeError):
                loop.call_soon_threadsafe(_resolve, granted)

        with self._lock:
            if self._take_now(weight):
                return
            waiter = _Waiter(weight, wake)
            self._queue.append(waiter)
        try:
            await granted
        except BaseException:
            # Cancelled while waiting: give back what was granted meanwhile, or leave the
            # queue (which may let the waiters behind go).
            with self._lock:
                if waiter.granted:
                    self.in_use -= weight
                else:
                    self._queue.remove(waiter)
                self._grant_waiting()
            raise

    def release(self, weight: int) -> None:
        with self._lock:
            self.in_use -= weight
            self._grant_waiting()

    def _fits_at_all(self, weight: int) -> None:
        if weight > self.capacity:
            raise ValueError(f"{weight} units can never fit in {self.capacity}")

    def _take_now(self, weight: int) -> bool:
        """Take `weight` at once if nobody is queued and it fits (the lock is held)."""
        if not self._queue and self.in_use + weight <= self.capacity:
            self.in_use += weight
            return True
        return False

    def _grant_waiting(self) -> None:
        """Hand free units to the waiters in order while the first one fits (lock held)."""
        while self._queue and self.in_use + self._queue[0].weight <= self.capacity:
            waiter = self._queue.popleft()
            self.in_use += waiter.weight
            waiter.granted = True
            waiter.wake()


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
