"""Outlook contacts CSV <-> `Card`s.

Outlook has a fixed set of columns (`outlook_columns`): three emails without labels,
one column per phone kind, three addresses (business, home, other), one organization,
one web page. Reading maps every column to its canonical home and keeps the rest in
`items` under the column name. Writing fills the fixed columns from the canonical
contact; what has no column there (a fourth email, a second organization, an email's
type, IMs) is not in the file: Google CSV and vCard are the lossless exports
(docs/import-export.md, "Outlook CSV", lists what Outlook CSV holds).

Outlook writes and reads Windows-1252; `write_outlook_csv_bytes` encodes so, and a
character Windows-1252 lacks is written as its unaccented letter when it has one
(`ő` -> `o`) and as `?` otherwise, as Windows itself does.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rolodex.contacts.mapping_common import kind_of
from rolodex.formats import outlook_columns as cols
from rolodex.formats.card import Card, CardProblem
from rolodex.formats.csv_rows import Row, RowWriter, read_rows
from rolodex.formats.csv_values import (
    NICKNAME_ITEM,
    dicts,
    format_us_date,
    is_outlook_empty_date,
    kept,
    parse_iso_date,
    parse_us_date,
    text,
)

ENCODING = "cp1252"
_FALLBACK = "rolodex-outlook-fallback"


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for char in exc.object[exc.start : exc.end]:
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        try:
            base.encode(ENCODING)
        except UnicodeEncodeError:
            base = ""
        out.append(base or "?")
    return "".join(out), exc.end


codecs.register_error(_FALLBACK, _fallback)

_PHONE_TYPE = dict(cols.PHONES)
_HEADER_BY_NAME = {column.casefold(): column for column in cols.HEADER}
_ADDRESS_COLUMNS = {
    f"{prefix} {part}": (prefix, key)
    for prefix, _ in cols.ADDRESS_KINDS
    for part, key in cols.ADDRESS_PARTS.items()
} | {f"{prefix} Address PO Box": (prefix, "poBox") for prefix, _ in cols.ADDRESS_KINDS}
_STREET_COLUMNS = {
    f"{prefix} {street}": prefix for prefix, _ in cols.ADDRESS_KINDS for street in cols.STREETS
}


# -- reading ------------------------------------------------------------------------------


def read_outlook_csv(lines: Iterable[str]) -> Iterator[Card | CardProblem]:
    """One `Card` per row of an Outlook CSV (`lines` as `encodings.text_lines` gives them)."""
    for row in read_rows(lines):
        yield row if isinstance(row, CardProblem) else card_of_row(row)


def card_of_row(row: Row) -> Card:
    """A row's values as a `Card` (tags from `Categories`)."""
    parts = _RowParts()
    for column, value in row.values.items():
        if cols.EMPTY_VALUES.get(column) != value.strip():
            _READER_OF_COLUMN.get(column, _read_kept)(parts, column, value)
    return Card(contact_data=parts.contact_data(), tags=parts.tags, line=row.line)


@dataclass
class _RowParts:
    """A row's cells gathered by canonical home, column by column, before the card is built.

    `data` takes the fields a column fills on its own (in column order); the name, the
    organization, emails, phones and addresses wait for all their columns.
    """

    data: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=list)
    name: dict[str, str] = field(default_factory=dict)
    organization: dict[str, str] = field(default_factory=dict)
    addresses: dict[str, dict[str, str]] = field(default_factory=dict)
    streets: dict[str, list[str]] = field(default_factory=dict)
    phones: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)

    def contact_data(self) -> dict[str, Any]:
        """`data` completed with the fields made of several columns, in Outlook's order."""
        data = self.data
        if self.name:
            data["name"] = self.name
        if self.organization:
            data["organizations"] = [self.organization]
        emails = [{"value": self.emails[c]} for c in cols.EMAILS if c in self.emails]
        if emails:
            data["emails"] = emails
        phones = [{"type": t, "value": self.phones[c]} for c, t in cols.PHONES if c in self.phones]
        if phones:
            data["phoneNumbers"] = phones
        addresses = self._addresses()
        if addresses:
            data["addresses"] = addresses
        if self.items:
            data["items"] = self.items
        return data

    def _addresses(self) -> list[dict[str, str]]:
        addresses = []
        for prefix, type_ in cols.ADDRESS_KINDS:
            parts = dict(self.addresses.get(prefix, {}))
            if prefix in self.streets:
                parts["street"] = "\n".join(self.streets[prefix])
            if parts:
                addresses.append({"type": type_, **parts})
        return addresses


# One reader per kind of column: each puts a cell where it belongs in `_RowParts`.


def _read_name(parts: _RowParts, column: str, value: str) -> None:
    parts.name[cols.NAME[column]] = value


