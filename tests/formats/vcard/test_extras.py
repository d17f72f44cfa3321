"""What has no canonical field is kept, written back, and never contradicts new data."""

from __future__ import annotations

import copy

from rolodex.formats.card import Card
from rolodex.formats.vcard import read_cards, reconcile, write_card
from tests.formats.vcard.semantic import assert_semantically_equal

APPLE = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Jo Example\r\n"
    "N:Example;Jo;;;\r\n"
    "item1.TEL;type=IPHONE;type=CELL;type=VOICE;type=pref:+1 555 0100\r\n"
    "item1.X-ABLabel:_$!<Mobile>!$_\r\n"
    "TEL;type=HOME;X-CUSTOM=1:+1 555 0101\r\n"
    "EMAIL;type=INTERNET;type=WORK:jo@work.example\r\n"
    "X-SOCIALPROFILE;type=twitter:https://twitter.com/jo\r\n"
    "GENDER:F\r\n"
    "END:VCARD\r\n"
)


def read_one(text: str) -> Card:
    (card,) = read_cards(text)
    assert isinstance(card, Card)
    return card


def test_extras_are_json_and_written_back() -> None:
    card = read_one(APPLE)
    assert_semantically_equal(write_card(card, "3.0"), APPLE)
    kept = card.extras["vcard"]
    assert [p["name"] for p in kept["properties"]] == ["X-SOCIALPROFILE", "GENDER"]
    iphone = next(v for v in kept["values"] if v.get("group") == "item1")
    assert iphone["field"] == "phoneNumbers"
    assert iphone["types"] == ["IPHONE", "CELL", "VOICE"]
    assert iphone["pref"] == 1


def test_reconcile_keeps_whole_properties_and_details_of_unchanged_values() -> None:
    card = read_one(APPLE)
    data = copy.deepcopy(card.contact_data)
    data["phoneNumbers"][1]["value"] = "+1 555 9999"  # the home phone changed elsewhere
    kept = reconcile(card.extras, data)["vcard"]
    assert kept["properties"] == card.extras["vcard"]["properties"]
    fields = sorted(v["field"] + ":" + str(v.get("group")) for v in kept["values"])
    assert fields == ["emails:None", "phoneNumbers:item1"]


def test_a_changed_type_drops_the_old_type_list() -> None:
    card = read_one(APPLE)
    card.contact_data["phoneNumbers"][0]["type"] = "work"
    card.extras = reconcile(card.extras, card.contact_data)
    lines = write_card(card, "3.0").split("\r\n")
    assert "TEL;TYPE=work:+1 555 0100" in lines
    assert not any("IPHONE" in line or "_$!<Mobile>!$_" in line for line in lines)


def test_stale_details_are_not_written_even_before_reconcile() -> None:
    card = read_one(APPLE)
    card.contact_data["phoneNumbers"][1]["value"] = "+1 555 9999"
    lines = write_card(card, "3.0").split("\r\n")
    assert "TEL;TYPE=home:+1 555 9999" in lines
    assert not any("X-CUSTOM" in line for line in lines)


def test_a_value_moved_down_is_no_longer_preferred() -> None:
    card = read_one(APPLE)
    phones = card.contact_data["phoneNumbers"]
    phones.reverse()
    text = write_card(card, "4.0")
    assert "PREF=" not in text


def test_reconcile_leaves_other_formats_extras_alone_and_is_pure() -> None:
    card = read_one(APPLE)
    extras = {**card.extras, "csv": {"x": 1}}
    before = copy.deepcopy(extras)
    out = reconcile(extras, {})
    assert extras == before
    assert out["csv"] == {"x": 1}
    assert "values" not in out["vcard"]
    assert reconcile({"vcard": {"values": []}}, {}) == {}
