"""Writing vCard 4.0 and 3.0: escaping, folding, required properties, photos."""

from __future__ import annotations

import base64

from rolodex.formats.card import Card, Photo
from rolodex.formats.vcard import read_cards, write_card


def lines_of(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical)
    return physical


def test_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    card = Card(contact_data={"notes": "é数😀" * 200, "displayName": "x" * 300})
    for version in ("3.0", "4.0"):
        for line in lines_of(write_card(card, version)):
            assert len(line.encode()) <= 75
            line.encode().decode()  # every physical line is whole UTF-8


def test_text_is_escaped_and_comes_back() -> None:
    notes = "a,b;c\\d\nsecond line: ok"
    text = write_card(Card(contact_data={"notes": notes}), "4.0")
    assert "NOTE:a\\,b\\;c\\\\d\\nsecond line: ok\r\n" in text
    (card,) = read_cards(text)
    assert isinstance(card, Card)
    assert card.contact_data["notes"] == notes


def test_version_prodid_and_fn_are_always_written_and_n_in_30() -> None:
    card = Card(contact_data={"emails": [{"value": "a@example.com"}]})
    four = lines_of(write_card(card, "4.0"))
    assert four[:3] == ["BEGIN:VCARD", "VERSION:4.0", "PRODID:-//Rolodex//Rolodex vCard//EN"]
    assert "FN;X-ROLODEX-DERIVED=email:a@example.com" in four
    assert not any(line.startswith("N:") for line in four)
    three = lines_of(write_card(card, "3.0"))
    assert "VERSION:3.0" in three
    assert "N:;;;;" in three


def test_fn_is_derived_from_the_name() -> None:
    card = Card(contact_data={"name": {"givenName": "Ada", "familyName": "Lovelace"}})
    assert "FN:Ada Lovelace" in lines_of(write_card(card, "4.0"))


def test_photos_are_embedded_per_version_and_can_be_left_out() -> None:
    card = Card(contact_data={"displayName": "P"}, photos=[Photo(b"\xff\xd8jpeg", "image/jpeg")])
    encoded = base64.b64encode(b"\xff\xd8jpeg").decode()
    assert f"PHOTO;ENCODING=b;TYPE=JPEG:{encoded}" in lines_of(write_card(card, "3.0"))
    assert f"PHOTO:data:image/jpeg;base64,{encoded}" in lines_of(write_card(card, "4.0"))
    assert "PHOTO" not in write_card(card, "4.0", photos=False)


def test_tags_are_categories() -> None:
    card = Card(contact_data={"displayName": "T"}, tags=["Friends", "A, B"])
    assert "CATEGORIES:Friends,A\\, B" in lines_of(write_card(card, "4.0"))


def test_types_preference_and_custom_labels() -> None:
    card = Card(
        contact_data={
            "displayName": "T",
            "phoneNumbers": [
                {"type": "mobile", "value": "1"},
                {"type": "workFax", "value": "2"},
                {"type": "Grandma", "value": "3"},
            ],
        }
    )
    lines = lines_of(write_card(card, "3.0"))
    assert "TEL;TYPE=cell:1" in lines
    assert "TEL;TYPE=work,fax:2" in lines
    assert "item1.TEL:3" in lines
    assert "item1.X-ABLabel:Grandma" in lines


def test_anniversary_and_related_per_version() -> None:
    card = Card(
        contact_data={
            "displayName": "T",
            "dates": [{"type": "anniversary", "year": 2001, "month": 2, "day": 3}],
            "relatedPeople": [{"type": "spouse", "value": "Sam"}],
        }
    )
    four = lines_of(write_card(card, "4.0"))
    assert "ANNIVERSARY:20010203" in four
    assert "RELATED;TYPE=spouse;VALUE=text:Sam" in four
    three = lines_of(write_card(card, "3.0"))
    assert "X-ANNIVERSARY:2001-02-03" in three
    assert "item1.X-ABRELATEDNAMES:Sam" in three
    assert "item1.X-ABLabel:_$!<Spouse>!$_" in three


def test_uid_is_written() -> None:
    card = Card(contact_data={"displayName": "U"}, uid="urn:uuid:1234")
    assert "UID:urn:uuid:1234" in lines_of(write_card(card, "4.0"))
