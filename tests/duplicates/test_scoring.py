"""The score of two contacts, read like docs/duplicates.md: what makes two records one person."""

from __future__ import annotations

from typing import Any

from rolodex.duplicates.keys import keys_of
from rolodex.duplicates.profile import build, phone_digits, phones_match
from rolodex.duplicates.scoring import DEFAULT_MIN_SCORE, Match, score


def person(given: str, family: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": {"givenName": given, "familyName": family}}
    data.update(fields)
    return data


def mobile(value: str) -> dict[str, Any]:
    return {"phoneNumbers": [{"type": "mobile", "value": value}]}


def pair(a: dict[str, Any], b: dict[str, Any]) -> Match:
    return score(build(a), build(b))


def test_bob_and_robert_with_one_mobile_are_one_person() -> None:
    match = pair(
        person("Bob", "Smith", **mobile("+1 415 555 0100")),
        person("Robert", "Smith", **mobile("(415) 555-0100")),
    )
    assert match.score >= DEFAULT_MIN_SCORE
    assert match.reasons == ("same mobile +1 415 555 0100", "names 'Bob Smith' and 'Robert Smith'")


def test_a_phone_matches_in_any_format() -> None:
    written = ["+44 20 7946 0958", "020 7946 0958", "0044 20 7946 0958", "+44 (0)20 7946 0958"]
    digits = [phone_digits(w) for w in written]
    assert all(phones_match(digits[0], d) for d in digits), digits
    assert len({k for w in written for k in keys_of(build(mobile(w))) if k.startswith("p:")}) == 1


def test_two_numbers_with_different_country_codes_are_two_numbers() -> None:
    assert not phones_match(phone_digits("+1 415 555 0100"), phone_digits("+44 415 555 0100"))


def test_an_email_in_other_case_is_the_same_email() -> None:
    match = pair(
        person("Liz", "Taylor", emails=[{"value": "Liz.Taylor@Example.com"}]),
        person("Elizabeth", "Taylor", emails=[{"value": "liz.taylor@example.com"}]),
    )
    assert match.score >= DEFAULT_MIN_SCORE
    assert "same email liz.taylor@example.com" in match.reasons


def test_given_and_family_name_swapped_still_match() -> None:
    match = pair(
        person("Wei", "Zhang", **mobile("+86 138 0013 8000")),
        person("Zhang", "Wei", **mobile("+86 13800138000")),
    )
    assert match.score >= DEFAULT_MIN_SCORE
    assert "names 'Wei Zhang' and 'Zhang Wei' (given and family name swapped)" in match.reasons


def test_accents_and_a_typo_do_not_hide_a_person() -> None:
    match = pair(
        person("José", "Núñez", **mobile("+34 612 345 678")),
        person("Jose", "Nunes", **mobile("612345678")),
    )
    assert match.score >= DEFAULT_MIN_SCORE


def test_an_initial_fits_its_name() -> None:
    match = pair(
        person("W.", "Turner", emails=[{"value": "w.turner@firm.example"}]),
        person("William", "Turner", emails=[{"value": "w.turner@firm.example"}]),
    )
    assert match.score >= DEFAULT_MIN_SCORE


def test_a_household_sharing_a_home_phone_is_not_one_person() -> None:
    home = {"phoneNumbers": [{"type": "home", "value": "+1 415 555 0100"}]}
    match = pair(person("Ana", "García", **home), person("José", "García", **home))
    assert match.score < 0.1


def test_namesakes_with_nothing_in_common_are_two_people() -> None:
    match = pair(
        person(
            "John", "Smith", emails=[{"value": "john@one.example"}], **mobile("+1 212 555 0101")
        ),
        person("John", "Smith", emails=[{"value": "js@two.example"}], **mobile("+1 212 555 0199")),
    )
    assert match.score < 0.1


def test_different_birthdays_outweigh_a_shared_email() -> None:
    shared = {"emails": [{"value": "family@home.example"}]}
    match = pair(
        person("Sam", "Lee", birthday={"year": 1950, "month": 3, "day": 1}, **shared),
        person("Sam", "Lee", birthday={"year": 1985, "month": 7, "day": 9}, **shared),
    )
    assert match.score < DEFAULT_MIN_SCORE


def test_colleagues_with_addresses_at_one_company_are_two_people() -> None:
    match = pair(
        person(
            "Chris",
            "Brown",
            emails=[{"value": "chris@acme.example"}],
            birthday={"month": 1, "day": 2},
        ),
        person(
            "Chris",
            "Browne",
            emails=[{"value": "cbrowne@acme.example"}],
            birthday={"month": 1, "day": 2},
        ),
    )
    assert match.score < DEFAULT_MIN_SCORE


def test_a_name_without_structure_is_read_from_the_display_name() -> None:
    profile = build({"displayName": "Smith, Bob"})
    assert (profile.given, profile.family) == ("bob", "smith")
