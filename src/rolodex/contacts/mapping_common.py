"""What the REST and personal mappings share: the display name, phone kinds, address text.

Pure functions over the canonical `contactData` dict (DESIGN.md, "How the other two APIs
map onto it"); no SQL, no HTTP. Writers here change only the part they are named for,
which is how the fidelity rule holds.
"""

from __future__ import annotations

import re
from typing import Any

# Phone and email types compare case-insensitively, ignoring spaces, dashes and
# underscores, with the usual synonyms (DESIGN.md): `business` = `work`, `cell` = `mobile`.
_SYNONYMS = {
    "business": "work",
    "cell": "mobile",
    "cellular": "mobile",
    "businessfax": "workfax",
    "workfax": "workfax",
    "homefax": "homefax",
}

# The type a new phone is written with, per kind (the Contacts+ spelling).
CANONICAL_TYPE = {
    "work": "work",
    "mobile": "mobile",
    "home": "home",
    "other": "other",
    "workfax": "workFax",
    "homefax": "homeFax",
}


def kind_of(type_: object) -> str | None:
    """The normalised kind of a phone or email type (`Cell` -> `mobile`), or None."""
    if not isinstance(type_, str):
        return None
    key = re.sub(r"[\s_\-]", "", type_.lower())
    return _SYNONYMS.get(key, key)


# -- names -------------------------------------------------------------------------------


def compose_name(name: object) -> str | None:
    """The structured name as one line (`prefix given middle family suffix`), or None."""
    if not isinstance(name, dict):
        return None
    parts = [name.get(k) for k in ("prefix", "givenName", "middleName", "familyName", "suffix")]
    text = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return text or None


def split_name(text: str) -> dict[str, str]:
    """A one-line name as a structured one: the first word given, the rest family."""
    given, _, family = text.strip().partition(" ")
    out = {"givenName": given}
    if family.strip():
        out["familyName"] = family.strip()
    return out


def read_display_name(data: dict[str, Any]) -> str | None:
    """`displayName`, or when only a structured name exists, that name composed."""
    display = data.get("displayName")
    if isinstance(display, str) and display:
        return display
    return compose_name(data.get("name"))


def write_display_name(data: dict[str, Any], value: str | None) -> None:
    """Set (or with None, clear) the one-line name, in place.

    The structured name is rewritten only when it carries nothing of its own: when
    there is none, or it is exactly what splitting the old `displayName` made. A richer
    structured name (a prefix, a middle name, a different spelling) is kept as it is and
    only `displayName` changes. Clearing the name clears both: the contact then has no
    name through any API.
    """
    if value == read_display_name(data):
        return
    structured = data.get("name")
    old_display = data.get("displayName")
    derived = not structured or (
        isinstance(old_display, str) and old_display and structured == split_name(old_display)
    )
    if value is None:
        data.pop("displayName", None)
        data.pop("name", None)
        return
    data["displayName"] = value
    if derived:
        data["name"] = split_name(value)


# -- first-of helpers --------------------------------------------------------------------


def first_value(entries: object) -> str | None:
    """The `value` of the first entry of a `{type, value}` list, or None."""
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        value = entries[0].get("value")
        return value if isinstance(value, str) else None
    return None


def write_first_value(
    data: dict[str, Any], key: str, value: str | None, *, new_type: str | None = None
) -> None:
    """Set the first entry's `value` of a list (creating one), or with None remove that entry."""
    entries = data.get(key)
    if not isinstance(entries, list):
        entries = []
    if value is None:
        if entries:
            entries.pop(0)
    elif entries:
        entries[0]["value"] = value
    else:
        entries.append({"type": new_type, "value": value} if new_type else {"value": value})
    if entries:
        data[key] = entries
    else:
        data.pop(key, None)


def phone_of_kind(data: dict[str, Any], kind: str, nth: int) -> str | None:
    """The value of the `nth` (0-based) phone of a kind, or None."""
    phones = data.get("phoneNumbers") or []
    matching = [p for p in phones if kind_of(p.get("type")) == kind]
    if nth < len(matching):
        value = matching[nth].get("value")
        return value if isinstance(value, str) else None
    return None


def write_phone_of_kind(data: dict[str, Any], kind: str, nth: int, value: str | None) -> None:
    """Set the `nth` phone of a kind, leaving every other phone untouched, in place.

    With None that one phone is removed (so a second of its kind becomes the first). A
    phone for a slot that does not exist yet is appended with the kind's canonical type.
    """
    phones = data.get("phoneNumbers")
    if not isinstance(phones, list):
        phones = []
    positions = [i for i, p in enumerate(phones) if kind_of(p.get("type")) == kind]
    if nth < len(positions):
        if value is None:
            phones.pop(positions[nth])
        else:
            phones[positions[nth]]["value"] = value
    elif value is not None:
        phones.append({"type": CANONICAL_TYPE.get(kind, kind), "value": value})
    if phones:
        data["phoneNumbers"] = phones
    else:
        data.pop("phoneNumbers", None)


# -- addresses ---------------------------------------------------------------------------

_ADDRESS_PARTS = ("poBox", "street", "extendedAddress", "city", "region", "postalCode", "country")


def format_address(address: object) -> str | None:
    """An address as one line: `formatted`, or its parts joined with commas."""
    if not isinstance(address, dict):
        return None
    formatted = address.get("formatted")
    if isinstance(formatted, str) and formatted:
        return formatted
    parts = [address.get(k) for k in _ADDRESS_PARTS]
    text = ", ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return text or None