def _read_organization(parts: _RowParts, column: str, value: str) -> None:
    parts.organization[cols.ORGANIZATION[column]] = value


def _read_phone(parts: _RowParts, column: str, value: str) -> None:
    parts.phones[column] = value


def _read_email(parts: _RowParts, column: str, value: str) -> None:
    parts.emails[column] = value


def _read_street(parts: _RowParts, column: str, value: str) -> None:
    parts.streets.setdefault(_STREET_COLUMNS[column], []).append(value)


def _read_address_part(parts: _RowParts, column: str, value: str) -> None:
    prefix, key = _ADDRESS_COLUMNS[column]
    parts.addresses.setdefault(prefix, {})[key] = value


def _read_relation(parts: _RowParts, column: str, value: str) -> None:
    parts.data.setdefault("relatedPeople", []).append(
        {"type": cols.RELATIONS[column], "value": value}
    )


def _read_url(parts: _RowParts, column: str, value: str) -> None:
    url_type = cols.URLS[column]
    url = {"type": url_type, "value": value} if url_type else {"value": value}
    parts.data.setdefault("urls", []).append(url)


def _read_im(parts: _RowParts, column: str, value: str) -> None:
    parts.data.setdefault("ims", []).append({"value": value})


def _read_nickname(parts: _RowParts, column: str, value: str) -> None:
    kept(parts.items, NICKNAME_ITEM, value)


def _read_categories(parts: _RowParts, column: str, value: str) -> None:
    for tag in value.split(cols.CATEGORY_SEPARATOR):
        if tag.strip() and tag.strip() not in parts.tags:
            parts.tags.append(tag.strip())


def _read_notes(parts: _RowParts, column: str, value: str) -> None:
    parts.data["notes"] = value


def _read_a_date(parts: _RowParts, column: str, value: str) -> None:
    _read_date(parts.data, parts.items, column, value)


def _read_kept(parts: _RowParts, column: str, value: str) -> None:
    kept(parts.items, column, value)


_ColumnReader = Callable[[_RowParts, str, str], None]
# The kinds of column in the order they are tried: a column in two tables goes to the first.
_COLUMN_READERS: tuple[tuple[Iterable[str], _ColumnReader], ...] = (
    (cols.NAME, _read_name),
    (cols.ORGANIZATION, _read_organization),
    (_PHONE_TYPE, _read_phone),
    (cols.EMAILS, _read_email),
    (_STREET_COLUMNS, _read_street),
    (_ADDRESS_COLUMNS, _read_address_part),
    (cols.RELATIONS, _read_relation),
    (cols.URLS, _read_url),
    (cols.IMS, _read_im),
    (cols.NICKNAMES, _read_nickname),
    (("Categories",), _read_categories),
    (("Notes",), _read_notes),
    (("Birthday", "Anniversary"), _read_a_date),
)
_READER_OF_COLUMN: dict[str, _ColumnReader] = {
    column: reader for columns, reader in reversed(_COLUMN_READERS) for column in columns
}


def _read_date(data: dict[str, Any], items: list[dict[str, str]], column: str, value: str) -> None:
    if is_outlook_empty_date(value):
        return
    date = parse_us_date(value) or parse_iso_date(value)
    if date is None:
        kept(items, column, value)
    elif column == "Birthday":
        data["birthday"] = date
    else:
        data.setdefault("dates", []).append({"type": "anniversary", **date})


# -- writing ------------------------------------------------------------------------------


class OutlookCsvWriter:
    """Outlook CSV as bytes: the header, then cards in any number of calls, then `end`.

    One incremental encoder for the whole file: a BOM (UTF-16) is written once.
    """

    def __init__(self, encoding: str = ENCODING) -> None:
        self._writer = RowWriter(cols.HEADER, quote_all=True)
        self._encoder = codecs.getincrementalencoder(encoding)(_FALLBACK)

    def header_line(self) -> str:
        return self._writer.header_line()

    def rows(self, cards: Iterable[Card]) -> str:
        """The records of `cards`, CRLF-ended, as text."""
        return self._writer.rows(row_of_card(card) for card in cards)

    def encode(self, text: str) -> bytes:
        return self._encoder.encode(text)

    def end(self) -> bytes:
        return self._encoder.encode("", final=True)


def write_outlook_csv(cards: Iterable[Card]) -> Iterator[str]:
    """The CSV text of `cards` with Outlook's header, one record at a time (CRLF ends)."""
    writer = OutlookCsvWriter()
    yield writer.header_line()
    for card in cards:
        yield writer.rows([card])


