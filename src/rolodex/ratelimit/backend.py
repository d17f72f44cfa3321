"""The contract every rate-limit backend meets, and loading one by name.

A backend counts hits against keys. One request makes a few hits at once (its address,
its credential, a stricter rule for login or tokens); the backend answers for all of them
in one step, so the Redis backend pays one round trip per request, the memory one a lock.
Backends are chosen by `ROLODEX_RATE_LIMIT_BACKEND`, as Radicale loads its storage:
a short name or `module:Class`.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rolodex.settings import Settings


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule applied to one request: at most `limit` hits on `key` per `window_seconds`."""

    key: str
    limit: int
    window_seconds: int


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether the request may go ahead; if not, how many seconds until it may."""

    allowed: bool
    retry_after: int = 0


ALLOWED = Decision(True)


class RateLimitBackend(ABC):
    """Counts hits. Implementations must be safe to call from many tasks and threads.

    A backend loaded as `module:Class` is made with the settings: `Class(settings)`.
    """

    @abstractmethod
    async def hit(self, hits: Sequence[Hit]) -> Decision:
        """Count one hit on each key; refused if any key is over its limit.

        `retry_after` is the longest wait among the keys that are over (at least 1).
        """

    async def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release connections; the backend is not used afterwards."""


def load_backend(settings: Settings) -> RateLimitBackend:
    """The backend the settings name: "memory", "redis" or "package.module:Class"."""
    name = settings.rate_limits.backend
    if name == "memory":
        from rolodex.ratelimit.memory import MemoryBackend

        return MemoryBackend()
    if name == "redis":
        from rolodex.ratelimit.redis_backend import RedisBackend

        return RedisBackend(settings.redis_url, prefix=settings.rate_limits.redis_prefix)
    module_name, sep, class_name = name.partition(":")
    if not sep or not module_name or not class_name:
        raise ValueError(
            f"ROLODEX_RATE_LIMIT_BACKEND must be memory, redis or module:Class, not {name!r}"
        )
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, RateLimitBackend)):
        raise ValueError(f"{name} is not a RateLimitBackend")
    factory: Any = cls  # a subclass's constructor takes the settings
    backend: RateLimitBackend = factory(settings)
    return backend
