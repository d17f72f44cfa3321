"""The page loop of a search: which buckets to walk, how far, and with what.

A page is read bucket by bucket, each walked in key order and only as far as the page
needs, so a page costs about what it shows, not what the query matches (docs/search.md).
Two shortcuts keep the walks few, each giving exactly the pages of the plain walk:

- a query that matches only a few contacts is found in one walk and ranked at once
  (`ranked_first`), instead of one walk per remaining rank;
- on a first page, once the better ranks were each walked to their end, a rank is
  walked by its own words alone with the better ranks' matches left out by key
  (`keys_but`), which the index finds without testing the better ranks' words again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from rolodex.contacts.search.matching import node_found
from rolodex.contacts.search.planner import LAST_RANK, Bucket, Plan, split_nots
from rolodex.contacts.search.query import Node
from rolodex.contacts.search.repository import SearchRepository

# A query matching at most this many contacts is ranked at once after one walk of the
# index (`ranked_first`) rather than one walk per remaining rank: a rare name costs
# three walks instead of four. Large enough to cover most such queries, small enough
# that reading and ranking the documents costs less than the walks it saves.
FEW_MATCHES = 64
# A walk that tests the query's NOTs in Python (`keys_but`) hands the rest of its walk
# to the index once it has tested this many matches of the rest of the query, plus four
# per key wanted, without filling the page: a NOT that leaves out most of them is the
# index's job.
NOT_SCAN = 64

# A place in a search's order: (rank bucket, contact key).
Row = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Tuning:
    """How a search walks: the shortcuts' bounds, each with the same pages whatever it is.

    `few_matches`: `FEW_MATCHES` (below 0: never rank at once). `not_scan`: `NOT_SCAN`.
    `narrow_to_owner`: whether the index narrows to the owner first (None: when the
    owner holds under half of it, planner.narrows_to_owner). `leave_out_better`: walk a
    first page's ranks by their own words, leaving the better ranks' matches out by key.
    """

    few_matches: int = FEW_MATCHES
    not_scan: int = NOT_SCAN
    narrow_to_owner: bool | None = None
    leave_out_better: bool = True


@dataclass(slots=True)
class PageWalk:
    """One page's walk over the buckets, and what it has learnt on the way."""

    repo: SearchRepository
    conn: Connection
    tuning: Tuning
    # The page's size: the walk finds one more row, to know whether another page follows.
    limit: int
    rows: list[Row] = field(default_factory=list)
    # The first matches of the whole query, ranked, once found: (rank, key) in page
    # order, every match up to the key `through`.
    known: list[Row] = field(default_factory=list)
    through: int = 0
    # On a first page, every match of the better ranks: each was walked from its first
    # match to its last, as it did not fill the page (None: not a first page).
    better: set[int] | None = None

    def run(self, buckets: Sequence[Bucket], *, bucket: int, after: int) -> list[Row]:
        """The page's rows from (`bucket`, `after`) on, and one more if there are more."""
        remaining = [b for b in buckets if b.rank >= bucket]
        for walked, current in enumerate(remaining):
            # Two buckets did not fill the page and two more walks are left: if the query
            # matches only a few contacts, one walk finds them all and the backend ranks
            # them at once. Not sooner: a query whose best buckets fill the page is
            # cheaper walked.
            if walked == 2 and len(remaining) > 3 and self._rank_the_few(current.rank):
                break
            self._walk(current, after if current.rank == bucket else 0)
            if len(self.rows) > self.limit:
                break
        return self.rows

    def _rank_the_few(self, rank: int) -> bool:
        """Rank the query's first matches at once; True when they complete the page."""
        first = ranked_first(self.repo, self.conn, self.tuning.few_matches)
        if first is None:
            return False
        ranked, complete = first
        if complete:
            wanted = self.limit + 1 - len(self.rows)
            self.rows += [(r, pk) for r, pk in ranked if r >= rank][:wanted]
            return True
        self.known, self.through = ranked, max(pk for _, pk in ranked)
        return False

    def _walk(self, bucket: Bucket, start: int) -> None:
        """Add `bucket`'s matches past `start` until the page is full (or the bucket ends)."""
        wanted = self.limit + 1 - len(self.rows)
        mine: list[int] = []
        if self.known:
            # This rank's matches up to `through` are known: the walk starts there.
            mine = [pk for r, pk in self.known if r == bucket.rank and pk > start][:wanted]
            start, wanted = max(start, self.through), wanted - len(mine)
        if wanted and self.better is not None:
            keys = keys_but(
                self.repo,
                self.conn,
                bucket.positive,
                self.better,
                after=start,
                limit=wanted,
                not_scan=self.tuning.not_scan,
            )
            # Unless this fills the page (and ends the walk), the walk reached the rank's
            # last match from its first (`mine` holds those up to `through`).
            self.better.update(mine, keys)
        elif wanted:
            keys = self.repo.keys(self.conn, bucket.node, after=start, limit=wanted)
        else:
            keys = []
        self.rows += [(bucket.rank, pk) for pk in mine] + [(bucket.rank, pk) for pk in keys]


