"""The pure parts of search: phone forms, folding, tokens, and how queries parse."""

from __future__ import annotations

import pytest

from rolodex.contacts import phones
from rolodex.contacts.search import text
from rolodex.contacts.search.query import And, Not, Or, TagTerm, Term, parse


def test_a_number_is_kept_in_e164_whatever_its_formatting() -> None:
    for written in ("+1 (415) 555-0100", "4155550100", "415.555.0100", "1-415-555-0100"):
        assert phones.to_e164(written, "US") == "+14155550100"
    assert phones.to_e164("020 7946 0958", "GB") == "+442079460958"
    assert phones.to_e164("not a number", "US") is None
    assert phones.to_e164("12", "US") is None


def test_the_default_region_reads_numbers_without_a_country_code() -> None:
    assert phones.default_region() == "US"
    try:
        phones.set_default_region("gb")
        assert phones.to_e164("020 7946 0958") == "+442079460958"
        assert "02079460958" in text.phone_tokens("+44 20 7946 0958")
    finally:
        phones.set_default_region("US")
    with pytest.raises(ValueError, match="unknown phone region"):
        phones.set_default_region("XX")


def test_a_phone_is_indexed_by_its_words_and_digit_tails() -> None:
    found = text.phone_tokens("+1 (415) 555-0100", "US")
    assert {"14155550100", "4155550100", "5550100", "0100", "415"} <= set(found)
    assert "100" not in found  # tails start at four digits


def test_folding_ignores_case_and_accents() -> None:
    assert text.tokens("Dr. José NÚÑEZ, Zoë Ørsted (Straße)") == [
        "dr",
        "jose",
        "nunez",
        "zoe",
        "orsted",
        "strasse",
    ]
    assert text.tokens("jean-luc@o'neil.example") == ["jean", "luc", "o", "neil", "example"]
    assert text.tokens("+&^*") == []


def test_letters_and_digits_are_separate_words() -> None:
    assert text.tokens("jing.huang056@home.example") == ["jing", "huang", "056", "home", "example"]
    assert text.tokens("R2-D2, Apt 4B") == ["r", "2", "d", "2", "apt", "4", "b"]


def test_a_contact_with_only_a_display_name_has_a_first_and_last_name() -> None:
    doc = text.document({"displayName": "Ada King Lovelace"}, "US")
    assert doc[text.GIVEN] == [["ada"]]
    assert doc[text.FAMILY] == [["king", "lovelace"]]


def test_queries_parse_into_terms_of_folded_tokens() -> None:
    assert parse("") is None
    assert parse("+ &") is None
    assert parse("Jo") == Term(("jo",), None, prefix=True)
    assert parse('"José Núñez"') == Term(("jose", "nunez"), None, prefix=False)
    assert parse("firstName:Ann OR tag:VIP") == Or(
        (Term(("ann",), ("given",), prefix=True), TagTerm("VIP"))
    )
    assert parse("a -b") == And((Term(("a",), None, True), Not(Term(("b",), None, True))))
    phone = parse("(415) 555-0100")
    assert isinstance(phone, Term)
    assert phone.digits == ("4155550100", "14155550100")
