"""Google Contacts CSV <-> `Card`s: the export of contacts.google.com, current and older form.

Reading takes both header forms (docs/import-export.md, "Google CSV", has the tables):
the current one (`First Name`, `Labels`, `E-mail 1 - Label`) and the older one (`Given
Name`, `Group Membership`, `E-mail 1 - Type`, `Organization 1 - Name`). Google puts
several values of one label in one cell joined by ` ::: `; they become several values.
A cell with no canonical home is kept in `items` under its column name.

Writing produces the current form in UTF-8. The header must name every repeated column
before the first row, and a stream cannot look ahead: the caller passes `max_counts`
(the exporter's one query for the most emails, phones... any contact has), or gets
`DEFAULT_COUNTS`; values beyond a count join the last column of their kind with ` ::: `
and take its label.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rolodex.formats.card import Card, CardProblem
from rolodex.formats.csv_rows import Row, RowWriter, read_rows
from rolodex.formats.csv_values import (
    NICKNAME_ITEM,
    dicts,
    format_iso_date,
    kept,
    parse_iso_date,
    take_item,
    text,
)
from rolodex.formats.google_labels import (
    SEPARATOR,
    label_of_type,
    labels_of_tags,
    tags_of_labels,
    type_of_label,
)

NAME_COLUMNS = {
    "First Name": "givenName",
    "Given Name": "givenName",
    "Middle Name": "middleName",
    "Additional Name": "middleName",
    "Last Name": "familyName",
    "Family Name": "familyName",
    "Name Prefix": "prefix",
    "Name Suffix": "suffix",
}
DISPLAY_NAME_COLUMNS = ("Name", "File As")
TAG_COLUMNS = ("Labels", "Group Membership")
ORGANIZATION_COLUMNS = {
    "Organization Name": "name",
    "Organization Title": "title",
    "Organization Department": "department",
}

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

# The columns Google writes before the repeated ones, in its order.
FIXED_COLUMNS = (
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
)
# The repeated kinds Google writes, in its order, with their parts (label first).
WRITTEN_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("E-mail", ("Label", "Value")),
    ("Phone", ("Label", "Value")),
    (
        "Address",
        (
            "Label",
            "Formatted",
            "Street",
            "City",
            "PO Box",
            "Region",
            "Postal Code",
            "Country",
            "Extended Address",
        ),
    ),
    ("Relation", ("Label", "Value")),
    ("Website", ("Label", "Value")),
    ("Event", ("Label", "Value")),
    ("IM", ("Label", "Service", "Value")),
    ("Custom Field", ("Label", "Value")),
)
DEFAULT_COUNTS: Mapping[str, int] = {
    "E-mail": 4,
    "Phone": 4,
    "Address": 2,
    "Relation": 2,
    "Website": 2,
    "Event": 2,
    "IM": 2,
    "Custom Field": 4,
}


# -- reading ------------------------------------------------------------------------------


def read_google_csv(lines: Iterable[str]) -> Iterator[Card | CardProblem]:
    """One `Card` per row of a Google CSV (`lines` as `encodings.text_lines` gives them)."""
    for row in read_rows(lines):
        yield row if isinstance(row, CardProblem) else card_of_row(row)


def card_of_row(row: Row) -> Card:
    """A row's values as a `Card` (tags from `Labels`; everything else in `contact_data`)."""
    data: dict[str, Any] = {}
    name: dict[str, str] = {}
    items: list[dict[str, str]] = []
    tags: list[str] = []
    organization: dict[str, str] = {}
    # (kind, n) -> {part: cell}, in the order the columns come.
    groups: dict[tuple[str, int], dict[str, str]] = {}
    for column, value in row.values.items():
        if column in NAME_COLUMNS and NAME_COLUMNS[column] not in name:
            name[NAME_COLUMNS[column]] = value
        elif column in DISPLAY_NAME_COLUMNS and "displayName" not in data:
            data["displayName"] = value
        elif column in TAG_COLUMNS:
            tags.extend(t for t in tags_of_labels(value) if t not in tags)
        elif column in ORGANIZATION_COLUMNS:
            organization[ORGANIZATION_COLUMNS[column]] = value
        elif column == "Nickname":
            kept(items, NICKNAME_ITEM, value)
        elif column == "Notes":
            data["notes"] = value
        elif column == "Birthday" and parse_iso_date(value) and "birthday" not in data:
            data["birthday"] = parse_iso_date(value)
        elif repeated := _repeated(column):
            groups.setdefault(repeated[:2], {})[repeated[2]] = value
        else:
            kept(items, column, value)
    if name:
        data["name"] = name
    if organization:
        data["organizations"] = _split_entries(organization)
    for (kind, number), parts in sorted(groups.items(), key=lambda group: group[0][1]):
        _add_group(data, items, kind, number, parts)
    if items:
        data["items"] = items + data.get("items", [])
    return Card(contact_data=data, tags=tags, line=row.line)