def ranked_first(
    repo: SearchRepository, conn: Connection, most: int
) -> tuple[list[Row], bool] | None:
    """The first matches in key order as (rank, key), in page order, and whether they are
    all the matches (None: not found, or not worth ranking).

    One walk of the index finds up to `most + 1` matches, then the backend ranks them as
    the plan's buckets do: by the first rank whose narrowed words each holds (it holds
    the rest of the query already, being a match), else the last rank. If there are
    more, the ones found are still every match up to the last of them, which spares the
    walks of the remaining ranks that far, where ranking is cheap
    (`SearchBackend.ranks_found_matches`).
    """
    keys = repo.first_keys(conn, repo.plan.text(), most)
    if keys is None:
        return None
    complete = len(keys) <= most
    if not complete and not repo.backend.ranks_found_matches:
        return None
    if not keys:
        return ([], True) if complete else None
    ranked = repo.ranks(conn, keys, repo.plan.ranks(), LAST_RANK)
    if ranked is None or len(ranked) != len(keys):
        return None
    return sorted((rank, pk) for pk, rank in ranked.items()), complete


def keys_but(
    repo: SearchRepository,
    conn: Connection,
    node: Node | None,
    skip: set[int],
    *,
    after: int,
    limit: int,
    not_scan: int = NOT_SCAN,
) -> list[int]:
    """`repo.keys(node)` without the keys in `skip`: up to `limit` past `after`, in key order.

    Where the index keeps its text (SQLite), the NOTs among `node`'s top-level items (a
    query's own, as in `Dubois -Sales`) are tested in Python on the documents of the
    rest's matches (`matching.node_found`), as the walk reaches them. FTS5 would first
    build the whole list of what the NOT matches (every contact with a word starting
    with "sales"), however few matches the page reads. After `not_scan` matches tested
    (plus four per key wanted) without filling the page, the index walks the rest with
    the NOTs.
    """
    nots, rest = split_nots(node)
    found: list[int] = []
    if nots and rest is not None and repo.backend.keeps_documents:
        budget = not_scan + 4 * limit
        while budget > 0:
            ahead = sum(1 for pk in skip if pk > after)
            size = min(2 * (limit - len(found)) + ahead + 8, budget + ahead)
            got = repo.keys(conn, rest, after=after, limit=size)
            fresh = [pk for pk in got if pk not in skip]
            documents = repo.documents(conn, fresh) if fresh else {}
            if documents is None or len(documents) != len(fresh):
                break  # the index decides, from `after` on
            for pk in fresh:
                if all(node_found(item, documents[pk]) for item in nots):
                    found.append(pk)
                    if len(found) == limit:
                        return found
            if len(got) < size:
                return found
            after, budget = got[-1], budget - len(fresh)
    wanted = limit - len(found)
    ahead = sum(1 for pk in skip if pk > after)
    got = repo.keys(conn, node, after=after, limit=wanted + ahead)
    return found + [pk for pk in got if pk not in skip][:wanted]


def offset_page(
    repo: SearchRepository, conn: Connection, plan: Plan, *, offset: int, limit: int
) -> tuple[list[int], int]:
    """The keys of a page by position of the ranked results, and how many match in all."""
    pks: list[int] = []
    total = repo.count(conn, plan.text())
    skip = offset
    for bucket in plan.buckets():
        if len(pks) == limit or offset + len(pks) >= total:
            break
        if skip:
            # Whole buckets before the page are counted, not read.
            in_bucket = repo.count(conn, bucket.node)
            if in_bucket <= skip:
                skip -= in_bucket
                continue
        wanted = limit - len(pks)
        pks += repo.keys(conn, bucket.node, after=0, limit=skip + wanted)[skip:]
        skip = 0
    return pks, total
