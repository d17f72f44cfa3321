"""Time as Rolodex stores it (integer milliseconds since the epoch, UTC) and shows it."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now_ms() -> int:
    """The current time in whole milliseconds, the unit every stored timestamp uses."""
    return time.time_ns() // 1_000_000


def iso(ms: int) -> str:
    """ISO 8601 in UTC with milliseconds and `Z`, the form every API shows (`2018-08-03T17:02:44.627Z`).

    Every contact a scroll page shows has two of these, so the date part is remembered
    per day and the time of day is plain arithmetic, cheaper than strftime
    (docs/benchmarks.md).
    """
    seconds, millis = divmod(ms, 1000)
    day, second_of_day = divmod(seconds, 86_400)
    date = _DATES.get(day)
    if date is None:
        if len(_DATES) >= _MAX_DATES:
            _DATES.clear()
        date = _DATES[day] = datetime.fromtimestamp(day * 86_400, UTC).strftime("%Y-%m-%d")
    hours, second_of_hour = divmod(second_of_day, 3600)
    minutes, secs = divmod(second_of_hour, 60)
    return f"{date}T{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}Z"


_DATES: dict[int, str] = {}
_MAX_DATES = 100_000


def parse_iso(text: str) -> int | None:
    """ISO 8601 (`2026-12-07T14:02:00Z`, an offset, or a date) as milliseconds, else None.

    A time without an offset is read as UTC: the one zone every API shows.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