@functools.lru_cache(maxsize=4096)
def _repeated(column: str) -> tuple[str, int, str] | None:
    """`E-mail 2 - Value` as `("E-mail", 2, "Value")`; once per column name, not per row."""
    match = REPEATED_COLUMN.match(column)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else None


def _split_entries(parts: Mapping[str, str]) -> list[dict[str, str]]:
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


def _add_group(
    data: dict[str, Any], items: list[dict[str, str]], kind: str, number: int, cells: dict[str, str]
) -> None:
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
    labels = [type_of_label(one) for one in (label or "").split(SEPARATOR)]
    out = data.setdefault(field, [])
    for index, cells_entry in enumerate(_split_entries(parts)):
        entry: dict[str, Any] = dict(cells_entry)
        type_ = labels[index] if index < len(labels) else labels[0]
        if kind == "Event":
            date = parse_iso_date(entry.get("value", ""))
            if date is None:
                if label and index == 0:
                    kept(items, label_column, label)
                kept(items, f"Event {number} - Value", entry.get("value", ""))
                continue
            entry = {**date}
        elif kind == "IM":
            # The canonical IM has one type: the service (Skype, Jabber) says the most.
            service = entry.pop("service", None)
            if service and label and index == 0:
                kept(items, label_column, label)
            type_ = service or type_
        elif kind == "Custom Field":
            # A custom field's label is its name, not a kind: kept exactly.
            type_ = label.split(SEPARATOR)[min(index, len(labels) - 1)] if label else None
            entry = {"value": entry.get("value", "")}
        if type_:
            entry = {"type": type_, **entry}
        out.append(entry)
    if not out:
        del data[field]


# -- writing ------------------------------------------------------------------------------


def google_header(max_counts: Mapping[str, int] | None = None) -> list[str]:
    """The header a Google CSV export with these counts of each repeated kind has."""
    counts = _counts(max_counts)
    header = list(FIXED_COLUMNS)
    for kind, parts in WRITTEN_GROUPS:
        for number in range(1, counts[kind] + 1):
            header.extend(f"{kind} {number} - {part}" for part in parts)
    return header


def _counts(max_counts: Mapping[str, int] | None) -> dict[str, int]:
    # At least one column of each kind, as Google writes: a count of 0 would drop values.
    return {kind: max(count, 1) for kind, count in {**DEFAULT_COUNTS, **(max_counts or {})}.items()}


def write_google_csv(
    cards: Iterable[Card], max_counts: Mapping[str, int] | None = None
) -> Iterator[str]:
    """The CSV text of `cards`, the header first, one record at a time (CRLF line ends)."""
    writer = RowWriter(google_header(max_counts))
    counts = _counts(max_counts)
    columns = frozenset(writer.header)
    yield writer.header_line()
    for card in cards:
        yield writer.row(row_of_card(card, counts, columns))


