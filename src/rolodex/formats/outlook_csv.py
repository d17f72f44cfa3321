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
from collections.abc import Iterable, Iterator
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
    values = {
        column: value
        for column, value in row.values.items()
        if cols.EMPTY_VALUES.get(column) != value.strip()
    }
    data: dict[str, Any] = {}
    items: list[dict[str, str]] = []
    name: dict[str, str] = {}
    organization: dict[str, str] = {}
    addresses: dict[str, dict[str, str]] = {}
    streets: dict[str, list[str]] = {}
    phones: dict[str, str] = {}
    emails: dict[str, str] = {}
    tags: list[str] = []
    for column, value in values.items():
        if column in cols.NAME:
            name[cols.NAME[column]] = value
        elif column in cols.ORGANIZATION:
            organization[cols.ORGANIZATION[column]] = value
        elif column in _PHONE_TYPE:
            phones[column] = value
        elif column in cols.EMAILS:
            emails[column] = value
        elif column in _STREET_COLUMNS:
            streets.setdefault(_STREET_COLUMNS[column], []).append(value)
        elif column in _ADDRESS_COLUMNS:
            prefix, key = _ADDRESS_COLUMNS[column]
            addresses.setdefault(prefix, {})[key] = value
        elif column in cols.RELATIONS:
            data.setdefault("relatedPeople", []).append(
                {"type": cols.RELATIONS[column], "value": value}
            )
        elif column in cols.URLS:
            url_type = cols.URLS[column]
            url = {"type": url_type, "value": value} if url_type else {"value": value}
            data.setdefault("urls", []).append(url)
        elif column in cols.IMS:
            data.setdefault("ims", []).append({"value": value})
        elif column in cols.NICKNAMES:
            kept(items, NICKNAME_ITEM, value)
        elif column == "Categories":
            for tag in value.split(cols.CATEGORY_SEPARATOR):
                if tag.strip() and tag.strip() not in tags:
                    tags.append(tag.strip())
        elif column == "Notes":
            data["notes"] = value
        elif column in ("Birthday", "Anniversary"):
            _read_date(data, items, column, value)
        else:
            kept(items, column, value)
    if name:
        data["name"] = name
    if organization:
        data["organizations"] = [organization]
    emails_read = [{"value": emails[c]} for c in cols.EMAILS if c in emails]
    if emails_read:
        data["emails"] = emails_read
    phones_read = [{"type": t, "value": phones[c]} for c, t in cols.PHONES if c in phones]
    if phones_read:
        data["phoneNumbers"] = phones_read
    addresses_read = []
    for prefix, type_ in cols.ADDRESS_KINDS:
        parts = dict(addresses.get(prefix, {}))
        if prefix in streets:
            parts["street"] = "\n".join(streets[prefix])
        if parts:
            addresses_read.append({"type": type_, **parts})
    if addresses_read:
        data["addresses"] = addresses_read
    if items:
        data["items"] = items
    return Card(contact_data=data, tags=tags, line=row.line)


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


def write_outlook_csv(cards: Iterable[Card]) -> Iterator[str]:
    """The CSV text of `cards` with Outlook's header, one record at a time (CRLF ends)."""
    writer = RowWriter(cols.HEADER, quote_all=True)
    yield writer.header_line()
    for card in cards:
        yield writer.row(row_of_card(card))


def write_outlook_csv_bytes(cards: Iterable[Card], encoding: str = ENCODING) -> Iterator[bytes]:
    """`write_outlook_csv` encoded as Outlook reads it (Windows-1252 unless told otherwise).

    One incremental encoder for the whole file: a BOM (UTF-16) is written once.
    """
    encoder = codecs.getincrementalencoder(encoding)(_FALLBACK)
    for chunk in write_outlook_csv(cards):
        yield encoder.encode(chunk)
    tail = encoder.encode("", final=True)
    if tail:
        yield tail


def row_of_card(card: Card) -> dict[str, str]:
    """A card's cells by Outlook column name."""
    data = card.contact_data
    row: dict[str, str] = {}
    name = data.get("name")
    if isinstance(name, dict):
        for column, key in cols.NAME.items():
            row[column] = text(name.get(key))
    organizations = dicts(data.get("organizations"))
    if organizations:
        for column, key in cols.ORGANIZATION.items():
            row[column] = text(organizations[0].get(key))
    _write_phones(row, dicts(data.get("phoneNumbers")))
    emails = [text(e.get("value")) for e in dicts(data.get("emails")) if text(e.get("value"))]
    for index, (column, value) in enumerate(zip(cols.EMAILS, emails, strict=False), start=1):
        row[column] = value
        row["E-mail Type" if index == 1 else f"E-mail {index} Type"] = "SMTP"
    _write_addresses(row, dicts(data.get("addresses")))
    birthday = data.get("birthday")
    if isinstance(birthday, dict):
        row["Birthday"] = format_us_date(birthday) or ""
    for date in dicts(data.get("dates")):
        if kind_of(date.get("type")) == "anniversary" and "Anniversary" not in row:
            row["Anniversary"] = format_us_date(date) or ""
    for person in dicts(data.get("relatedPeople")):
        for column, type_ in cols.RELATIONS.items():
            if kind_of(person.get("type")) == type_.casefold() and column not in row:
                row[column] = text(person.get("value"))
                break
    urls = [text(u.get("value")) for u in dicts(data.get("urls")) if text(u.get("value"))]
    if urls:
        row["Web Page"] = urls[0]
    row["Notes"] = text(data.get("notes"))
    row["Categories"] = cols.CATEGORY_SEPARATOR.join(card.tags)
    # Columns kept as items on the way in go back to their column.
    for item in dicts(data.get("items")):
        kept_type, kept_value = item.get("type"), item.get("value")
        if isinstance(kept_type, str) and isinstance(kept_value, str):
            kept_column = _HEADER_BY_NAME.get(kept_type.casefold())
            if kept_column and not row.get(kept_column):
                row[kept_column] = kept_value
    return row


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
