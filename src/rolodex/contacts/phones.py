"""Phone numbers in E.164, so that a number matches whatever way it was written.

People type `+1 (415) 555-0100`, `4155550100` or `415.555.0100` for one number. Search
keeps, next to the number as stored, its E.164 form (via `phonenumbers`) and its
national form, all as plain digits. A number written without a country code is read
in the default region: `ROLODEX_DEFAULT_PHONE_REGION` (an ISO 3166 code, "US" unless
set), configured once per process by `Services.build`.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

DEFAULT_REGION = "US"
# phonenumbers refuses longer input anyway; past this nothing is a phone number.
_MAX_INPUT = 64
_NON_DIGITS = re.compile(r"\D+")

_region = DEFAULT_REGION


def set_default_region(region: str) -> None:
    """Read numbers without a country code as numbers of `region` (process-wide)."""
    global _region
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown phone region {region!r}: use an ISO 3166 code such as 'US'")
    _region = code


def default_region() -> str:
    return _region


def to_e164(raw: str, region: str | None = None) -> str | None:
    """`raw` as `+<country><number>`, or None when it cannot be a phone number."""
    parsed = _parse(raw, region)
    if parsed is None:
        return None
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def digit_forms(raw: str, region: str | None = None) -> list[str]:
    """The digit strings a number may be searched by: as written, E.164 and national.

    `"+44 20 7946 0958"` gives `442079460958` and `02079460958`; `"(415) 555-0100"`
    in the US gives `4155550100` and `14155550100`. Duplicates are removed, order kept.
    """
    forms = [_NON_DIGITS.sub("", raw)]
    parsed = _parse(raw, region)
    if parsed is not None:
        e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        national = phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
        forms += [_NON_DIGITS.sub("", e164), _NON_DIGITS.sub("", national)]
    return [f for f in dict.fromkeys(forms) if f]


def _parse(raw: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    if len(raw) > _MAX_INPUT or not any(ch.isdigit() for ch in raw):
        return None
    try:
        parsed = phonenumbers.parse(raw, region or _region)
    except (NumberParseException, ValueError):
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return parsed