def row_of_card(
    card: Card, counts: Mapping[str, int], columns: frozenset[str] = frozenset()
) -> dict[str, str]:
    """A card's cells by column name; kept items go back to their column when it is in `columns`."""
    data = card.contact_data
    items = [dict(item) for item in dicts(data.get("items"))]
    row: dict[str, str] = {}
    name = data.get("name")
    if not isinstance(name, dict):
        name = {}
    for column in ("First Name", "Middle Name", "Last Name", "Name Prefix", "Name Suffix"):
        row[column] = text(name.get(NAME_COLUMNS[column]))
    row["File As"] = text(data.get("displayName"))
    row["Nickname"] = take_item(items, NICKNAME_ITEM) or ""
    organizations = dicts(data.get("organizations"))
    for column, key in ORGANIZATION_COLUMNS.items():
        cells = [text(o.get(key)) for o in organizations]
        row[column] = SEPARATOR.join(cells) if any(cells) else ""
    birthday = data.get("birthday")
    row["Birthday"] = (format_iso_date(birthday) or "") if isinstance(birthday, dict) else ""
    row["Notes"] = text(data.get("notes"))
    row["Labels"] = labels_of_tags(card.tags)
    entries: dict[str, list[dict[str, str]]] = {
        "E-mail": _labeled(data.get("emails")),
        "Phone": _labeled(data.get("phoneNumbers")),
        "Address": [_address_cells(a) for a in dicts(data.get("addresses"))],
        "Relation": _labeled(data.get("relatedPeople")),
        "Website": _labeled(data.get("urls")),
        "Event": [_event_cells(d) for d in dicts(data.get("dates"))],
        "IM": [
            {"Service": text(i.get("type")), "Value": text(i.get("value"))}
            for i in dicts(data.get("ims"))
        ],
    }
    for kind, kind_cells in entries.items():
        _fill(row, kind, kind_cells, counts[kind])
    # Kept columns go back where they came from (`Phonetic First Name`, `Photo`, an
    # unreadable `Event 1 - Value`) when the header has them and they are free;
    # every other item is a custom field.
    custom = []
    for item in items:
        type_, value = text(item.get("type")), text(item.get("value"))
        if type_ in columns and not row.get(type_) and not type_.startswith("Custom Field"):
            row[type_] = value
        else:
            custom.append({"Label": type_, "Value": value})
    _fill(row, "Custom Field", custom, counts["Custom Field"])
    return row


def _fill(row: dict[str, str], kind: str, entries: list[dict[str, str]], count: int) -> None:
    for number, slot in enumerate(_slots(entries, count), start=1):
        for part, value in slot.items():
            row[f"{kind} {number} - {part}"] = value


def _labeled(value: object) -> list[dict[str, str]]:
    return [
        {"Label": label_of_type(entry.get("type")), "Value": text(entry.get("value"))}
        for entry in dicts(value)
    ]


_ADDRESS_PARTS = {part: key for part, key in GROUPS["Address"][1].items()}


def _address_cells(address: dict[str, Any]) -> dict[str, str]:
    cells = {"Label": label_of_type(address.get("type"))}
    for part, key in _ADDRESS_PARTS.items():
        cells[part] = text(address.get(key))
    return cells


def _event_cells(date: dict[str, Any]) -> dict[str, str]:
    return {"Label": label_of_type(date.get("type")), "Value": format_iso_date(date) or ""}


def _slots(entries: list[dict[str, str]], count: int) -> list[dict[str, str]]:
    """`entries` in at most `count` columns: the overflow joins the last one with ` ::: `."""
    if len(entries) <= count or count < 1:
        return entries[: max(count, 0)]
    last = entries[count - 1 :]
    merged = {part: SEPARATOR.join(entry.get(part, "") for entry in last) for part in last[0]}
    merged["Label"] = last[0].get("Label", "")
    return [*entries[: count - 1], merged]
