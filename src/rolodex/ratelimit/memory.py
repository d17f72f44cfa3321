"""Counting in this process's memory: token buckets in a dict behind a lock.

Each key has a bucket of `limit` tokens that refills at `limit / window` tokens a second,
so a client may burst up to its limit and then goes at the steady rate. Counts are per
process: with several server processes, use the Redis backend.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence

from rolodex.ratelimit.backend import ALLOWED, Decision, Hit, RateLimitBackend

# Past this many keys, buckets idle long enough to be full again are dropped (they would
# allow the next request anyway), so random credentials cannot grow memory without bound.
MAX_KEYS = 100_000


class MemoryBackend(RateLimitBackend):
    def __init__(self, *, max_keys: int = MAX_KEYS) -> None:
        # key -> [tokens, last refill (monotonic seconds)]
        self._buckets: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def key_count(self) -> int:
        """How many keys the backend holds a bucket for: what `max_keys` bounds."""
        return len(self._buckets)

    async def hit(self, hits: Sequence[Hit]) -> Decision:
        return self.hit_now(hits, time.monotonic())

    def hit_now(self, hits: Sequence[Hit], now: float) -> Decision:
        """`hit` at a given monotonic time (the whole decision is made under the lock)."""
        wait = 0.0
        with self._lock:
            if len(self._buckets) > self._max_keys:
                self._sweep(now, hits)
            for h in hits:
                rate = h.limit / h.window_seconds
                bucket = self._buckets.get(h.key)
                if bucket is None:
                    bucket = self._buckets[h.key] = [float(h.limit), now]
                else:
                    bucket[0] = min(float(h.limit), bucket[0] + (now - bucket[1]) * rate)
                    bucket[1] = now
                if bucket[0] >= 1.0:
                    bucket[0] -= 1.0
                else:
                    wait = max(wait, (1.0 - bucket[0]) / rate)
        if wait == 0.0:
            return ALLOWED
        return Decision(False, max(1, math.ceil(wait)))

    def _sweep(self, now: float, hits: Sequence[Hit]) -> None:
        longest = max((h.window_seconds for h in hits), default=60)
        idle = [k for k, (_tokens, last) in self._buckets.items() if now - last >= longest]
        for key in idle:
            del self._buckets[key]
        if len(self._buckets) > self._max_keys:
            # Still too many live keys: forgetting every count beats running out of memory.
            self._buckets.clear()
