"""The login throttle's counts and delays, on the store (the login page's answers are
tests/web/test_login_throttle.py)."""

from __future__ import annotations

import secrets
import threading

from rolodex.accounts.login_throttle import (
    FREE_PER_ACCOUNT,
    FREE_PER_ADDRESS,
    MAX_DELAY_SECONDS,
    MEMORY_SECONDS,
    LoginThrottle,
    delay_seconds,
)
from rolodex.services import Services
from rolodex.timestamps import now_ms
from tests.web.browser import random_address


def _email() -> str:
    return f"nobody-{secrets.token_hex(6)}@example.com"


def test_delays_double_after_the_free_failures_up_to_the_cap() -> None:
    assert [delay_seconds(n, 5) for n in range(5)] == [0] * 5
    assert [delay_seconds(n, 5) for n in range(5, 11)] == [1, 2, 4, 8, 16, 32]
    assert delay_seconds(15, 5) == 900 == MAX_DELAY_SECONDS
    assert delay_seconds(10_000, 5) == MAX_DELAY_SECONDS


def _throttle(services: Services) -> LoginThrottle:
    return LoginThrottle(services.store)


def test_each_attempt_past_the_free_ones_waits_twice_as_long(services: Services) -> None:
    throttle, address, email, t = _throttle(services), random_address(), _email(), now_ms()
    for _ in range(FREE_PER_ACCOUNT):
        assert throttle.begin(email, address, now=t).allowed
    for wait in (1, 2, 4, 8, 16):
        refused = throttle.begin(email, address, now=t)
        assert not refused.allowed
        assert refused.retry_after == wait
        # Refused attempts are not counted: asking again changes nothing.
        assert throttle.begin(email, address, now=t + 1).retry_after == wait
        t += wait * 1000
        assert throttle.begin(email, address, now=t).allowed
    # Another account from the same address, and the same account from another, are free.
    assert throttle.begin(_email(), address, now=t).allowed
    assert throttle.begin(email, random_address(), now=t).allowed


def test_the_wait_never_exceeds_the_cap_and_failures_are_forgotten(services: Services) -> None:
    throttle, address, email, t = _throttle(services), random_address(), _email(), now_ms()
    waits: list[int] = []
    while len(waits) < 40 and MAX_DELAY_SECONDS not in waits:
        attempt = throttle.begin(email, address, now=t)
        if not attempt.allowed:
            waits.append(attempt.retry_after)
            t += attempt.retry_after * 1000
    assert max(waits) == MAX_DELAY_SECONDS
    assert throttle.begin(email, address, now=t).allowed
    assert throttle.begin(email, address, now=t).retry_after == MAX_DELAY_SECONDS
    later = t + MEMORY_SECONDS * 1000 + 1
    assert throttle.begin(email, address, now=later).allowed


def test_a_success_does_not_count_against_the_address(services: Services) -> None:
    throttle, address, t = _throttle(services), random_address(), now_ms()
    for _ in range(FREE_PER_ADDRESS - 1):
        assert throttle.begin(_email(), address, now=t).allowed
    for _ in range(10):
        attempt = throttle.begin("me@example.com", address, now=t)
        assert attempt.allowed
        throttle.succeeded(attempt)
    assert throttle.begin(_email(), address, now=t).allowed
    assert not throttle.begin(_email(), address, now=t).allowed


def test_parallel_attempts_cannot_slip_in_under_one_delay(services: Services) -> None:
    throttle, address, email, t = _throttle(services), random_address(), _email(), now_ms()
    barrier = threading.Barrier(12)
    allowed: list[bool] = []

    def attempt() -> None:
        barrier.wait()
        allowed.append(throttle.begin(email, address, now=t).allowed)

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(allowed) == 12
    assert allowed.count(True) == FREE_PER_ACCOUNT
