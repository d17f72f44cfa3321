"""What a search asks the database for, decided in Python alone (no connection, no SQL).

Ranking, best first: the words every result must contain (the bare words of the query
outside OR and NOT) all found as whole words in the name (0); all found in the name,
the last as a prefix (1); all found in the name, email, phone, company or title (2);
anywhere else, notes and addresses (3). Within a bucket, contacts come in key order
(creation order), so the order is total and stable and a cursor can resume it exactly.

A `Plan` splits the query's top-level AND items into the tag-free ones, which together
are one lookup in the full-text index (so the index, not the contacts table, drives
the walk), and those with tag terms, which are conditions on `contact_tags`; and it
writes each rank bucket's condition as a query tree of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rolodex.contacts.search import text
from rolodex.contacts.search.query import And, Node, Not, Or, Term, has_tags
from rolodex.contacts.search.query import restrict as restrict_term

PRIMARY_COLUMNS = (*text.NAME_COLUMNS, text.EMAIL, text.PHONE, text.COMPANY, text.TITLE)
# (columns, whole words only) for buckets 0, 1, 2; everything else is bucket 3.
BUCKETS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (text.NAME_COLUMNS, True),
    (text.NAME_COLUMNS, False),
    (PRIMARY_COLUMNS, False),
)
# The rank of the matches in none of `BUCKETS`.
LAST_RANK = len(BUCKETS)


@dataclass(frozen=True, slots=True)
class Bucket:
    """One rank of a search: `node`, the tag-free condition of exactly the contacts in it
    (None: every contact); `positive`, the same without leaving out the better ranks."""

    rank: int
    node: Node | None
    positive: Node | None


@dataclass(frozen=True, slots=True)
class Plan:
    """One parsed query (None: it asks for nothing, every contact matches)."""

    node: Node | None

    @property
    def items(self) -> tuple[Node, ...]:
        """The query's top-level AND items."""
        node = self.node
        return node.items if isinstance(node, And) else (node,) if node is not None else ()

    def text(self) -> Node | None:
        """The tag-free part of the query (None: there is none)."""
        return all_of([i for i in self.items if not has_tags(i)])

    def tag_items(self) -> list[Node]:
        """The top-level items with tag terms: conditions on the contacts, not the index."""
        return [i for i in self.items if has_tags(i)]

    def required(self) -> list[Term]:
        """The words every match must contain: bare words outside OR and NOT."""
        return [i for i in self.items if isinstance(i, Term) and i.columns is None]

    def ranks(self) -> list[tuple[int, tuple[Term, ...]]]:
        """(rank, the required words narrowed as `BUCKETS[rank]` says) of each better rank."""
        ranks: list[tuple[int, tuple[Term, ...]]] = []
        for rank, (columns, exact) in enumerate(BUCKETS):
            narrowed = tuple(restrict_term(t, columns, exact=exact) for t in self.required())
            if any(narrowed == earlier for _, earlier in ranks):
                continue  # no prefix in the query: buckets 0 and 1 are the same
            ranks.append((rank, narrowed))
        return ranks

    def buckets(self) -> list[Bucket]:
        """The ranks the matches fall in, best first.

        Rank r holds the matches whose required words (the bare words of the query
        outside OR and NOT) are found as `BUCKETS[r]` says, and as no better rank says;
        the last rank holds the rest. The ranks partition the matches exactly as a CASE
        over the ranks' conditions, taking the first that holds, would.
        """
        items = [i for i in self.items if not has_tags(i)]
        required = self.required()
        if not required:
            return [Bucket(0, all_of(items), all_of(items))]
        others = [i for i in items if not (isinstance(i, Term) and i.columns is None)]
        found: list[Bucket] = []
        better: list[Node] = []
        # A narrowed word matches a subset of what the word matches: it stands in for it.
        for rank, narrowed in [*self.ranks(), (LAST_RANK, tuple(required))]:
            positive = all_of([*narrowed, *others])
            excluded: list[Node] = []
            if better:
                excluded.append(Not(better[0] if len(better) == 1 else Or(tuple(better))))
            found.append(Bucket(rank, all_of([*narrowed, *others, *excluded]), positive))
            better.append(all_of(list(narrowed)) or narrowed[0])
        return found


def all_of(items: Sequence[Node]) -> Node | None:
    """The AND of `items` (None when there are none; the item itself when one)."""
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def split_nots(node: Node | None) -> tuple[list[Node], Node | None]:
    """(the NOTs among `node`'s top-level AND items, as they are; the AND of the rest)."""
    items = node.items if isinstance(node, And) else () if node is None else (node,)
    nots: list[Node] = [item for item in items if isinstance(item, Not)]
    return nots, all_of([item for item in items if not isinstance(item, Not)])


def narrows_to_owner(owned: int, everyone: int) -> bool:
    """Whether the index should narrow to the owner first: not when the owner holds most
    of it (`owned` of the owner's contacts, `everyone` of all; estimates suffice)."""
    return 2 * owned < everyone