def write_outlook_csv_bytes(cards: Iterable[Card], encoding: str = ENCODING) -> Iterator[bytes]:
    """`write_outlook_csv` encoded as Outlook reads it (Windows-1252 unless told otherwise).

    The encoding is as lenient as Windows: see the module docstring.
    """
    writer = OutlookCsvWriter(encoding)
    yield writer.encode(writer.header_line())
    for card in cards:
        yield writer.encode(writer.rows([card]))
    tail = writer.end()
    if tail:
        yield tail


def row_of_card(card: Card) -> dict[str, str]:
    """A card's cells by Outlook column name."""
    data = card.contact_data
    row: dict[str, str] = {}
    _write_name(row, data.get("name"))
    _write_organization(row, dicts(data.get("organizations")))
    _write_phones(row, dicts(data.get("phoneNumbers")))
    _write_emails(row, dicts(data.get("emails")))
    _write_addresses(row, dicts(data.get("addresses")))
    _write_dates(row, data.get("birthday"), dicts(data.get("dates")))
    _write_related_people(row, dicts(data.get("relatedPeople")))
    urls = [text(u.get("value")) for u in dicts(data.get("urls")) if text(u.get("value"))]
    if urls:
        row["Web Page"] = urls[0]
    row["Notes"] = text(data.get("notes"))
    row["Categories"] = cols.CATEGORY_SEPARATOR.join(card.tags)
    _write_kept_items(row, dicts(data.get("items")))
    return row


def _write_name(row: dict[str, str], name: object) -> None:
    if isinstance(name, dict):
        for column, key in cols.NAME.items():
            row[column] = text(name.get(key))


def _write_organization(row: dict[str, str], organizations: list[dict[str, Any]]) -> None:
    if organizations:
        for column, key in cols.ORGANIZATION.items():
            row[column] = text(organizations[0].get(key))


def _write_emails(row: dict[str, str], emails: list[dict[str, Any]]) -> None:
    values = [text(e.get("value")) for e in emails if text(e.get("value"))]
    for index, (column, value) in enumerate(zip(cols.EMAILS, values, strict=False), start=1):
        row[column] = value
        row["E-mail Type" if index == 1 else f"E-mail {index} Type"] = "SMTP"


def _write_dates(row: dict[str, str], birthday: object, dates: list[dict[str, Any]]) -> None:
    if isinstance(birthday, dict):
        row["Birthday"] = format_us_date(birthday) or ""
    for date in dates:
        if kind_of(date.get("type")) == "anniversary" and "Anniversary" not in row:
            row["Anniversary"] = format_us_date(date) or ""


def _write_related_people(row: dict[str, str], people: list[dict[str, Any]]) -> None:
    for person in people:
        for column, type_ in cols.RELATIONS.items():
            if kind_of(person.get("type")) == type_.casefold() and column not in row:
                row[column] = text(person.get("value"))
                break


def _write_kept_items(row: dict[str, str], items: list[dict[str, Any]]) -> None:
    """Columns kept as items on the way in go back to their column."""
    for item in items:
        kept_type, kept_value = item.get("type"), item.get("value")
        if isinstance(kept_type, str) and isinstance(kept_value, str):
            kept_column = _HEADER_BY_NAME.get(kept_type.casefold())
            if kept_column and not row.get(kept_column):
                row[kept_column] = kept_value


def _write_phones(row: dict[str, str], phones: list[dict[str, Any]]) -> None:
    leftovers = []
    for phone in phones:
        value = text(phone.get("value"))
        if not value:
            continue
        kind = kind_of(phone.get("type"))
        column = next(
            (c for c, t in cols.PHONES if t.casefold() == kind and c not in row),
            None,
        )
        if column:
            row[column] = value
        else:
            leftovers.append(value)
    # A phone of a kind Outlook has no (free) column for: `Other Phone` if it is free.
    if leftovers and "Other Phone" not in row:
        row["Other Phone"] = leftovers[0]


def _write_addresses(row: dict[str, str], addresses: list[dict[str, Any]]) -> None:
    used: set[str] = set()
    for address in addresses:
        kind = kind_of(address.get("type"))
        prefix = next((p for p, t in cols.ADDRESS_KINDS if t == kind and p not in used), None)
        if prefix is None and "Other" not in used:
            prefix = "Other"
        if prefix is None:
            continue
        used.add(prefix)
        lines = text(address.get("street")).split("\n") if text(address.get("street")) else []
        if text(address.get("extendedAddress")):
            lines.append(text(address.get("extendedAddress")))
        # Three street columns; more lines share the last.
        lines = [*lines[:2], "\n".join(lines[2:])] if len(lines) > 3 else lines
        for street, line in zip(cols.STREETS, lines, strict=False):
            row[f"{prefix} {street}"] = line
        for part, key in cols.ADDRESS_PARTS.items():
            if part != "Country":
                row.setdefault(f"{prefix} {part}", text(address.get(key)))
        row[f"{prefix} Address PO Box"] = text(address.get("poBox"))
