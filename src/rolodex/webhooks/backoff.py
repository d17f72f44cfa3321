"""When to try a failed batch again (docs/webhooks.md, "Retries").

Exponential: `base * 3**(attempt-1)`, capped, with +-20% jitter so that many batches
failing together do not retry together. A receiver's `Retry-After` (seconds or an
HTTP date, RFC 9110 §10.2.3) is honoured when it asks for longer, up to the cap. A
batch is given up when its next attempt would fall past the give-up age.
"""

from __future__ import annotations

import random
from email.utils import parsedate_to_datetime

_RNG = random.Random()


def retry_delay_seconds(
    attempts: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """The wait before the next attempt, after `attempts` failed attempts (1 or more)."""
    exponent = min(max(attempts - 1, 0), 30)
    delay = min(base * 3.0**exponent, cap)
    jitter: float = (rng or _RNG).uniform(0.8, 1.2)
    delay *= jitter
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay


def parse_retry_after(value: str | None, now_seconds: float) -> float | None:
    """`Retry-After` as seconds from now, or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - now_seconds, 0.0)
