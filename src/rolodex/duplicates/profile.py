"""What the duplicate finder knows of a contact: its `Profile`, built once per write.

A profile holds the contact's name folded (names.fold), its emails in lower case, its
phone numbers as digits, its birthday, company, title and postal address: everything
the score reads (scoring.py), so that finding duplicates never parses a contact's data
or a phone number again. It is stored as a short JSON array (`encode` / `decode`).

Phone numbers are compared as digits, not through `phonenumbers`: parsing one costs
about 36 µs, which on a million-contact import is most of a minute. A number written
with its country code (`+` or `00`) keeps it (`+14155550100`); one without loses its
trunk zeros (`020 7946 0958` -> `2079460958`), and two numbers are one when they are
equal, or when one has no country code and is the end of the other (phones_match).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import orjson

from rolodex.duplicates.names import fold

_NON_DIGITS = re.compile(r"\D+")
# Shorter than this, digits are an extension or a typo, not a number to match on.
MIN_PHONE_DIGITS = 7


class Phone(NamedTuple):
    digits: str  # "+14155550100", or "4155550100" without a country code
    type: str
    written: str


class Profile(NamedTuple):
    given: str
    family: str
    display: str
    emails: tuple[str, ...]
    phones: tuple[Phone, ...]
    birthday: str  # "1980-04-02", "0000-04-02" without a year, "" unknown
    company: str
    title: str
    postal: str
    street: str


def phone_digits(raw: str) -> str:
    """A number as the digits it is compared by (see the module docstring), or ""."""
    # "+44 (0)20 ...": the trunk zero some write after the country code is not dialled.
    text = raw.strip().replace("(0)", "")
    digits = _NON_DIGITS.sub("", text)
    if text.startswith("+"):
        return "+" + digits if len(digits) >= MIN_PHONE_DIGITS else ""
    if digits.startswith("00") and len(digits) > MIN_PHONE_DIGITS + 2:
        return "+" + digits[2:]
    national = digits.lstrip("0")
    return national if len(national) >= MIN_PHONE_DIGITS else ""


def phones_match(a: str, b: str) -> bool:
    """One number in two writings: equal, or one without country code ending the other."""
    if a == b:
        return True
    if a.startswith("+") and b.startswith("+"):
        return False
    return a.lstrip("+").endswith(b.lstrip("+")) or b.lstrip("+").endswith(a.lstrip("+"))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entries(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    return [e for e in data.get(field) or [] if isinstance(e, dict)]


def _name(data: dict[str, Any]) -> dict[str, Any]:
    name = data.get("name")
    return name if isinstance(name, dict) else {}


def _name_parts(data: dict[str, Any]) -> tuple[str, str]:
    """(given, family) folded; from the display name when no structured name exists."""
    name = _name(data)
    given, family = fold(_text(name.get("givenName"))), fold(_text(name.get("familyName")))
    if given or family:
        return given, family
    display = _text(data.get("displayName"))
    if "," in display:  # "Smith, Bob"
        last, _, first = display.partition(",")
        return fold(first), fold(last)
    words = fold(display).split()
    if len(words) < 2:
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]


def _display(data: dict[str, Any], given: str, family: str) -> str:
    shown = _text(data.get("displayName"))
    if shown:
        return shown
    name = _name(data)
    parts = [_text(name.get("givenName")), _text(name.get("familyName"))]
    return " ".join(p for p in parts if p) or f"{given} {family}".strip()


def _birthday(data: dict[str, Any]) -> str:
    day = data.get("birthday")
    if not isinstance(day, dict) or not day.get("month") or not day.get("day"):
        return ""
    return f"{int(day.get('year') or 0):04d}-{int(day['month']):02d}-{int(day['day']):02d}"


def build(data: dict[str, Any]) -> Profile:
    """A contact's profile from its (valid) contactData."""
    given, family = _name_parts(data)
    emails = tuple(
        dict.fromkeys(
            _text(e.get("value")).lower()
            for e in _entries(data, "emails")
            if "@" in _text(e.get("value"))
        )
    )
    phones: list[Phone] = []
    for entry in _entries(data, "phoneNumbers"):
        written = _text(entry.get("value"))
        digits = phone_digits(written)
        if digits and all(p.digits != digits for p in phones):
            phones.append(Phone(digits, _text(entry.get("type")).lower() or "phone", written))
    org = (_entries(data, "organizations") or [{}])[0]
    address = (_entries(data, "addresses") or [{}])[0]
    return Profile(
        given=given,
        family=family,
        display=_display(data, given, family),
        emails=emails,
        phones=tuple(phones),
        birthday=_birthday(data),
        company=fold(_text(org.get("name"))),
        title=fold(_text(org.get("title"))),
        postal=_text(address.get("postalCode")).replace(" ", "").upper(),
        street=fold(_text(address.get("street"))),
    )


def encode(profile: Profile) -> str:
    row: list[Any] = list(profile)
    row[3] = list(profile.emails)
    row[4] = [list(p) for p in profile.phones]
    return orjson.dumps(row).decode()


def decode(text: str | bytes) -> Profile:
    row = orjson.loads(text)
    row[4] = tuple(Phone(*p) for p in row[4])
    row[3] = tuple(row[3])
    return Profile(*row)
