"""The REST contacts API's contact <-> the canonical contact (DESIGN.md mapping table).

`to_rest` shows a contact as that API does; `apply_rest` writes the fields a request
carried into canonical data and metadata and touches nothing else. A field the request
left out is unchanged, and a value equal to what a read shows is not rewritten, so a
client that PUTs back what it read changes nothing. Tags (names <-> ids) need the tag
store and are resolved by the caller.
"""

from __future__ import annotations

import copy
from typing import Any, Literal, get_args

from rolodex.contacts.mapping_common import first_value, read_display_name, write_display_name
from rolodex.contacts.model import Contact

# specs/rest-contacts-api.txt and DESIGN.md: the stages, exactly as spelt there.
Stage = Literal[
    "Subscriber",
    "Lead",
    "Marketing qualified lead (MQL)",
    "Sales qualified lead (SQL)",
    "Opportunity",
    "Customer",
    "Evangelist",
    "Other",
]
STAGES: tuple[str, ...] = get_args(Stage)

# The type a phone written through this API gets when the contact has none yet.
NEW_PHONE_TYPE = "mobile"


def read_custom_fields(data: dict[str, Any]) -> dict[str, str]:
    """`items` as `{type: value}`: the first item of each type; items without a type or value are not shown."""
    out: dict[str, str] = {}
    for item in data.get("items") or []:
        key, value = item.get("type"), item.get("value")
        if isinstance(key, str) and isinstance(value, str) and key not in out:
            out[key] = value
    return out


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def to_rest(contact: Contact, tag_names: list[str]) -> dict[str, Any]:
    """A live contact as the REST API shows it; fields with no value are `null`."""
    location = contact.meta.get("location")
    return {
        "id": contact.contact_id,
        "name": read_display_name(contact.data),
        "phoneNumber": first_value(contact.data.get("phoneNumbers")),
        "location": dict(location) if isinstance(location, dict) else None,
        "stage": _text(contact.meta.get("stage")),
        "notes": _text(contact.data.get("notes")),
        "customFields": read_custom_fields(contact.data),
        "tags": sorted(tag_names, key=str.casefold),
    }


def _write_phone(data: dict[str, Any], value: str | None) -> None:
    phones = data.get("phoneNumbers")
    if not isinstance(phones, list):
        phones = []
    if value is None:
        if phones:
            phones.pop(0)
    elif phones:
        phones[0]["value"] = value
    else:
        phones.append({"type": NEW_PHONE_TYPE, "value": value})
    if phones:
        data["phoneNumbers"] = phones
    else:
        data.pop("phoneNumbers", None)


def _write_custom_fields(data: dict[str, Any], wanted: dict[str, str | None]) -> None:
    """Make the shown `{type: value}` map equal `wanted` (None values dropped), in place.

    Only the items this API shows (the first of each type) are rewritten or removed; an
    item without a type or value, or a later item of a repeated type, is kept as it is.
    New keys are appended in the order given.
    """
    target = {k: v for k, v in wanted.items() if v is not None}
    items = data.get("items")
    if not isinstance(items, list):
        items = []
    seen: set[str] = set()
    kept = []
    for item in items:
        key, value = item.get("type"), item.get("value")
        if not isinstance(key, str) or not isinstance(value, str) or key in seen:
            kept.append(item)
            continue
        seen.add(key)
        if key in target:
            if target[key] != value:
                item = {**item, "value": target[key]}
            kept.append(item)
    for key, value in target.items():
        if key not in seen:
            kept.append({"type": key, "value": value})
    if kept:
        data["items"] = kept
    else:
        data.pop("items", None)


def apply_rest(
    data: dict[str, Any], meta: dict[str, Any], fields: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """New (data, meta): the REST `fields` a request carried written in, all else kept.

    `fields` holds only the keys the request sent (`name`, `phoneNumber`, `stage`,
    `notes`, `customFields`, `location`); `None` clears one.
    """
    new_data, new_meta = copy.deepcopy(data), copy.deepcopy(meta)
    if "name" in fields:
        write_display_name(new_data, fields["name"] or None)
    if "phoneNumber" in fields:
        value = fields["phoneNumber"] or None
        if value != first_value(new_data.get("phoneNumbers")):
            _write_phone(new_data, value)
    if "notes" in fields:
        _set_or_drop(new_data, "notes", fields["notes"] or None)
    if "customFields" in fields:
        wanted = fields["customFields"] or {}
        if {k: v for k, v in wanted.items() if v is not None} != read_custom_fields(new_data):
            _write_custom_fields(new_data, wanted)
    if "stage" in fields:
        _set_or_drop(new_meta, "stage", fields["stage"])
    if "location" in fields:
        _write_location(new_meta, fields["location"])
    return new_data, new_meta


def _set_or_drop(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def _write_location(meta: dict[str, Any], location: dict[str, Any] | None) -> None:
    old = meta.get("location")
    if location is None:
        meta.pop("location", None)
    elif "title" not in location and isinstance(old, dict) and old.get("id") == location["id"]:
        pass  # `{id}` alone names the location it already has: its title is kept
    else:
        meta["location"] = dict(location)
