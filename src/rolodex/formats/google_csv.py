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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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
from rolodex.formats.google_groups import (
    GROUPS,
    add_group,
    repeated_column,
    split_entries,
)
from rolodex.formats.google_labels import (
    SEPARATOR,
    label_of_type,
    labels_of_tags,
    tags_of_labels,
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
# The canonical list each counted group of columns holds (the exporter counts them).
COUNTED_FIELDS: Mapping[str, str] = {kind: GROUPS[kind][0] for kind in DEFAULT_COUNTS}


# -- reading ------------------------------------------------------------------------------


def read_google_csv(lines: Iterable[str]) -> Iterator[Card | CardProblem]:
    """One `Card` per row of a Google CSV (`lines` as `encodings.text_lines` gives them)."""
    for row in read_rows(lines):
        yield row if isinstance(row, CardProblem) else card_of_row(row)


def card_of_row(row: Row) -> Card:
    """A row's values as a `Card` (tags from `Labels`; everything else in `contact_data`)."""
    parts = _RowParts()
    for column, value in row.values.items():
        if parts.read_fixed(column, value):
            continue
        if repeated := repeated_column(column):
            parts.groups.setdefault(repeated[:2], {})[repeated[2]] = value
        else:
            kept(parts.items, column, value)
    return Card(contact_data=parts.contact_data(), tags=parts.tags, line=row.line)


@dataclass
class _RowParts:
    """A row's cells gathered by canonical home, column by column, before the card is built."""

    data: dict[str, Any] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    organization: dict[str, str] = field(default_factory=dict)
    # (kind, n) -> {part: cell}, in the order the columns come.
    groups: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)

    def read_fixed(self, column: str, value: str) -> bool:
        """Put a cell of a column that is not repeated where it belongs; False if none is."""
        data = self.data
        if column in NAME_COLUMNS and NAME_COLUMNS[column] not in self.name:
            self.name[NAME_COLUMNS[column]] = value
        elif column in DISPLAY_NAME_COLUMNS and "displayName" not in data:
            data["displayName"] = value
        elif column in TAG_COLUMNS:
            self.tags.extend(t for t in tags_of_labels(value) if t not in self.tags)
        elif column in ORGANIZATION_COLUMNS:
            self.organization[ORGANIZATION_COLUMNS[column]] = value
        elif column == "Nickname":
            kept(self.items, NICKNAME_ITEM, value)
        elif column == "Notes":
            data["notes"] = value
        elif column == "Birthday" and parse_iso_date(value) and "birthday" not in data:
            data["birthday"] = parse_iso_date(value)
        else:
            return False
        return True

    def contact_data(self) -> dict[str, Any]:
        """`data` completed with the name, the organizations and the repeated groups."""
        data = self.data
        if self.name:
            data["name"] = self.name
        if self.organization:
            data["organizations"] = split_entries(self.organization)
        for (kind, number), cells in sorted(self.groups.items(), key=lambda group: group[0][1]):
            add_group(data, self.items, kind, number, cells)
        if self.items:
            data["items"] = self.items + data.get("items", [])
        return data


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


class GoogleCsvWriter:
    """Google CSV for these counts of each repeated kind: the header, then cards in any
    number of calls (an export writes a page at a time)."""

    def __init__(self, max_counts: Mapping[str, int] | None = None) -> None:
        self._writer = RowWriter(google_header(max_counts))
        self._counts = _counts(max_counts)
        self._columns = frozenset(self._writer.header)

    def header_line(self) -> str:
        return self._writer.header_line()

    def rows(self, cards: Iterable[Card]) -> str:
        """The records of `cards`, CRLF-ended."""
        return self._writer.rows(row_of_card(c, self._counts, self._columns) for c in cards)


def write_google_csv(
    cards: Iterable[Card], max_counts: Mapping[str, int] | None = None
) -> Iterator[str]:
    """The CSV text of `cards`, the header first, one record at a time (CRLF line ends)."""
    writer = GoogleCsvWriter(max_counts)
    yield writer.header_line()
    for card in cards:
        yield writer.rows([card])


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
