"""addressbook-query: the cards of a book passing a filter, found through the index.

The search index narrows the book to the cards that may pass (`filters.index_query`),
a page at a time; each is then tested exactly on its properties as written. A filter
the index cannot narrow reads the book page by page instead (docs/carddav.md says
which). Either way memory holds one page, and the walk stops at the client's limit.

A group card is an address object resource too (RFC 6352 §8.6), so `groups` tests each
group card of the book (there are few: a book's cards PUT as groups, and the default
book's tags) on the card as served, after the contacts. Its kind is both forms
(`X-ADDRESSBOOKSERVER-KIND:group` and `KIND:group`), whichever version is asked, so a
filter on either finds it. A filter naming no member property is tested on the cards
without their members (`GroupCards.heads`: no membership read), and only those that pass
are read whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rolodex.books.filters import CardFilter, index_query, matches
from rolodex.books.group_listing import GroupView
from rolodex.books.group_text import MEMBER_PROPS
from rolodex.books.groups import GroupCards
from rolodex.books.model import AddressBook, Member
from rolodex.books.service import PAGE_SIZE, BookService
from rolodex.contacts.search.service import SearchService
from rolodex.errors import InvalidInput
from rolodex.formats.vcard import Property, properties_of

KINDS = ("KIND", "X-ADDRESSBOOKSERVER-KIND")

# The most cards one query answers when the client names no smaller limit.
MAX_RESULTS = 10_000


@dataclass(frozen=True, slots=True)
class Found:
    """A card passing the filter, with its vCard 3.0 text (read to test it)."""

    member: Member
    text: str


class BookQuery:
    def __init__(self, books: BookService, search: SearchService, groups: GroupCards) -> None:
        self.books = books
        self.search = search
        self.group_cards = groups

    def run(self, book: AddressBook, card_filter: CardFilter) -> Iterator[Found]:
        """Every card passing the filter, a page at a time (the caller stops at its limit)."""
        for page in self._candidates(book, card_filter):
            texts = self.books.card_texts(book, page, "3.0")
            for member in page:
                text = texts[member.name]
                if matches(card_filter, properties_of(text)):
                    yield Found(member, text)

    def groups(
        self, book: AddressBook, card_filter: CardFilter, version: str = "3.0"
    ) -> Iterator[GroupView]:
        """Every group card of the book passing the filter, tested on the card as served
        in `version` (the caller answers them after the contacts, within its limit)."""
        named = {pf.name.upper() for pf in card_filter.prop_filters}
        if named & set(MEMBER_PROPS):
            for view in self.group_cards.listing(book, version):
                if matches(card_filter, group_properties(view.text)):
                    yield view
            return
        # The filter names no member: test each card without its members (no member
        # read), then read the few that pass.
        heads = self.group_cards.heads(book, version)
        passed = [n for n, text in heads if matches(card_filter, group_properties(text))]
        for start in range(0, len(passed), PAGE_SIZE):
            chunk = passed[start : start + PAGE_SIZE]
            views = self.group_cards.named(book, chunk, version)
            yield from (views[n] for n in chunk if n in views)

    def _candidates(self, book: AddressBook, card_filter: CardFilter) -> Iterator[list[Member]]:
        if not card_filter.prop_filters:
            yield from self.books.pages(book)
            return
        query = index_query(card_filter)
        if query is None:
            yield from self.books.pages(book)
            return
        cursor: str | None = None
        while True:
            try:
                page = self.search.search(book.owner_id, query, size=PAGE_SIZE, cursor=cursor)
            except InvalidInput:
                # Words the search language refuses (too many, too long): read the book.
                if cursor is None:
                    yield from self.books.pages(book)
                return
            yield self.books.in_book(book, page.contacts)
            if page.cursor is None:
                return
            cursor = page.cursor


def group_properties(text: str) -> list[Property]:
    """A group card's properties, its kind in both forms (Apple's and vCard 4.0's)."""
    props = list(properties_of(text))
    present = {p.name for p in props}
    if present & set(KINDS):
        props += [Property(k, "group") for k in KINDS if k not in present]
    return props
