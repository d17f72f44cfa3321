"""Each vCard property with a canonical home: its value <-> the canonical entry.

`decode` turns one property into `(field, entry)` (or None when its value has no
canonical form, and the property is then kept whole in the extras). `render` is the
writer's side: the property name, the parameters other than TYPE/PREF, and the value
text for a canonical entry. The reader compares what it read with `render` to decide
which details it must keep (extras.py) for the card to come back out as it came in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rolodex.formats.vcard.read import Property
from rolodex.formats.vcard.values import (
    escape,
    join_structured,
    parse_date,
    render_date,
    split_structured,
    unescape,
)

# Canonical list field -> the property the writer uses for it (dates, relatedPeople and
# items choose per entry: `render`).
LIST_PROPERTIES = {
    "EMAIL": "emails",
    "TEL": "phoneNumbers",
    "ADR": "addresses",
    "URL": "urls",
    "IMPP": "ims",
    "RELATED": "relatedPeople",
    "X-ABRELATEDNAMES": "relatedPeople",
    "ANNIVERSARY": "dates",
    "X-ANNIVERSARY": "dates",
    "X-ABDATE": "dates",
    "NICKNAME": "items",
    "X-ROLODEX-ITEM": "items",
}

# ADR components in order (RFC 6350 §6.3.1).
ADR_PARTS = ("poBox", "extendedAddress", "street", "city", "region", "postalCode", "country")
N_PARTS = ("familyName", "givenName", "middleName", "prefix", "suffix")

NICKNAME = "nickname"
ANNIVERSARY = "anniversary"


@dataclass(slots=True)
class Rendered:
    name: str
    params: dict[str, list[str]]
    value: str


def uri_text(value: str) -> str:
    """A URI value as written: only what would break the line (or an escape) is escaped."""
    return value.replace("\\", "\\\\").replace("\r\n", "\n").replace("\n", "\\n")


def decode(prop: Property) -> tuple[str, dict[str, Any]] | None:
    """A list property's canonical entry, without `type` (the caller adds it)."""
    field = LIST_PROPERTIES[prop.name]
    raw = prop.value
    if field == "addresses":
        parts = split_structured(raw, len(ADR_PARTS))
        entry = {key: part for key, part in zip(ADR_PARTS, parts, strict=False) if part}
        label = prop.param("LABEL")
        if label:
            entry["formatted"] = label
        return (field, entry) if entry else None
    if field == "dates":
        omit = prop.param("X-APPLE-OMIT-YEAR")
        date = parse_date(raw, omit)
        if date is None or (prop.param("VALUE") or "date").lower() == "text":
            return None
        return field, dict(date)
    value = unescape(raw)
    if field == "phoneNumbers" and value.lower().startswith("tel:"):
        value = value[4:]
    if not value.strip():
        return None
    return field, {"value": value}


def default_params(field: str, entry: dict[str, Any], version: str) -> dict[str, list[str]]:
    if field == "relatedPeople" and version == "4.0":
        return {"VALUE": ["text"]}
    if field == "photos" and version == "3.0":
        return {"VALUE": ["uri"]}
    if field == "addresses" and entry.get("formatted"):
        return {"LABEL": [entry["formatted"]]}
    return {}


def _address(entry: dict[str, Any], params: dict[str, list[str]]) -> Rendered | None:
    parts = join_structured([str(entry.get(key) or "") for key in ADR_PARTS])
    if parts == ";" * (len(ADR_PARTS) - 1) and not entry.get("formatted"):
        return None
    return Rendered("ADR", params, parts)


def _date(entry: dict[str, Any], params: dict[str, list[str]], version: str) -> Rendered | None:
    text = render_date(entry, version)
    if text is None:
        return None
    if entry.get("type") == ANNIVERSARY:
        name = "ANNIVERSARY" if version == "4.0" else "X-ANNIVERSARY"
    else:
        name = "X-ABDATE"
    return Rendered(name, params, text)


def _related_name(type_: object, version: str) -> str:
    return "RELATED" if version == "4.0" else "X-ABRELATEDNAMES"


def _item_name(type_: object, version: str) -> str:
    return "NICKNAME" if type_ == NICKNAME else "X-ROLODEX-ITEM"


def _always(name: str) -> Callable[[object, str], str]:
    return lambda type_, version: name


# A text-valued list field -> (its property name from the entry's type and the version,
# how its value is written).
_TEXT_PROPERTIES: dict[str, tuple[Callable[[object, str], str], Callable[[str], str]]] = {
    "emails": (_always("EMAIL"), escape),
    "phoneNumbers": (_always("TEL"), escape),
    "urls": (_always("URL"), uri_text),
    "ims": (_always("IMPP"), uri_text),
    "photos": (_always("PHOTO"), uri_text),
    "relatedPeople": (_related_name, escape),
    "items": (_item_name, escape),
}


def render(field: str, entry: dict[str, Any], version: str) -> Rendered | None:
    """The writer's property for a canonical list entry (TYPE and PREF aside)."""
    params = default_params(field, entry, version)
    if field == "addresses":
        return _address(entry, params)
    if field == "dates":
        return _date(entry, params, version)
    value = entry.get("value")
    if not isinstance(value, str) or not value.strip():
        return None
    if field not in _TEXT_PROPERTIES:
        raise ValueError(field)
    name_for, text_for = _TEXT_PROPERTIES[field]
    return Rendered(name_for(entry.get("type"), version), params, text_for(value))


def decode_name(prop: Property) -> dict[str, str]:
    parts = split_structured(prop.value, len(N_PARTS))
    return {key: part for key, part in zip(N_PARTS, parts, strict=False) if part}


def render_name(name: dict[str, Any]) -> str:
    return join_structured([str(name.get(key) or "") for key in N_PARTS])


def decode_org(prop: Property) -> dict[str, str]:
    parts = split_structured(prop.value, 2)
    out = {}
    if parts[0]:
        out["name"] = parts[0]
    if parts[1]:
        out["department"] = parts[1]
    return out


def render_org(org: dict[str, Any]) -> str | None:
    name, department = org.get("name") or "", org.get("department") or ""
    if not name and not department:
        return None
    return join_structured([name, department]) if department else escape(name)
