"""addressbook-query filters: the exact test and the part the search index answers."""

from __future__ import annotations

from rolodex.books.filters import (
    ASCII,
    CardFilter,
    PropFilter,
    TextMatch,
    index_query,
    matches,
    text_matches,
)
from rolodex.contacts.search.query import parse
from rolodex.formats.vcard import properties_of

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José Smith\r\nEMAIL;TYPE=work:j@example.com\r\nEND:VCARD\r\n"
)


def _filter(*prop_filters: PropFilter, any_of: bool = True) -> CardFilter:
    return CardFilter(any_of, prop_filters)


def test_collations_and_match_types() -> None:
    assert text_matches(TextMatch("JOSÉ", match_type="starts-with"), "José Smith")
    assert not text_matches(TextMatch("JOSÉ", ASCII, "starts-with"), "José Smith")
    assert text_matches(TextMatch("smith", match_type="ends-with"), "José Smith")
    assert text_matches(TextMatch("x", negate=True), "José Smith")


def test_a_filter_on_a_cards_properties() -> None:
    props = properties_of(CARD)
    work = PropFilter("EMAIL", text_matches=(TextMatch("example.com", match_type="ends-with"),))
    assert matches(_filter(work), props)
    assert not matches(_filter(PropFilter("TEL")), props)
    assert matches(_filter(PropFilter("TEL", is_not_defined=True)), props)


def test_what_the_index_answers_parses_in_the_search_language() -> None:
    name = PropFilter("FN", text_matches=(TextMatch("Smi"),))
    email = PropFilter("EMAIL", text_matches=(TextMatch("j@example.com", match_type="equals"),))
    query = index_query(_filter(name, email, any_of=False))
    assert query == "(name:Smi) (email:j email:example email:com)"
    parse(query)


def test_what_the_index_cannot_answer_reads_the_book() -> None:
    ends = PropFilter("FN", text_matches=(TextMatch("ith", match_type="ends-with"),))
    phone = PropFilter("TEL", text_matches=(TextMatch("555"),))
    assert index_query(_filter(ends)) is None
    assert index_query(_filter(phone)) is None
    # allof: one narrowing part is enough; anyof needs every part.
    name = PropFilter("FN", text_matches=(TextMatch("Smi"),))
    assert index_query(_filter(name, phone, any_of=False)) == "name:Smi"
    assert index_query(_filter(name, phone)) is None
