"""Time as Rolodex stores it (integer milliseconds since the epoch, UTC) and shows it."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now_ms() -> int:
    """The current time in whole milliseconds, the unit every stored timestamp uses."""
    return time.time_ns() // 1_000_000


def iso(ms: int) -> str:
    """ISO 8601 in UTC with milliseconds and `Z`, the form every API shows (`2018-08-03T17:02:44.627Z`)."""
    seconds, millis = divmod(ms, 1000)
    stamp = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{millis:03d}Z"
