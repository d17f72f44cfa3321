"""How every API shows a stored time: ISO 8601, UTC, milliseconds, `Z`."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from rolodex.timestamps import iso


def test_a_time_shows_with_milliseconds_and_z() -> None:
    assert iso(1533315764627) == "2018-08-03T17:02:44.627Z"
    assert iso(0) == "1970-01-01T00:00:00.000Z"


@given(st.integers(min_value=0, max_value=253_402_300_799_999))
def test_iso_agrees_with_the_standard_library_for_every_millisecond(ms: int) -> None:
    seconds, millis = divmod(ms, 1000)
    expected = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert iso(ms) == f"{expected}.{millis:03d}Z"
