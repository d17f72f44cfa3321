"""`SearchService`: contact search for every API (Contacts+ `contacts.search`, REST `searchText`, ...).

A search is one read transaction: the query tree becomes a condition on the owner's
live contacts (full-text lookups through the database's index, tag lookups through
`contact_tags`), and the matches are ordered by rank bucket, then by key.

Ranking, best first: the words every result must contain (the bare words of the query
outside OR and NOT) all found as whole words in the name (0); all found in the name,
the last as a prefix (1); all found in the name, email, phone, company or title (2);
anywhere else, notes and addresses (3). Within a bucket, contacts come in key order
(creation order), so the order is total and stable and a cursor can resume it exactly.

A page is read bucket by bucket, each walked in key order and only as far as the page
needs, so a page costs about what it shows, not what the query matches (docs/search.md).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    func,
    not_,
    or_,
    select,
)

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactFilters, ContactRepository
from rolodex.contacts.search import text
from rolodex.contacts.search.backend import Lookup, SearchBackend, backend_for
from rolodex.contacts.search.cursor import SearchCursor
from rolodex.contacts.search.matching import node_found
from rolodex.contacts.search.query import And, Node, Not, Or, TagTerm, Term, has_tags, parse
from rolodex.contacts.search.query import restrict as restrict_term
from rolodex.contacts.service import ContactService, ScrollPage, fitting
from rolodex.errors import InvalidInput
from rolodex.store import Store
from rolodex.store.schema import contact_tags, contacts, owner_counts, tags

PRIMARY_COLUMNS = (*text.NAME_COLUMNS, text.EMAIL, text.PHONE, text.COMPANY, text.TITLE)
# (columns, whole words only) for buckets 0, 1, 2; everything else is bucket 3.
_BUCKETS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (text.NAME_COLUMNS, True),
    (text.NAME_COLUMNS, False),
    (PRIMARY_COLUMNS, False),
)
MAX_TAG_IDS = 100
# A query matching at most this many contacts is ranked at once after one walk of the
# index (`_Search.ranked_first`) rather than one walk per remaining rank: a rare name
# costs three walks instead of four. Large enough to cover most such queries, small
# enough that reading and ranking the documents costs less than the walks it saves.
FEW_MATCHES = 64
# A walk that tests the query's NOTs in Python (`_Search.keys_but`) hands the rest of its
# walk to the index once it has tested this many matches of the rest of the query, plus
# four per key wanted, without filling the page: a NOT that leaves out most of them is
# the index's job.
NOT_SCAN = 64


class SearchService:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self.store = store
        self.contacts = contacts

    def search(
        self,
        owner_id: str,
        query: str,
        *,
        size: int | None = None,
        cursor: str | None = None,
        tag_ids: Sequence[str] | None = None,
    ) -> ScrollPage:
        """One page of the owner's live contacts matching `query`, best first.

        `tag_ids`: only contacts carrying all of them. The cursor is present while more
        results remain; a walk with it sees each contact whose text is unchanged during
        the walk exactly once (docs/search.md). An empty query matches every contact.
        Bad queries are `InvalidInput` on `searchQuery` naming the character at fault.
        """
        limit = self.contacts.page_size(size)
        wanted_tags = _tag_ids(tag_ids)
        node = parse(query, region=phones.default_region())
        fingerprint = SearchCursor.fingerprint(query, wanted_tags)
        codec = self.contacts.cursors
        bucket, after = (
            (0, 0) if cursor is None else SearchCursor.decode(codec, owner_id, cursor, fingerprint)
        )
        rows: list[tuple[int, int]] = []
        backend = _backend(self.store)
        with self.store.read() as conn:
            backend.begin(conn)
            search = _Search(backend, owner_id, node, wanted_tags, _by_owner(conn, owner_id))
            # Buckets in rank order, each walked in key order from where the page starts,
            # until the page (and one more, to know whether another page follows) is full:
            # a page costs what it shows, not what the query matches.
            remaining = [b for b in search.buckets_with_positive() if b[0] >= bucket]
            # The first matches of the whole query, ranked, once found: (rank, key) in
            # page order, every match up to the key `through`.
            known: list[tuple[int, int]] = []
            through = 0
            # On a first page, every match of the better ranks: each was walked from its
            # first match to its last, as it did not fill the page. A rank's matches are
            # then its own words' matches but these keys, which the index finds without
            # testing the better ranks' words again (their NOT cost more than the walk).
            better: set[int] | None = set() if cursor is None else None
            for walked, (rank, text_node, positive) in enumerate(remaining):
                wanted = limit + 1 - len(rows)
                if walked == 2 and len(remaining) > 3:
                    # Two buckets did not fill the page and two more walks are left: if
                    # the query matches only a few contacts, one walk finds them all and
                    # the backend ranks them at once (`SearchBackend.ranks`). Not sooner:
                    # a query whose best buckets fill the page is cheaper walked.
                    first = search.ranked_first(conn, FEW_MATCHES)
                    if first is not None:
                        ranked, complete = first
                        if complete:
                            rows += [(r, pk) for r, pk in ranked if r >= rank][:wanted]
                            break
                        known, through = ranked, max(pk for _, pk in ranked)
                start = after if rank == bucket else 0
                mine: list[int] = []
                if known:
                    # This rank's matches up to `through` are known: the walk starts there.
                    mine = [pk for r, pk in known if r == rank and pk > start][:wanted]
                    start, wanted = max(start, through), wanted - len(mine)
                if wanted and better is not None:
                    keys = search.keys_but(conn, positive, better, after=start, limit=wanted)
                    # Unless this fills the page (and ends the loop), the walk reached the
                    # rank's last match from its first (`mine` holds those up to `through`).
                    better.update(mine, keys)
                else:
                    keys = search.keys(conn, text_node, after=start, limit=wanted) if wanted else []
                rows += [(rank, pk) for pk in mine] + [(rank, pk) for pk in keys]
                if len(rows) > limit:
                    break
            found = ContactRepository.by_pks(conn, owner_id, [pk for _, pk in rows[:limit]])
        # The byte budget (docs/limits.md): a page ends early, with a cursor after its last.
        fits = fitting(found, self.contacts.limits.page_max_bytes)
        if fits < len(found):
            found = found[:fits]
            last_bucket, last_pk = next((r, pk) for r, pk in rows if pk == found[-1].pk)
            return ScrollPage(
                found, SearchCursor.encode(codec, owner_id, last_bucket, last_pk, fingerprint)
            )
        if len(rows) <= limit:
            return ScrollPage(found, None)
        last_bucket, last_pk = rows[limit - 1]
        return ScrollPage(
            found, SearchCursor.encode(codec, owner_id, last_bucket, last_pk, fingerprint)
        )

    def search_offset(
        self,
        owner_id: str,
        query: str,
        *,
        offset: int,
        limit: int,
        filters: ContactFilters | None = None,
    ) -> tuple[list[Contact], int]:
        """A page by position of the same ranked results, and how many match in all.

        For APIs that page by number. Pages are consistent while the matching contacts
        do not change; a change between two requests can shift later pages by one.
        `filters` narrow the matches in SQL, as they narrow a listing (REST `tags`,
        `locationId`, `channel` beside `searchText`).
        """
        if offset < 0:
            raise InvalidInput("must not be negative", field="offset")
        if not 1 <= limit <= self.contacts.limits.max_page_size:
            raise InvalidInput(
                f"must be between 1 and {self.contacts.limits.max_page_size}", field="limit"
            )
        node = parse(query, region=phones.default_region())
        _tag_ids(None if filters is None else filters.tag_ids)  # as many as `search` takes
        pks: list[int] = []
        backend = _backend(self.store)
        with self.store.read() as conn:
            backend.begin(conn)
            narrowed = () if filters is None else ContactRepository.filter_conditions(conn, filters)
            search = _Search(
                backend, owner_id, node, [], _by_owner(conn, owner_id), tuple(narrowed)
            )
            total = search.count(conn, search.text())
            skip = offset
            for _, text_node in search.buckets():
                if len(pks) == limit or offset + len(pks) >= total:
                    break
                if skip:
                    # Whole buckets before the page are counted, not read.
                    in_bucket = search.count(conn, text_node)
                    if in_bucket <= skip:
                        skip -= in_bucket
                        continue
                wanted = limit - len(pks)
                pks += search.keys(conn, text_node, after=0, limit=skip + wanted)[skip:]
                skip = 0
            found = ContactRepository.by_pks(conn, owner_id, pks)
        return found, total


def _backend(store: Store) -> SearchBackend:
    return backend_for(store.engine.dialect.name)


def _by_owner(conn: Connection, owner_id: str) -> bool:
    """Whether the index should narrow to the owner first: not when the owner holds most of it.

    Both figures count tombstones, so the share is only an estimate; it is right where
    it matters (one account of a million contacts, or one of many small accounts).
    """
    owned, everyone = conn.execute(
        select(
            select(owner_counts.c.contacts)
            .where(owner_counts.c.owner_id == owner_id)
            .scalar_subquery(),
            select(func.max(contacts.c.pk)).scalar_subquery(),
        )
    ).one()
    return 2 * (owned or 0) < (everyone or 0)


def _tag_ids(tag_ids: Sequence[str] | None) -> list[str]:
    wanted = sorted(set(tag_ids or ()))
    if len(wanted) > MAX_TAG_IDS:
        raise InvalidInput(f"at most {MAX_TAG_IDS} tag ids", field="tagIds")
    return wanted


@dataclass(frozen=True, slots=True)
class _Search:
    """One search turned into SQL: one bounded, key-ordered query per rank bucket.

    The query's top-level AND items split into the tag-free ones, which together are
    one lookup in the full-text index (so the index, not the contacts table, drives
    the walk), and those with tag terms, which are conditions on `contact_tags`.
    """

    backend: SearchBackend
    owner_id: str
    node: Node | None
    tag_ids: list[str]
    by_owner: bool = True
    # More conditions on each match's contact (`ContactRepository.filter_conditions`).
    narrowed: tuple[ColumnElement[bool], ...] = ()

    @property
    def _items(self) -> tuple[Node, ...]:
        node = self.node
        return node.items if isinstance(node, And) else (node,) if node is not None else ()

    def text(self) -> Node | None:
        """The tag-free part of the query (None: there is none)."""
        return _all_of([i for i in self._items if not has_tags(i)])

    def _required(self) -> list[Term]:
        """The words every match must contain: bare words outside OR and NOT."""
        return [i for i in self._items if isinstance(i, Term) and i.columns is None]

    def _ranks(self) -> list[tuple[int, tuple[Term, ...]]]:
        """(rank, the required words narrowed as `_BUCKETS[rank]` says) of each better rank."""
        ranks: list[tuple[int, tuple[Term, ...]]] = []
        for rank, (columns, exact) in enumerate(_BUCKETS):
            narrowed = tuple(restrict_term(t, columns, exact=exact) for t in self._required())
            if any(narrowed == earlier for _, earlier in ranks):
                continue  # no prefix in the query: buckets 0 and 1 are the same
            ranks.append((rank, narrowed))
        return ranks

    def buckets(self) -> list[tuple[int, Node | None]]:
        """(rank, the tag-free condition of the contacts in that rank), best rank first."""
        return [(rank, node) for rank, node, _ in self.buckets_with_positive()]

    def buckets_with_positive(self) -> list[tuple[int, Node | None, Node | None]]:
        """(rank, the tag-free condition of the contacts in that rank), best rank first.

        Rank r holds the matches whose required words (the bare words of the query
        outside OR and NOT) are found as `_BUCKETS[r]` says, and as no better rank
        says; the last rank holds the rest. The ranks partition the matches exactly as
        a CASE over the ranks' conditions, taking the first that holds, would.
        """
        items = [i for i in self._items if not has_tags(i)]
        required = self._required()
        if not required:
            return [(0, _all_of(items), _all_of(items))]
        others = [i for i in items if not (isinstance(i, Term) and i.columns is None)]
        ranks = self._ranks()
        found: list[tuple[int, Node | None, Node | None]] = []
        better: list[Node] = []
        # A narrowed word matches a subset of what the word matches: it stands in for it.
        for rank, narrowed in [*ranks, (len(_BUCKETS), tuple(required))]:
            excluded: list[Node] = [Not(better[0] if len(better) == 1 else Or(tuple(better)))]
            positive = _all_of([*narrowed, *others])
            found.append(
                (rank, _all_of([*narrowed, *others, *(excluded if better else [])]), positive)
            )
            better.append(_all_of(list(narrowed)) or narrowed[0])
        return found

    def ranked_first(
        self, conn: Connection, most: int
    ) -> tuple[list[tuple[int, int]], bool] | None:
        """The first matches in key order as (rank, key), in page order, and whether they
        are all the matches (None: not found, or not worth ranking).

        One walk of the index finds up to `most + 1` matches, then the backend ranks them
        as `buckets` does: by the first rank whose narrowed words each holds (it holds the
        rest of the query already, being a match), else the last rank. If there are more,
        the ones found are still every match up to the last of them, which spares the
        walks of the remaining ranks that far, where ranking is cheap
        (`SearchBackend.ranks_found_matches`).
        """
        keys = self.first_keys(conn, self.text(), most)
        if keys is None:
            return None
        complete = len(keys) <= most
        if not complete and not self.backend.ranks_found_matches:
            return None
        if not keys:
            return ([], True) if complete else None
        ranked = self.backend.ranks(conn, keys, self._ranks(), len(_BUCKETS))
        if ranked is None or len(ranked) != len(keys):
            return None
        return sorted((rank, pk) for pk, rank in ranked.items()), complete

    def _contact(self) -> list[ColumnElement[bool]]:
        """What each match's contact must be: the owner's, live, and tagged as asked."""
        conditions: list[ColumnElement[bool]] = [
            contacts.c.owner_id == self.owner_id,
            contacts.c.deleted_at.is_(None),
        ]
        conditions += [self.condition(i) for i in self._items if has_tags(i)]
        conditions += self.narrowed
        for tag_id in self.tag_ids:
            tagged = select(contact_tags.c.contact_pk).where(contact_tags.c.tag_id == tag_id)
            conditions.append(contacts.c.pk.in_(tagged))
        return conditions

    def keys(
        self, conn: Connection, text_node: Node | None, *, after: int, limit: int
    ) -> list[int]:
        """Up to `limit` keys of matching live contacts past `after`, in key order."""
        if text_node is None:
            query = (
                select(contacts.c.pk)
                .where(*self._contact(), contacts.c.pk > after)
                .order_by(contacts.c.pk)
                .limit(limit)
            )
            return list(conn.execute(query).scalars())
        # The index drives (its rows come in key order) and each match's contact is
        # checked by a correlated EXISTS. As a join, SQLite may make the contacts the
        # outer loop and run the full-text query once per contact.
        found, contact = self._lookup(text_node)
        return self.backend.keys(conn, found, contact, after=after, limit=limit)

    def keys_but(
        self, conn: Connection, node: Node | None, skip: set[int], *, after: int, limit: int
    ) -> list[int]:
        """`keys(node)` without the keys in `skip`: up to `limit` past `after`, in key order.

        Where the index keeps its text (SQLite), the NOTs among `node`'s top-level items
        (a query's own, as in `Dubois -Sales`) are tested in Python on the documents of
        the rest's matches (`matching.node_found`), as the walk reaches them. FTS5 would
        first build the whole list of what the NOT matches (every contact with a word
        starting with "sales": at a million contacts, milliseconds for every walk),
        however few matches the page reads. After `NOT_SCAN` matches tested (plus four
        per key wanted) without filling the page, the index walks the rest with the NOTs.
        """
        items = node.items if isinstance(node, And) else () if node is None else (node,)
        nots = [item for item in items if isinstance(item, Not)]
        rest = _all_of([item for item in items if not isinstance(item, Not)])
        found: list[int] = []
        if nots and rest is not None and self.backend.keeps_documents:
            budget = NOT_SCAN + 4 * limit
            while budget > 0:
                ahead = sum(1 for pk in skip if pk > after)
                size = min(2 * (limit - len(found)) + ahead + 8, budget + ahead)
                got = self.keys(conn, rest, after=after, limit=size)
                fresh = [pk for pk in got if pk not in skip]
                documents = self.backend.documents(conn, fresh) if fresh else {}
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
        got = self.keys(conn, node, after=after, limit=wanted + ahead)
        return found + [pk for pk in got if pk not in skip][:wanted]

    def _lookup(self, text_node: Node) -> tuple[Lookup, ColumnElement[bool]]:
        """The index lookup of `text_node`, and what each match's contact must be."""
        found = self.backend.lookup(self.owner_id, text_node, by_owner=self.by_owner)
        contact = select(contacts.c.pk).where(contacts.c.pk == found.key, *self._contact())
        return found, contact.exists()

    def first_keys(self, conn: Connection, text_node: Node | None, most: int) -> list[int] | None:
        """The first `most + 1` matches' keys in key order (all, if fewer), or None (see
        `SearchBackend.first_keys`)."""
        if text_node is None:
            return self.keys(conn, None, after=0, limit=most + 1)
        found, contact = self._lookup(text_node)
        return self.backend.first_keys(conn, found, contact, most=most)

    def count(self, conn: Connection, text_node: Node | None) -> int:
        """How many contacts `keys(text_node)` gives in all."""
        if (
            text_node is None
            or self.tag_ids
            or self.narrowed
            or any(has_tags(i) for i in self._items)
        ):
            found = None if text_node is None else self.backend.lookup(self.owner_id, text_node)
            if found is None:
                query = select(contacts.c.pk).where(*self._contact())
            else:
                query = select(found.key).where(
                    found.where,
                    select(contacts.c.pk)
                    .where(contacts.c.pk == found.key, *self._contact())
                    .exists(),
                )
            return int(
                conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            )
        # The index holds exactly the live contacts, each under its owner token (index.py
        # keeps it so in every write's transaction), so it alone counts the matches: no
        # contact is read. The token is used whatever the owner's share: counting walks
        # every match anyway, and a token costs less than a contact lookup per match.
        return self.backend.count(conn, self.backend.lookup(self.owner_id, text_node))

    def condition(self, node: Node) -> ColumnElement[bool]:
        """The tree as SQL: each tag-free subtree is one index lookup; tags join contact_tags."""
        if not has_tags(node):
            return self.backend.matches(self.owner_id, node)
        if isinstance(node, TagTerm):
            return contacts.c.pk.in_(_tagged(self.owner_id, node.name))
        if isinstance(node, And):
            return and_(*(self.condition(item) for item in node.items))
        if isinstance(node, Or):
            return or_(*(self.condition(item) for item in node.items))
        if isinstance(node, Not):
            return not_(self.condition(node.item))
        raise TypeError(f"not a query node: {node!r}")


def _all_of(items: Sequence[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def _tagged(owner_id: str, name: str) -> Select[int]:
    return (
        select(contact_tags.c.contact_pk)
        .join(tags, tags.c.tag_id == contact_tags.c.tag_id)
        .where(
            tags.c.owner_id == owner_id,
            tags.c.name_key == tag_name_key(name),
            tags.c.deleted_at.is_(None),
        )
    )


def tag_name_key(name: str) -> str:
    """A tag name's lookup key: the rule of `rolodex.tags.model.name_key`, kept in step by a test."""
    key = unicodedata.normalize("NFC", name.strip()).casefold()
    if len(key) > 256:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key
