"""Canonical -> Google CSV / Outlook CSV -> canonical gives back what each CSV can hold."""

from __future__ import annotations

from typing import Any

from hypothesis import assume, example, given, settings

from rolodex.contacts.model import clean_contact_data
from rolodex.formats.card import Card
from rolodex.formats.encodings import text_lines_from_bytes
from rolodex.formats.google_csv import (
    COUNTED_FIELDS,
    DEFAULT_COUNTS,
    read_google_csv,
    write_google_csv,
)
from rolodex.formats.outlook_csv import (
    read_outlook_csv,
    write_outlook_csv,
    write_outlook_csv_bytes,
)
from tests.formats.csv_strategies import (
    cp1252_words,
    google_contacts,
    outlook_contacts,
    phone_order,
)


def _one(cards: list[Any]) -> Card:
    assert len(cards) == 1, cards
    assert isinstance(cards[0], Card), cards[0]
    return cards[0]


def _by_type(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda e: (str(e.get("type")), str(e.get("value"))))


def _google_counts(data: dict[str, Any]) -> dict[str, int]:
    # What the exporter's one query finds: the most of each kind any contact has.
    return {kind: max(len(data.get(field, [])), 1) for kind, field in COUNTED_FIELDS.items()}


# Issue 22: a company without a name must not come back with a name of its own.
_NAMELESS_COMPANY: tuple[dict[str, Any], list[str]] = (
    {"organizations": [{"name": "Acme"}], "emails": [{"value": "a@b.c"}]},
    [],
)


@settings(max_examples=100, deadline=None)
@given(google_contacts())
@example(_NAMELESS_COMPANY)
def test_google_csv_gives_back_every_field_it_holds(
    contact: tuple[dict[str, Any], list[str]],
) -> None:
    data, tags = contact
    clean_contact_data(data)
    text = "".join(write_google_csv([Card(data, tags=tags)], _google_counts(data)))
    card = _one(list(read_google_csv(text_lines_from_bytes(text.encode()))))
    back = dict(card.contact_data)
    expected = dict(data)
    assert _by_type(back.pop("items", [])) == _by_type(expected.pop("items", []))
    assert back == expected
    assert card.tags == tags
    assert clean_contact_data(card.contact_data) == card.contact_data


def test_google_csv_values_beyond_the_header_join_the_last_column() -> None:
    emails = [{"type": "home", "value": f"p{n}@example.org"} for n in range(1, 8)]
    text = "".join(write_google_csv([Card({"emails": emails})]))
    card = _one(list(read_google_csv(text_lines_from_bytes(text.encode()))))
    count = DEFAULT_COUNTS["E-mail"]
    # Every address is still there, in order; the overflow takes the last column's label.
    assert [e["value"] for e in card.contact_data["emails"]] == [e["value"] for e in emails]
    assert len([c for c in text.splitlines()[0].split(",") if c.startswith("E-mail")]) == 2 * count


def _outlook_comparable(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "phoneNumbers" in out:
        out["phoneNumbers"] = sorted(out["phoneNumbers"], key=phone_order)
    for field in ("items", "relatedPeople"):
        if field in out:
            out[field] = _by_type(out[field])
    return out


@settings(max_examples=100, deadline=None)
@given(outlook_contacts())
@example(_NAMELESS_COMPANY)
def test_outlook_csv_gives_back_every_field_it_holds(
    contact: tuple[dict[str, Any], list[str]],
) -> None:
    data, tags = contact
    assume(data or tags)
    clean_contact_data(data)
    text = "".join(write_outlook_csv([Card(data, tags=tags)]))
    card = _one(list(read_outlook_csv(text_lines_from_bytes(text.encode()))))
    assert _outlook_comparable(card.contact_data) == _outlook_comparable(data)
    assert card.tags == tags


@settings(max_examples=50, deadline=None)
@given(outlook_contacts(cp1252_words))
def test_outlook_csv_in_windows_1252_gives_back_what_the_code_page_holds(
    contact: tuple[dict[str, Any], list[str]],
) -> None:
    data, tags = contact
    assume(data or tags)
    raw = b"".join(write_outlook_csv_bytes([Card(data, tags=tags)]))
    # Read as what it is: detection (tests/formats/test_encodings.py) cannot tell the rare
    # Windows-1252 text whose bytes are also valid UTF-8 (`ß€` is `DF 80`) from UTF-8.
    card = _one(list(read_outlook_csv(text_lines_from_bytes(raw, "cp1252"))))
    assert _outlook_comparable(card.contact_data) == _outlook_comparable(data)
    assert card.tags == tags
