"""The counting backends, memory and Redis, through their shared contract."""

from __future__ import annotations

import asyncio

import pytest

from rolodex.ratelimit.backend import Decision, Hit, RateLimitBackend, load_backend
from rolodex.ratelimit.memory import MemoryBackend
from rolodex.ratelimit.redis_backend import RedisBackend
from rolodex.settings import RateLimitSettings, Settings


def hit(backend: RateLimitBackend, *hits: Hit) -> Decision:
    """One hit on a loop of its own, as a server process would make it, closing what the
    backend opened on that loop before the loop ends."""

    async def once() -> Decision:
        try:
            return await backend.hit(list(hits))
        finally:
            await backend.close()

    return asyncio.run(once())


@pytest.fixture(params=["memory", "redis"])
def backend(request: pytest.FixtureRequest) -> RateLimitBackend:
    if request.param == "memory":
        return MemoryBackend()
    url = request.getfixturevalue("redis_url")
    return RedisBackend(url, prefix=request.getfixturevalue("redis_prefix"))


def test_a_key_may_make_its_limit_of_hits_and_is_then_refused(backend: RateLimitBackend) -> None:
    rule = Hit("addr:10.0.0.1", 3, 60)
    assert [hit(backend, rule).allowed for _ in range(3)] == [True, True, True]
    refused = hit(backend, rule)
    assert not refused.allowed
    assert 1 <= refused.retry_after <= 60


def test_keys_are_counted_apart(backend: RateLimitBackend) -> None:
    first, second = Hit("cred:a", 1, 60), Hit("cred:b", 1, 60)
    assert hit(backend, first).allowed
    assert not hit(backend, first).allowed
    assert hit(backend, second).allowed


def test_one_key_over_its_limit_refuses_the_whole_request(backend: RateLimitBackend) -> None:
    address, login = Hit("addr:x", 100, 60), Hit("login:x", 1, 600)
    assert hit(backend, address, login).allowed
    refused = hit(backend, address, login)
    assert not refused.allowed
    # The wait is the longest among the keys that are over: the login rule's.
    assert refused.retry_after > 60


def test_memory_buckets_refill_at_the_limit_per_window() -> None:
    backend = MemoryBackend()
    rule = [Hit("k", 2, 60)]
    assert backend.hit_now(rule, 0.0).allowed
    assert backend.hit_now(rule, 0.0).allowed
    refused = backend.hit_now(rule, 0.0)
    assert not refused.allowed
    assert refused.retry_after == 30
    assert not backend.hit_now(rule, 29.0).allowed
    assert backend.hit_now(rule, 60.0).allowed


def test_memory_forgets_idle_keys_past_its_size_bound() -> None:
    backend = MemoryBackend(max_keys=10)
    for i in range(11):
        backend.hit_now([Hit(f"k{i}", 1, 60)], 0.0)
    # Idle for a whole window: every bucket would be full again, so dropping them is safe.
    backend.hit_now([Hit("new", 1, 60)], 61.0)
    assert backend.key_count() == 1


def test_redis_counts_are_shared_by_every_process(redis_url: str, redis_prefix: str) -> None:
    # Two backends with one Redis stand for two server processes.
    one, two = (
        RedisBackend(redis_url, prefix=redis_prefix),
        RedisBackend(redis_url, prefix=redis_prefix),
    )
    rule = Hit("addr:shared", 2, 60)
    assert hit(one, rule).allowed
    assert hit(two, rule).allowed
    assert not hit(one, rule).allowed
    assert not hit(two, rule).allowed


def test_redis_keys_expire_with_their_window(redis_url: str, redis_prefix: str) -> None:
    import redis

    backend = RedisBackend(redis_url, prefix=redis_prefix)
    hit(backend, Hit("addr:ttl", 5, 60))
    ttl = redis.Redis.from_url(redis_url).pttl(redis_prefix + "addr:ttl")
    assert 0 < ttl <= 60_000


def test_an_unreachable_redis_lets_requests_through() -> None:
    backend = RedisBackend("redis://127.0.0.1:1/0", timeout=0.2)
    rule = Hit("addr:y", 1, 60)
    assert hit(backend, rule).allowed
    assert hit(backend, rule).allowed


class CountingBackend(MemoryBackend):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings


def test_backends_are_loaded_by_name() -> None:
    def settings(backend: str) -> Settings:
        return Settings(rate_limits=RateLimitSettings(backend=backend))

    assert isinstance(load_backend(settings("memory")), MemoryBackend)
    assert isinstance(load_backend(settings("redis")), RedisBackend)
    custom = load_backend(settings("tests.ratelimit.test_backends:CountingBackend"))
    assert isinstance(custom, CountingBackend)
    with pytest.raises(ValueError, match="memory, redis or module:Class"):
        load_backend(settings("nonsense"))
    with pytest.raises(ValueError, match="not a RateLimitBackend"):
        load_backend(settings("rolodex.settings:Settings"))
