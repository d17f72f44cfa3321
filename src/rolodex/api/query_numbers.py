"""Whole numbers in query strings (`page`, `limit`, `skip`, `top`), read strictly.

Python's `int()` reads more than the docs promise: full-width and Devanagari digits,
`1_000`, ` 7 ` and `+7` all parse. The APIs document a number as digits, so anything but
1 to 19 ASCII digits, the empty string included, is a 400 naming the parameter; only a
parameter left out takes its default (docs/rest-api.md, docs/personal-api.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from rolodex.contacts.cursors import parse_int64
from rolodex.errors import InvalidInput


def int_param(
    query: Mapping[str, str], name: str, *, default: int, low: int, high: int | None
) -> int:
    """The parameter `name` as an integer within [low, high], its default when absent."""
    raw = query.get(name)
    if raw is None:
        return default
    value = parse_int64(raw)
    if value is None:
        raise InvalidInput("must be a whole number written with the digits 0-9", field=name)
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidInput(f"must be {bounds}", field=name)
    return value
