"""Outlook CSV: the Windows-1252 and UTF-16 samples field by field, written back, encoding out."""

from __future__ import annotations

from rolodex.formats import outlook_columns
from rolodex.formats.card import Card
from rolodex.formats.encodings import text_lines_from_bytes
from rolodex.formats.outlook_csv import (
    read_outlook_csv,
    write_outlook_csv,
    write_outlook_csv_bytes,
)
from tests.formats.samples import read_sample, read_text, sample_bytes


def test_windows_1252_export_maps_every_column_to_its_home() -> None:
    francois, soren = read_sample("outlook-windows1252.csv")
    data = francois.contact_data
    assert francois.line == 2
    assert data["name"] == {
        "prefix": "Dr.",
        "givenName": "François",
        "middleName": "Zoë",
        "familyName": "Müller",
        "suffix": "Jr.",
    }
    assert data["organizations"] == [
        {
            "name": "Société Générale",
            "department": "Trésorerie",
            "title": "Directeur",
            "location": "Tour B",
        }
    ]
    assert data["emails"] == [{"value": "francois.muller@example.fr"}, {"value": "fm@home.example"}]
    assert data["phoneNumbers"] == [
        {"type": "mobile", "value": "+33 6 12 34 56 78"},
        {"type": "work", "value": "+33 1 42 14 20 00"},
        {"type": "work", "value": "+33 1 42 14 20 01"},
        {"type": "home", "value": "+33 1 40 00 00 00"},
        {"type": "workFax", "value": "+33 1 42 14 20 02"},
        {"type": "pager", "value": "555-0123"},
    ]
    assert data["addresses"] == [
        {
            "type": "work",
            "street": "29 boulevard Haussmann\nÉtage 4",
            "city": "Paris",
            "postalCode": "75009",
            "country": "France",
        },
        {
            "type": "home",
            "street": "3 rue de la Paix",
            "city": "Paris",
            "country": "France",
            "poBox": "BP 12",
        },
    ]
    assert data["birthday"] == {"year": 1970, "month": 3, "day": 4}
    assert data["dates"] == [{"type": "anniversary", "year": 2001, "month": 6, "day": 15}]
    assert sorted(data["relatedPeople"], key=lambda p: p["type"]) == [
        {"type": "manager", "value": "Béatrice"},
        {"type": "spouse", "value": "Amélie"},
    ]
    assert data["urls"] == [{"value": "https://example.fr/fm"}]
    # The line break inside the quoted note is kept as typed (CRLF).
    assert data["notes"] == "Prefers French.\r\nCosts in €, not £."
    assert data["items"] == [
        {"type": "E-mail Display Name", "value": "François Müller (francois.muller@example.fr)"},
        {"type": "E-mail 2 Display Name", "value": "fm@home.example"},
        {"type": "Initials", "value": "F.Z.M."},
        {"type": "Profession", "value": "Banker"},
        {"type": "User 1", "value": "VIP"},
    ]
    assert francois.tags == ["Clients", "Paris"]

    # Outlook's "nothing" values (0/0/00, Unspecified, Normal, False) are not data; the
    # year 1604 is Outlook's "no year". The note above spans lines 2-3.
    assert soren.line == 4
    assert soren.contact_data == {
        "name": {"givenName": "Søren", "familyName": "Kierkegaard"},
        "birthday": {"month": 5, "day": 5},
        "phoneNumbers": [{"type": "mobile", "value": "+45 33 00 00 00"}],
        "items": [{"type": "Gender", "value": "Male"}, {"type": "Hobby", "value": "Walking"}],
    }
    assert soren.tags == ["Philosophers"]


def test_utf16_export_reads_every_script() -> None:
    (ngoc,) = read_sample("outlook-utf16.csv")
    assert ngoc.contact_data == {
        "name": {"givenName": "Đặng", "familyName": "Thị Ngọc"},
        "organizations": [{"name": "Công ty ABC"}],
        "emails": [{"value": "ngoc@example.vn"}],
        "phoneNumbers": [{"type": "mobile", "value": "+84 90 000 0000"}],
        "notes": "東京で会った",
    }
    assert ngoc.tags == ["Vietnam"]


def test_samples_written_back_in_windows_1252_read_as_the_same_cards() -> None:
    cards = read_sample("outlook-windows1252.csv")
    raw = b"".join(write_outlook_csv_bytes(cards))
    again = list(read_outlook_csv(text_lines_from_bytes(raw)))
    assert [c.contact_data for c in again if isinstance(c, Card)] == [c.contact_data for c in cards]
    assert [c.tags for c in again if isinstance(c, Card)] == [c.tags for c in cards]


def test_written_header_is_outlooks_exactly_quoted_with_crlf() -> None:
    raw = b"".join(write_outlook_csv_bytes([]))
    original_header = sample_bytes("outlook-windows1252.csv").split(b"\r\n", 1)[0]
    assert raw == original_header + b"\r\n"
    assert len(outlook_columns.HEADER) == 92


def test_characters_outside_windows_1252_lose_their_accent_or_become_a_question_mark() -> None:
    (ngoc,) = read_sample("outlook-utf16.csv")
    raw = b"".join(write_outlook_csv_bytes([ngoc]))
    (back,) = read_outlook_csv(text_lines_from_bytes(raw, "cp1252"))
    assert isinstance(back, Card)
    # Đ has no unaccented form; ặ is a; the Japanese note has none either.
    assert back.contact_data["name"] == {"givenName": "?ang", "familyName": "Thi Ngoc"}
    assert back.contact_data["notes"] == "??????"


def test_utf16_sample_round_trips_losslessly_when_written_in_utf16() -> None:
    cards = read_sample("outlook-utf16.csv")
    raw = b"".join(write_outlook_csv_bytes(cards, encoding="utf-16"))
    again = list(read_outlook_csv(text_lines_from_bytes(raw)))
    assert [c.contact_data for c in again if isinstance(c, Card)] == [c.contact_data for c in cards]


def test_phones_without_a_column_of_their_own_take_other_phone() -> None:
    card = Card(
        {
            "phoneNumbers": [
                {"type": "mobile", "value": "1"},
                {"type": "mobile", "value": "2"},
                {"type": "Gym", "value": "3"},
            ]
        }
    )
    (back,) = read_text(read_outlook_csv, "".join(write_outlook_csv([card])))
    assert isinstance(back, Card)
    assert back.contact_data["phoneNumbers"] == [
        {"type": "mobile", "value": "1"},
        {"type": "other", "value": "2"},
    ]
