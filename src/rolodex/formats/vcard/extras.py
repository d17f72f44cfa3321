"""What a vCard holds that the canonical contact has no field for, and how it is kept.

`Card.extras["vcard"]` holds two lists, both JSON (docs/import-export.md, "vCard: what
Rolodex keeps that has no field"):

- `properties`: whole properties with no canonical home (`X-` properties, `GENDER`,
  `GEO`, `TZ`, `KIND`, a second `BDAY`...), each `{group, name, params, value}` as read
  (the value still escaped as in the file), written back unchanged.
- `values`: details of one canonical value that its canonical form cannot hold (the
  original `TYPE` list when the type does not say it, `PREF`, unknown parameters, the
  Apple group and label, the property name when it was not the writer's, the value text
  when the writer would spell it differently). Each is keyed to its value: the field,
  and `key`, a digest of the canonical entry as it is now, so a detail applies only while
  that exact value (with its type) is still there.

`reconcile` is what a write through another API calls: whole properties stay, value
details stay only for values still present. Nothing kept can then contradict the data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import orjson

EXTRAS_KEY = "vcard"

# Canonical fields that hold one value, and those that hold a list.
SINGLE_FIELDS = ("name", "displayName", "birthday", "notes")
LIST_FIELDS = (
    "emails",
    "phoneNumbers",
    "addresses",
    "organizations",
    "urls",
    "ims",
    "relatedPeople",
    "dates",
    "items",
    "photos",
)


def value_key(entry: object) -> str:
    """A short, stable digest of one canonical value (a dict or a string)."""
    data = orjson.dumps(entry, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=10).hexdigest()


def entries(contact_data: dict[str, Any]) -> Iterator[tuple[str, object]]:
    """Every canonical value a detail may belong to, as (field, value)."""
    for name in SINGLE_FIELDS:
        value = contact_data.get(name)
        if value:
            yield name, value
    for name in LIST_FIELDS:
        values = contact_data.get(name)
        if isinstance(values, list):
            for value in values:
                yield name, value


def present_keys(contact_data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(name, value_key(value)) for name, value in entries(contact_data)}


def reconcile(extras: dict[str, Any], contact_data: dict[str, Any]) -> dict[str, Any]:
    """The kept extras after `contact_data` was written through another API.

    Whole properties are kept; a value's details are kept only while that value (same
    field, same canonical entry) is still in `contact_data`. Other formats' extras are
    left alone. Pure: returns a new dict.
    """
    kept = extras.get(EXTRAS_KEY)
    if not isinstance(kept, dict):
        return dict(extras)
    present = present_keys(contact_data)
    values = [
        detail
        for detail in kept.get("values") or []
        if isinstance(detail, dict) and (detail.get("field"), detail.get("key")) in present
    ]
    out = dict(extras)
    section = {k: v for k, v in kept.items() if k != "values"}
    if values:
        section["values"] = values
    if section:
        out[EXTRAS_KEY] = section
    else:
        out.pop(EXTRAS_KEY)
    return out


class DetailIndex:
    """The value details of a card, found by (field, key, property) and used once each."""

    def __init__(self, details: list[dict[str, Any]]) -> None:
        self._by_key: dict[tuple[str, str, str | None], list[dict[str, Any]]] = {}
        for detail in details:
            if isinstance(detail, dict):
                key = (str(detail.get("field")), str(detail.get("key")), detail.get("prop"))
                self._by_key.setdefault(key, []).append(detail)

    def take(self, field: str, entry: object, prop: str | None = None) -> dict[str, Any]:
        if not self._by_key:
            return {}  # a contact never read from a vCard: nothing to digest
        found = self._by_key.get((field, value_key(entry), prop))
        return found.pop(0) if found else {}

    def groups(self) -> set[str]:
        return {
            str(d["group"]).lower() for ds in self._by_key.values() for d in ds if d.get("group")
        }
