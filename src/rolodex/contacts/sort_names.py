"""The name a contact is listed under, and the key that sorts an address book by it.

The address book lists contacts by the name people see (`displayName`, else the
structured name, else the company, email or phone), so the key is derived from the
same label: accents stripped and case folded, so "Émile" sorts with "emile". It is
stored in `contacts.sort_key` (revision 0009_book) under an index on
(owner_id, sort_key, pk), which lets a page of 100,000 contacts start anywhere by
key without counting or sorting the rest. Contacts with no name at all sort last.
"""

from __future__ import annotations

import unicodedata
from typing import Any

MAX_KEY = 200
NAMELESS = "~"
"""The key of a contact with nothing to call it by: `~` sorts after letters and digits."""


def _first_value(data: dict[str, Any], name: str) -> str:
    for entry in data.get(name) or []:
        if isinstance(entry, dict):
            value = entry.get("value") if name != "organizations" else entry.get("name")
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def structured_name(data: dict[str, Any]) -> str:
    name = data.get("name") or {}
    if not isinstance(name, dict):
        return ""
    parts = (name.get(k) for k in ("prefix", "givenName", "middleName", "familyName", "suffix"))
    return " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())


def display_label(data: dict[str, Any]) -> str:
    """What to call the contact: its display name, its name, else what else identifies it."""
    shown = data.get("displayName")
    if isinstance(shown, str) and shown.strip():
        return shown.strip()
    return (
        structured_name(data)
        or _first_value(data, "organizations")
        or _first_value(data, "emails")
        or _first_value(data, "phoneNumbers")
    )


def sort_key(data: dict[str, Any]) -> str:
    """The stored sort key: the label, accent-free and case-folded; nameless ones last."""
    label = display_label(data)
    if not label:
        return NAMELESS
    decomposed = unicodedata.normalize("NFKD", label)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    key = " ".join(stripped.casefold().split())
    return key[:MAX_KEY] or NAMELESS
