"""The sample files (tests/formats/samples/), in the shapes real exporters write.

Each is read and checked field by field, then written back in its own version and
compared with the original card: the same properties, values and parameters
(semantic.py). vCard 2.1 cannot be written, so the Android file goes out as 3.0 and must
read back as the same cards.
"""

from __future__ import annotations

import pytest

from rolodex.formats.card import Card
from rolodex.formats.vcard import read_cards, write_card
from tests.formats.samples import SAMPLES, read_sample, sample_card_texts
from tests.formats.vcard.semantic import assert_semantically_equal


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("google-3.0.vcf", "3.0"),
        ("apple-3.0.vcf", "3.0"),
        ("nextcloud-4.0.vcf", "4.0"),
        ("thunderbird-4.0.vcf", "4.0"),
    ],
)
def test_import_then_export_gives_a_semantically_equal_card(name: str, version: str) -> None:
    texts = sample_card_texts(name)
    cards = read_sample(name)
    assert len(cards) == len(texts)
    for card, text in zip(cards, texts, strict=True):
        assert_semantically_equal(write_card(card, version), text)


def test_android_21_export_reads_back_as_the_same_cards() -> None:
    cards = read_sample("android-2.1.vcf")
    again = [
        card
        for card in read_cards("".join(write_card(card, "3.0") for card in cards))
        if isinstance(card, Card)
    ]
    for before, after in zip(cards, again, strict=True):
        assert (after.contact_data, after.tags, after.uid, after.photos, after.extras) == (
            before.contact_data,
            before.tags,
            before.uid,
            before.photos,
            before.extras,
        )


def test_google_export_maps_field_by_field() -> None:
    ada, trust = read_sample("google-3.0.vcf")
    data = ada.contact_data
    assert data["name"] == {"givenName": "Ada", "familyName": "Lovelace"}
    assert "displayName" not in data  # FN is the name composed, as the writer derives it
    assert data["items"] == [{"type": "nickname", "value": "Ada"}]
    assert data["emails"] == [
        {"type": "home", "value": "ada@example.com"},
        {"type": "work", "value": "ada@analytical.example"},
        {"type": "Newsletter", "value": "ada@lovelace.example"},
    ]
    assert data["phoneNumbers"] == [
        {"type": "mobile", "value": "+44 20 7946 0000"},
        {"type": "home", "value": "020 7946 0001"},
    ]
    assert data["addresses"] == [
        {
            "type": "home",
            "street": "12 St James's Square",
            "city": "London",
            "postalCode": "SW1Y 4JH",
            "country": "United Kingdom",
        }
    ]
    assert data["organizations"] == [{"name": "Analytical Engines Ltd.", "title": "Programmer"}]
    assert data["birthday"] == {"year": 1815, "month": 12, "day": 10}
    assert data["urls"] == [{"type": "Blog", "value": "https://blog.example.com/ada"}]
    assert data["notes"] == "First programmer, mathematician.\nLikes poetry."
    assert data["photos"] == [{"value": "https://lh3.googleusercontent.com/contacts/AAAAAbCdEf"}]
    assert ada.tags == ["myContacts", "Friends"]
    assert ada.line == 1

    assert trust.contact_data["displayName"] == "Bletchley Park Trust"
    assert "name" not in trust.contact_data
    assert trust.contact_data["phoneNumbers"] == [{"type": "Reception", "value": "+44 1908 640404"}]
    assert trust.contact_data["dates"] == [
        {"type": "anniversary", "year": 1938, "month": 8, "day": 15}
    ]
    assert trust.contact_data["relatedPeople"] == [{"type": "assistant", "value": "Alan Turing"}]
    assert trust.contact_data["birthday"] == {"month": 4, "day": 12}
    kept = trust.extras["vcard"]["properties"]
    assert kept == [
        {"group": None, "name": "X-PHONETIC-FIRST-NAME", "params": {}, "value": "Bletch"}
    ]
    assert trust.line == 22


