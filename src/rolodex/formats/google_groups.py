"""Google CSV's repeated groups (`E-mail 2 - Value`, `Event 1 - Label`) read into canonical lists.

`google_csv` gathers a row's cells of one group (kind and number) and hands them here:
the known parts go to the canonical entry, the label becomes its type, Google's
` ::: `-joined values become several entries, and what has no home is kept in `items`
under its column name (docs/import-export.md, "Google CSV").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rolodex.formats.csv_values import kept, parse_iso_date
from rolodex.formats.google_labels import SEPARATOR, type_of_label

# Repeated groups: `<kind> <n> - <part>`. The part names per kind, and the canonical key
# of each (the label part is `Label`, or `Type` in the older form).
REPEATED_COLUMN = re.compile(
    r"^(E-mail|Phone|Address|Organization|Website|Relation|Event|IM|Custom Field) (\d+) - (.+)$"
)
GROUPS: dict[str, tuple[str, dict[str, str]]] = {
    "E-mail": ("emails", {"Value": "value"}),
    "Phone": ("phoneNumbers", {"Value": "value"}),
    "Address": (
        "addresses",
        {
            "Formatted": "formatted",
            "Street": "street",
            "City": "city",
            "PO Box": "poBox",
            "Region": "region",
            "Postal Code": "postalCode",
            "Country": "country",
            "Extended Address": "extendedAddress",
        },
    ),
    "Organization": (
        "organizations",
        {
            "Name": "name",
            "Title": "title",
            "Department": "department",
            "Location": "location",
            "Job Description": "description",
        },
    ),
    "Relation": ("relatedPeople", {"Value": "value"}),
    "Website": ("urls", {"Value": "value"}),
    "Event": ("dates", {"Value": "value"}),
    "IM": ("ims", {"Service": "service", "Value": "value"}),
    "Custom Field": ("items", {"Value": "value"}),
}
_LABEL_PARTS = ("Label", "Type")


@functools.lru_cache(maxsize=4096)
def repeated_column(column: str) -> tuple[str, int, str] | None:
    """`E-mail 2 - Value` as `("E-mail", 2, "Value")`; once per column name, not per row."""
    match = REPEATED_COLUMN.match(column)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else None


def split_entries(parts: Mapping[str, str]) -> list[dict[str, str]]:
    """Cells whose values Google joined with ` ::: ` as one dict per value."""
    if not any(SEPARATOR in value for value in parts.values()):
        return [dict(parts)] if parts else []
    split = {key: value.split(SEPARATOR) for key, value in parts.items()}
    count = max(len(values) for values in split.values())
    entries = []
    for index in range(count):
        entry = {key: values[index] for key, values in split.items() if index < len(values)}
        entries.append({key: value for key, value in entry.items() if value})
    return [entry for entry in entries if entry]


@dataclass(frozen=True)
class _Group:
    """One group of a row (`Event 2 - ...`): its label and where cells with no home go."""

    kind: str
    number: int
    label: str | None
    label_column: str
    items: list[dict[str, str]]


def add_group(
    data: dict[str, Any], items: list[dict[str, str]], kind: str, number: int, cells: dict[str, str]
) -> None:
    """Add one group's entries to their list in `data`; the cells with no home go to `items`."""
    field, known = GROUPS[kind]
    label = next((cells[p] for p in _LABEL_PARTS if p in cells), None)
    parts: dict[str, str] = {}
    for part, cell in cells.items():
        if part in known:
            parts[known[part]] = cell
        elif part not in _LABEL_PARTS:
            kept(items, f"{kind} {number} - {part}", cell)
    label_column = f"{kind} {number} - {'Label' if 'Label' in cells else 'Type'}"
    # The canonical organization has no type: its label is kept like any other cell.
    if label is not None and (not parts or kind == "Organization"):
        kept(items, label_column, label)
        label = None
    if not parts:
        return
    out = data.setdefault(field, [])
    out.extend(_entries(_Group(kind, number, label, label_column, items), parts))
    if not out:
        del data[field]


def _entries(group: _Group, parts: dict[str, str]) -> list[dict[str, Any]]:
    labels = [type_of_label(one) for one in (group.label or "").split(SEPARATOR)]
    shape = _SHAPES.get(group.kind, _as_is)
    entries = []
    for index, cells_entry in enumerate(split_entries(parts)):
        type_ = labels[index] if index < len(labels) else labels[0]
        shaped = shape(group, index, dict(cells_entry), type_)
        if shaped is None:
            continue
        entry, type_ = shaped
        entries.append({"type": type_, **entry} if type_ else entry)
    return entries


# How a kind's entry differs from the plain `{type, value}`: the entry and its type, or
# None when the value has no canonical home (it is kept instead).
_Shaped = tuple[dict[str, Any], str | None] | None


def _as_is(group: _Group, index: int, entry: dict[str, Any], type_: str | None) -> _Shaped:
    return entry, type_


def _event(group: _Group, index: int, entry: dict[str, Any], type_: str | None) -> _Shaped:
    date = parse_iso_date(entry.get("value", ""))
    if date is None:
        if group.label and index == 0:
            kept(group.items, group.label_column, group.label)
        kept(group.items, f"Event {group.number} - Value", entry.get("value", ""))
        return None
    return {**date}, type_


def _im(group: _Group, index: int, entry: dict[str, Any], type_: str | None) -> _Shaped:
    # The canonical IM has one type: the service (Skype, Jabber) says the most.
    service = entry.pop("service", None)
    if service and group.label and index == 0:
        kept(group.items, group.label_column, group.label)
    return entry, service or type_


def _custom_field(group: _Group, index: int, entry: dict[str, Any], type_: str | None) -> _Shaped:
    # A custom field's label is its name, not a kind: kept exactly.
    names = group.label.split(SEPARATOR) if group.label else []
    return {"value": entry.get("value", "")}, names[min(index, len(names) - 1)] if names else None


_SHAPES: dict[str, Callable[[_Group, int, dict[str, Any], str | None], _Shaped]] = {
    "Event": _event,
    "IM": _im,
    "Custom Field": _custom_field,
}
