"""A derived FN is marked, so a contact without a name comes back without a display name.

Issue 22: a contact with only an organisation was exported with `FN:<org>` (FN is
required) and came back from the import with that text as a `displayName` it never had.
"""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.formats.card import Card
from rolodex.formats.vcard import read_cards, write_card
from tests.formats.vcard.semantic import assert_semantically_equal

VERSIONS = ["3.0", "4.0"]


def read_back(text: str) -> Card:
    (card,) = list(read_cards(text))
    assert isinstance(card, Card), card
    return card


def card_text(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", *lines, "END:VCARD", ""])


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "data",
    [
        {"organizations": [{"name": "Acme", "title": "Buyer"}]},
        {"organizations": [{"department": "Sales"}, {"name": "Acme"}]},
        {"emails": [{"value": "ada@example.com", "type": "work"}]},
        {"organizations": [{"name": "Acme"}], "emails": [{"value": "ada@example.com"}]},
        # A display name a person chose keeps itself even when it repeats the company.
        {"displayName": "Acme", "organizations": [{"name": "Acme"}]},
        {"displayName": "ada@example.com", "emails": [{"value": "ada@example.com"}]},
    ],
)
def test_a_contact_without_a_name_exports_and_imports_as_itself(
    data: dict[str, Any], version: str
) -> None:
    back = read_back(write_card(Card(contact_data=data), version))
    assert back.contact_data == data
    assert "properties" not in back.extras.get("vcard", {})


def test_the_derived_fn_of_a_company_is_marked_as_apple_marks_it() -> None:
    text = write_card(Card(contact_data={"organizations": [{"name": "Acme"}]}), "3.0")
    assert "FN:Acme\r\n" in text
    assert "X-ABShowAs:COMPANY\r\n" in text


def test_an_apple_company_card_is_a_company_and_goes_back_out_equal() -> None:
    text = card_text(
        "VERSION:3.0", "N:;;;;", "FN:Acme Corp", "ORG:Acme Corp;", "X-ABShowAs:COMPANY"
    )
    card = read_back(text)
    assert card.contact_data == {"organizations": [{"name": "Acme Corp"}]}
    assert_semantically_equal(write_card(card, "3.0"), text)


def test_show_as_company_on_a_person_is_kept_and_written_back_once() -> None:
    text = card_text("VERSION:3.0", "N:Doe;Jo;;;", "FN:Jo Doe", "ORG:Acme", "X-ABShowAs:COMPANY")
    card = read_back(text)
    assert card.contact_data == {
        "name": {"familyName": "Doe", "givenName": "Jo"},
        "organizations": [{"name": "Acme"}],
    }
    assert_semantically_equal(write_card(card, "3.0"), text)
    # The name cleared through another API: the kept mark now says it, once.
    del card.contact_data["name"]
    assert write_card(card, "3.0").count("X-ABShowAs") == 1
    assert "displayName" not in read_back(write_card(card, "3.0")).contact_data


def test_an_fn_repeating_the_company_without_the_mark_is_a_display_name() -> None:
    """Google and Outlook write a company's name as FN with no mark: it is kept as the
    display name it says it is, and written back as it came."""
    text = card_text("VERSION:3.0", "N:;;;;", "FN:Acme", "ORG:Acme")
    card = read_back(text)
    assert card.contact_data["displayName"] == "Acme"
    assert_semantically_equal(write_card(card, "3.0"), text)
