"""Counting in Redis, shared by every server process.

Each key is a counter that lives for one window from its first hit (INCR, and PEXPIRE
when the counter is new), all done by one Lua script per request: one round trip, and
atomic, so processes never race on a counter. A client may make `limit` requests in
each window that starts at its first request.

If Redis does not answer, requests are let through (and a warning is logged, at most
once a minute): losing the limiter must not take the whole service down.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Sequence
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from rolodex.ratelimit.backend import ALLOWED, Decision, Hit, RateLimitBackend

log = logging.getLogger("rolodex.ratelimit")

# KEYS: the counters; ARGV: each key's window in milliseconds.
# Returns, per key, the count after this hit and the milliseconds left in its window.
_SCRIPT = """
local out = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if n == 1 or ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out
"""

_WARN_EVERY_SECONDS = 60.0


class RedisBackend(RateLimitBackend):
    def __init__(self, url: str, *, prefix: str = "rolodex:rl:", timeout: float = 0.5) -> None:
        self.url = url
        self.prefix = prefix
        self.timeout = timeout
        # redis.asyncio connections belong to the event loop that made them; a process
        # normally has one loop, but tests run several, so the client is made per loop.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: aioredis.Redis | None = None
        self._script: Any = None
        self._warned_at = -_WARN_EVERY_SECONDS

    def _for_this_loop(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = aioredis.Redis.from_url(
                self.url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout
            )
            self._script = self._client.register_script(_SCRIPT)
            self._loop = loop
        return self._script

    async def hit(self, hits: Sequence[Hit]) -> Decision:
        if not hits:
            return ALLOWED
        script = self._for_this_loop()
        keys = [self.prefix + h.key for h in hits]
        windows = [h.window_seconds * 1000 for h in hits]
        try:
            result = await script(keys=keys, args=windows)
        except (RedisError, OSError) as exc:
            self._warn(exc)
            return ALLOWED
        over = [int(result[2 * i + 1]) for i, h in enumerate(hits) if int(result[2 * i]) > h.limit]
        if not over:
            return ALLOWED
        return Decision(False, max(1, math.ceil(max(over) / 1000)))

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= _WARN_EVERY_SECONDS:
            self._warned_at = now
            log.warning("rate limiting is off: Redis did not answer (%s)", type(exc).__name__)

    async def close(self) -> None:
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.aclose()
        self._client = None
        self._loop = None
