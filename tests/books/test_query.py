"""books/query.py: a group card's properties carry its kind in both forms."""

from __future__ import annotations

from rolodex.books.filters import CardFilter, PropFilter, TextMatch, matches
from rolodex.books.query import group_properties

APPLE = "BEGIN:VCARD\nVERSION:3.0\nUID:g\nFN:Fans\nX-ADDRESSBOOKSERVER-KIND:group\nEND:VCARD\n"
V4 = "BEGIN:VCARD\nVERSION:4.0\nUID:g\nFN:Fans\nKIND:group\nEND:VCARD\n"
PLAIN = "BEGIN:VCARD\nVERSION:3.0\nUID:p\nFN:Ada\nEND:VCARD\n"


def _kind(name: str) -> CardFilter:
    return CardFilter(
        prop_filters=(PropFilter(name, text_matches=(TextMatch("group", match_type="equals"),)),)
    )


def test_either_kind_filter_finds_either_form() -> None:
    for text in (APPLE, V4):
        props = group_properties(text)
        assert matches(_kind("KIND"), props)
        assert matches(_kind("X-ADDRESSBOOKSERVER-KIND"), props)


def test_a_card_without_a_kind_gains_none() -> None:
    props = group_properties(PLAIN)
    assert not matches(_kind("KIND"), props)
    assert not matches(_kind("X-ADDRESSBOOKSERVER-KIND"), props)
