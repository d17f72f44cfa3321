"""Apple and vCard 4.0 group cards as tags."""

from __future__ import annotations

from rolodex.formats.card import Card
from rolodex.formats.vcard import read_cards
from rolodex.formats.vcard.groups import Group, group_card, group_of
from tests.formats.samples import read_sample


def test_an_apple_group_card_names_its_members() -> None:
    person, group = read_sample("apple-3.0.vcf")
    assert group_of(person) is None
    assert group_of(group) == Group(
        "Book Club",
        ["8D6B7C2A-1F3E-4B5A-9C8D-7E6F5A4B3C2D"],
        "5B1C9E0A-2D3F-4A5B-8C7D-6E5F4A3B2C1D",
        group.line,
    )


def test_a_tag_written_as_a_group_card_reads_back_as_that_group() -> None:
    for version in ("3.0", "4.0"):
        text = group_card("Friends, old", ["a-1", "b-2"], "g-1", version)
        (card,) = read_cards(text)
        assert isinstance(card, Card)
        assert group_of(card) == Group("Friends, old", ["a-1", "b-2"], "g-1", 1)
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a-1" in group_card("F", ["a-1"], "g", "3.0")
    assert "\r\nKIND:group\r\n" in group_card("F", ["a-1"], "g", "4.0")
