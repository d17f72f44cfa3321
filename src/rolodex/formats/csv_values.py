"""Cell values both CSV dialects share: partial dates, kept columns (`items`), nicknames.

A cell that has no canonical home, or whose text cannot be read as what its column
means (a birthday that is not a date), is kept as an `items` entry named after its
column, never dropped; the writers put such an entry back in its column. So a CSV file
read and written again keeps every non-empty cell (docs/import-export.md).
"""

from __future__ import annotations

import re
from typing import Any

# The canonical contact has no nickname field; every format keeps one as this item type
# (compared case-insensitively), so a vCard NICKNAME and a CSV Nickname column meet.
NICKNAME_ITEM = "nickname"

_ISO = re.compile(r"^(?:(\d{4})|-)-(\d{1,2})-(\d{1,2})$")
_ISO_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
# Outlook and Apple write a birthday without a year with this year (Outlook has no
# other way to say "no year"); reading it back means "no year".
NO_YEAR = 1604


def _date(year: int | None, month: int, day: int) -> dict[str, int] | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None and not 1 <= year <= 9999:
        return None
    out = {"month": month, "day": day}
    if year is not None and year != NO_YEAR:
        out["year"] = year
    return out


def parse_iso_date(text: str) -> dict[str, int] | None:
    """Google's `1990-05-17` or `--05-17` (no year) as a canonical partial date, or None."""
    text = text.strip()
    match = _ISO.match(text) or _ISO_COMPACT.match(text)
    if not match:
        return None
    year = int(match.group(1)) if match.group(1) else None
    return _date(year, int(match.group(2)), int(match.group(3)))


def format_iso_date(date: dict[str, Any]) -> str | None:
    """A canonical partial date as Google writes it; None without month and day."""
    month, day, year = date.get("month"), date.get("day"), date.get("year")
    if not isinstance(month, int) or not isinstance(day, int):
        return None
    prefix = f"{year:04d}" if isinstance(year, int) else "-"
    return f"{prefix}-{month:02d}-{day:02d}"


def parse_us_date(text: str) -> dict[str, int] | None:
    """Outlook's `5/17/1990` (month first, as its English export) as a partial date, or None.

    Two-digit years are read as Python's `%y` does (00-68 -> 20xx). Outlook's empty date
    `0/0/00` is None, like an empty cell.
    """
    match = _US.match(text.strip())
    if not match:
        return None
    year = int(match.group(3))
    if len(match.group(3)) == 2:
        year += 2000 if year <= 68 else 1900
    return _date(year, int(match.group(1)), int(match.group(2)))


def format_us_date(date: dict[str, Any]) -> str | None:
    """A canonical partial date as Outlook writes it (`NO_YEAR` for an unknown year)."""
    month, day, year = date.get("month"), date.get("day"), date.get("year")
    if not isinstance(month, int) or not isinstance(day, int):
        return None
    return f"{month}/{day}/{year if isinstance(year, int) else NO_YEAR}"


def is_outlook_empty_date(text: str) -> bool:
    return text.strip() in {"0/0/00", "0/0/0000", "00/00/0000"}


def kept(items: list[dict[str, str]], column: str, value: str) -> None:
    """Keep a cell with no canonical home as an item named after its column."""
    items.append({"type": column, "value": value})


def take_item(items: list[dict[str, Any]], name: str) -> str | None:
    """Remove and return the first item whose type is `name` (any letter case)."""
    folded = name.casefold()
    for index, item in enumerate(items):
        type_, value = item.get("type"), item.get("value")
        if isinstance(type_, str) and type_.casefold() == folded and isinstance(value, str):
            del items[index]
            return value
    return None


def text(value: object) -> str:
    """A canonical value as cell text: strings as they are, anything else empty."""
    return value if isinstance(value, str) else ""


def dicts(value: object) -> list[dict[str, Any]]:
    """The dicts of a canonical list field (anything else in it is ignored)."""
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without empty strings, dicts and lists, at any depth (absent is absent)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = compact(value)
        elif isinstance(value, list):
            value = [compact(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in ("", {}, None)]
        if value not in ("", {}, [], None):
            out[key] = value
    return out
