"""vCard value syntax: text escaping, structured values, dates, data URIs, parameter values.

Small pure functions shared by the reader and the writer. vobject has equivalents
(`stringToTextValues`, its date parsers), but they walk every character in Python and log
on odd input; these use `str` methods and regular expressions, treat what they do not
recognise leniently, and are exact inverses of each other on what the writer makes.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

# RFC 6350 §3.4 / RFC 2426 §4: the escapes a text value may hold. Anything else after a
# backslash is kept as it is (Windows paths in old exports).
_UNESCAPE = re.compile(r"\\([\\,;:nN])")


def unescape(raw: str) -> str:
    """A text value as written in the file -> the text it stands for."""
    if "\\" not in raw:
        return raw
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


_NEEDS_ESCAPE = re.compile(r"[\\,;\r\n]")


def escape(text: str) -> str:
    """Text -> a text value (RFC 6350 §3.4): backslash, comma, semicolon, newline escaped."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def split_raw(raw: str, separator: str) -> list[str]:
    """Split a value at each `separator` not escaped by a backslash; parts stay escaped."""
    if "\\" not in raw:
        return raw.split(separator)
    parts: list[str] = []
    start = index = 0
    length = len(raw)
    while index < length:
        char = raw[index]
        if char == "\\":
            index += 2
            continue
        if char == separator:
            parts.append(raw[start:index])
            start = index + 1
        index += 1
    parts.append(raw[start:])
    return parts


def split_structured(raw: str, size: int) -> list[str]:
    """A compound value (`N`, `ADR`, `ORG`) as exactly `size` unescaped components."""
    parts = [unescape(part) for part in split_raw(raw, ";")]
    if len(parts) < size:
        parts += [""] * (size - len(parts))
    return parts


def join_structured(parts: list[str]) -> str:
    return ";".join(escape(part) for part in parts)


def split_list(raw: str) -> list[str]:
    """A comma list (`CATEGORIES`, `NICKNAME`) as its unescaped items, empty ones dropped."""
    return [text for text in (unescape(part).strip() for part in split_raw(raw, ",")) if text]


# -- dates (RFC 6350 §4.3.1 date, date-noreduc; RFC 2426 ISO 8601 dates) ---------------

_DATE = re.compile(
    r"""^\s*(?:
        (?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})     # 19850412, 1985-04-12
      | (?P<y2>\d{4})-(?P<m2>\d{2})                 # 1985-04
      | (?P<y3>\d{4})                               # 1985
      | --(?P<m4>\d{2})-?(?P<d4>\d{2})              # --0412, --04-12
      | --(?P<m5>\d{2})                             # --04
      | ---(?P<d6>\d{2})                            # ---12
    )(?:T[0-9:.Z+\-]*)?\s*$""",
    re.VERBOSE,
)


def parse_date(raw: str, omit_year: str | None = None) -> dict[str, int] | None:
    """A date value as a canonical partial date, or None when it is not one.

    `omit_year` is Apple's `X-APPLE-OMIT-YEAR` parameter: a year equal to it means unknown.
    """
    match = _DATE.match(raw)
    if not match:
        return None
    groups = match.groupdict()
    year = groups["y"] or groups["y2"] or groups["y3"]
    month = groups["m"] or groups["m2"] or groups["m4"] or groups["m5"]
    day = groups["d"] or groups["d4"] or groups["d6"]
    out: dict[str, int] = {}
    if year and year != omit_year:
        out["year"] = int(year)
    if month:
        out["month"] = int(month)
    if day:
        out["day"] = int(day)
    if not out or not 1 <= out.get("month", 1) <= 12 or not 1 <= out.get("day", 1) <= 31:
        return None
    if out.get("year", 1) < 1:
        return None
    return out


def render_date(date: dict[str, Any], version: str) -> str | None:
    """A canonical partial date as a vCard date (4.0 basic form, 3.0 extended), or None."""
    year, month, day = date.get("year"), date.get("month"), date.get("day")
    dash = "-" if version == "3.0" else ""
    if year and month and day:
        return f"{year:04d}{dash}{month:02d}{dash}{day:02d}"
    if month and day:
        return f"--{month:02d}{dash}{day:02d}"
    if year and month:
        return f"{year:04d}-{month:02d}"
    if year and not day:
        return f"{year:04d}"
    if month and not year:
        return f"--{month:02d}"
    if day and not year and not month:
        return f"---{day:02d}"
    return None


# -- binary values -------------------------------------------------------------------

_DATA_URI = re.compile(r"^data:(?P<type>[^;,]*)(?P<params>(?:;[^;,]*)*?)(?P<b64>;base64)?,", re.I)


def decode_base64(raw: str) -> bytes | None:
    try:
        return base64.b64decode("".join(raw.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def decode_data_uri(raw: str) -> tuple[bytes, str | None] | None:
    """`data:image/jpeg;base64,...` -> (bytes, media type), or None when it is not one."""
    match = _DATA_URI.match(raw)
    if not match or not match.group("b64"):
        return None
    data = decode_base64(raw[match.end() :])
    if data is None:
        return None
    return data, (match.group("type").lower() or None)


def data_uri(data: bytes, content_type: str | None) -> str:
    return f"data:{content_type or ''};base64," + base64.b64encode(data).decode("ascii")


# -- parameter values (RFC 6868 caret encoding) --------------------------------------

_CARET = re.compile(r"\^([n^'])")


def decode_param(value: str) -> str:
    if "^" not in value:
        return value
    return _CARET.sub(lambda m: {"n": "\n", "^": "^", "'": '"'}[m.group(1)], value)


def encode_param(value: str) -> str:
    """A parameter value as written: caret-encoded, and quoted when it needs to be."""
    if any(ch in value for ch in '^\n"'):
        value = value.replace("^", "^^").replace("\r\n", "\n").replace("\n", "^n")
        value = value.replace('"', "^'")
    if any(ch in value for ch in ":;,"):
        return f'"{value}"'
    return value
