"""The personal contacts API's contact <-> the canonical contact (DESIGN.md mapping table).

`to_personal` shows a contact as that API does (every field present, `null` when it has
no value). `apply_personal` writes the fields a request named into canonical data and
touches nothing else: a field left out is unchanged, and a field whose value equals what
a read would show is unchanged too, so a client that sends back what it read changes
nothing. `null` or `""` clears just that one value.
"""

from __future__ import annotations

import copy
from typing import Any

from rolodex.contacts.mapping_common import (
    first_value,
    format_address,
    phone_of_kind,
    read_display_name,
    write_display_name,
    write_first_value,
    write_phone_of_kind,
)
from rolodex.contacts.model import Contact

# Phone fields: (field, kind, which of that kind, 0-based).
PHONE_FIELDS: tuple[tuple[str, str, int], ...] = (
    ("business", "work", 0),
    ("business2", "work", 1),
    ("mobile_phone", "mobile", 0),
    ("mobile_phone2", "mobile", 1),
    ("home_phone", "home", 0),
    ("home_phone2", "home", 1),
    ("other", "other", 0),
    ("business_fax", "workfax", 0),
    ("home_fax", "homefax", 0),
)

# The writable fields, in the spec's order.
WRITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "email",
    "company",
    "title",
    "business",
    "business2",
    "mobile_phone",
    "mobile_phone2",
    "home_phone",
    "home_phone2",
    "other",
    "business_fax",
    "home_fax",
    "address",
    "notes",
)


def _first_org_field(data: dict[str, Any], key: str) -> str | None:
    orgs = data.get("organizations")
    if isinstance(orgs, list) and orgs and isinstance(orgs[0], dict):
        value = orgs[0].get(key)
        return value if isinstance(value, str) else None
    return None


def read_fields(data: dict[str, Any]) -> dict[str, str | None]:
    """The writable personal fields of canonical data, as that API reads them."""
    out: dict[str, str | None] = {
        "name": read_display_name(data),
        "email": first_value(data.get("emails")),
        "company": _first_org_field(data, "name"),
        "title": _first_org_field(data, "title"),
    }
    for field, kind, nth in PHONE_FIELDS:
        out[field] = phone_of_kind(data, kind, nth)
    addresses = data.get("addresses")
    out["address"] = (
        format_address(addresses[0]) if isinstance(addresses, list) and addresses else None
    )
    notes = data.get("notes")
    out["notes"] = notes if isinstance(notes, str) and notes else None
    return {field: out[field] for field in WRITABLE_FIELDS}


def to_personal(contact: Contact) -> dict[str, Any]:
    """A contact as the personal API shows it; a tombstone shows only its id (the rest null)."""
    if contact.deleted:
        fields: dict[str, Any] = dict.fromkeys(WRITABLE_FIELDS)
        return {"id": contact.contact_id, **fields, "sync_type": None, "favorite": False}
    source = contact.meta.get("source")
    return {
        "id": contact.contact_id,
        **read_fields(contact.data),
        "sync_type": source if isinstance(source, str) else None,
        "favorite": bool(contact.meta.get("favorite", False)),
    }


def _write_org_field(data: dict[str, Any], key: str, value: str | None) -> None:
    orgs = data.get("organizations")
    if not isinstance(orgs, list):
        orgs = []
    if value is None:
        if orgs:
            orgs[0].pop(key, None)
            if not orgs[0]:
                orgs.pop(0)
    elif orgs:
        orgs[0][key] = value
    else:
        orgs.append({key: value})
    if orgs:
        data["organizations"] = orgs
    else:
        data.pop("organizations", None)


def _write_address(data: dict[str, Any], value: str | None) -> None:
    # The API holds the first address as one line of text; a new line replaces that
    # address's parts (which would otherwise contradict it), keeping its type.
    addresses = data.get("addresses")
    if not isinstance(addresses, list):
        addresses = []
    if value is None:
        if addresses:
            addresses.pop(0)
    elif addresses:
        kept = {"type": addresses[0]["type"]} if addresses[0].get("type") else {}
        addresses[0] = {**kept, "formatted": value}
    else:
        addresses.append({"formatted": value})
    if addresses:
        data["addresses"] = addresses
    else:
        data.pop("addresses", None)


def apply_personal(data: dict[str, Any], changes: dict[str, str | None]) -> dict[str, Any]:
    """New canonical data: `data` with the named personal fields written, all else kept.

    `changes` maps writable field names to a value, or to None / `""` to clear it.
    """
    out = copy.deepcopy(data)
    current = read_fields(out)
    wanted = {f: (v or None) for f, v in changes.items() if f in current}
    wanted = {f: v for f, v in wanted.items() if v != current[f]}
    if "name" in wanted:
        write_display_name(out, wanted["name"])
    if "email" in wanted:
        write_first_value(out, "emails", wanted["email"])
    _write_org_fields(out, wanted)
    _write_phones(out, wanted)
    if "address" in wanted:
        _write_address(out, wanted["address"])
    if "notes" in wanted:
        _write_notes(out, wanted["notes"])
    return out


def _write_org_fields(out: dict[str, Any], wanted: dict[str, str | None]) -> None:
    # Values before removals: clearing `company` must not drop the organization that a
    # `title` in the same request is written to.
    org_fields = (("company", "name"), ("title", "title"))
    for field, key in org_fields:
        if wanted.get(field) is not None:
            _write_org_field(out, key, wanted[field])
    for field, key in org_fields:
        if field in wanted and wanted[field] is None:
            _write_org_field(out, key, None)


def _write_phones(out: dict[str, Any], wanted: dict[str, str | None]) -> None:
    # Values first, in order, then removals from the last slot back, so that every
    # position a request names is the one the client read.
    for field, kind, nth in PHONE_FIELDS:
        if wanted.get(field) is not None:
            write_phone_of_kind(out, kind, nth, wanted[field])
    for field, kind, nth in reversed(PHONE_FIELDS):
        if field in wanted and wanted[field] is None:
            write_phone_of_kind(out, kind, nth, None)


def _write_notes(out: dict[str, Any], value: str | None) -> None:
    if value is None:
        out.pop("notes", None)
    else:
        out["notes"] = value