def test_apple_export_maps_field_by_field() -> None:
    john, group = read_sample("apple-3.0.vcf")
    data = john.contact_data
    assert john.uid == "8D6B7C2A-1F3E-4B5A-9C8D-7E6F5A4B3C2D"
    assert data["name"] == {
        "prefix": "Dr.",
        "givenName": "John",
        "middleName": "Quincy",
        "familyName": "Appleseed",
        "suffix": "Jr.",
    }
    assert data["organizations"] == [
        {"name": "Apple Inc.", "department": "Engineering", "title": "Engineer"}
    ]
    # type=pref puts the preferred email first.
    assert [e["value"] for e in data["emails"]] == [
        "john@apple.example",
        "johnny@me.example",
        "j@school.example",
    ]
    assert [e["type"] for e in data["emails"]] == ["work", "home", "school"]
    assert data["phoneNumbers"] == [
        {"type": "mobile", "value": "+1 (408) 555-0100"},
        {"type": "mobile", "value": "+1 408 555 0101"},
        {"type": "workFax", "value": "+1 408 555 0102"},
        {"type": "Grandma's line", "value": "+1 408 555 0103"},
    ]
    assert data["addresses"][0]["city"] == "Cupertino"
    assert data["urls"] == [{"type": "homePage", "value": "https://www.apple.example"}]
    assert data["dates"] == [{"type": "anniversary", "year": 2004, "month": 8, "day": 21}]
    assert data["relatedPeople"] == [{"type": "spouse", "value": "Jane Appleseed"}]
    assert data["ims"] == [{"type": "home", "value": "skype:johnny.appleseed"}]
    # X-APPLE-OMIT-YEAR=1604: a birthday without a year.
    assert data["birthday"] == {"month": 5, "day": 6}
    assert data["items"] == [{"type": "nickname", "value": "Johnny"}]
    assert len(john.photos) == 1
    assert john.photos[0].content_type == "image/jpeg"
    assert john.photos[0].data.startswith(b"\xff\xd8")
    names = {p["name"] for p in john.extras["vcard"]["properties"]}
    assert names == {"X-ABADR", "X-SOCIALPROFILE", "X-ABUID"}

    kept = {p["name"]: p["value"] for p in group.extras["vcard"]["properties"]}
    assert kept["X-ADDRESSBOOKSERVER-KIND"] == "group"


def test_android_21_quoted_printable_maps_field_by_field() -> None:
    juergen, jo = read_sample("android-2.1.vcf")
    data = juergen.contact_data
    assert data["name"] == {"givenName": "Jürgen", "familyName": "Müller"}
    assert data["phoneNumbers"] == [
        {"type": "mobile", "value": "+49 170 1234567"},
        {"type": "home", "value": "+49 30 1234567"},
        {"type": "workFax", "value": "+49 30 7654321"},
    ]
    assert data["emails"] == [{"type": "home", "value": "juergen@example.de"}]
    assert data["addresses"][0]["street"] == "Hauptstraße 1"
    assert data["notes"] == (
        "Erste Zeile\nZweite Zeile mit einer sehr langen Fortsetzung, die weich umbrochen"
        " wird und hier endet."
    )
    assert data["organizations"] == [{"name": "Beispiel GmbH", "title": "Ingenieur"}]
    assert data["birthday"] == {"year": 1980, "month": 2, "day": 29}
    assert juergen.photos[0].content_type == "image/jpeg"
    assert juergen.photos[0].data.startswith(b"\xff\xd8")
    assert jo.contact_data["phoneNumbers"] == [{"type": "voice", "value": "555-0199"}]
    assert jo.contact_data["emails"] == [{"value": "jo@example.net"}]


def test_nextcloud_export_maps_field_by_field() -> None:
    (grace,) = read_sample("nextcloud-4.0.vcf")
    data = grace.contact_data
    assert grace.uid == "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
    assert data["addresses"][0]["formatted"] == "1 Navy Way\nArlington, VA 22201"
    # PREF=1 first, whatever the order in the file.
    assert data["emails"] == [
        {"type": "work", "value": "grace@navy.example"},
        {"type": "home", "value": "grace@home.example"},
    ]
    assert data["phoneNumbers"] == [
        {"type": "mobile", "value": "+1 202 555 0100"},
        {"type": "work", "value": "+1-202-555-0101"},
    ]
    assert data["organizations"] == [
        {
            "name": "US Navy",
            "department": "Computing",
            "title": "Rear Admiral",
            "description": "Computer scientist",
        }
    ]
    assert data["dates"] == [{"type": "anniversary", "year": 1930, "month": 6, "day": 15}]
    assert data["relatedPeople"][0] == {"type": "spouse", "value": "Vincent Hopper"}
    assert data["notes"] == 'Coined "debugging"; kept a moth.'
    assert grace.tags == ["Pioneers", "Navy"]
    assert grace.photos[0].content_type == "image/png"
    kept = {p["name"] for p in grace.extras["vcard"]["properties"]}
    assert kept == {"GENDER", "GEO", "TZ", "LANG", "KIND"}


def test_thunderbird_export_maps_field_by_field() -> None:
    (alan,) = read_sample("thunderbird-4.0.vcf")
    data = alan.contact_data
    assert data["displayName"] == "Alan Turing"  # not the name composed: the suffix differs
    assert data["emails"][0] == {"value": "alan@example.org"}
    assert data["items"] == [{"type": "nickname", "value": "Prof,The Prof"}]
    assert data["notes"].endswith("Satz, der umbrochen wird: 数学者")
    assert data["birthday"] == {"year": 1912, "month": 6, "day": 23}
    assert data["dates"] == [{"type": "anniversary", "month": 1, "day": 1}]
    assert alan.tags == ["Scientists", "Bletchley"]


def test_every_sample_card_is_valid_canonical_data_with_json_extras() -> None:
    for path in SAMPLES.glob("*.vcf"):
        assert read_sample(path.name)  # read_sample checks each card
