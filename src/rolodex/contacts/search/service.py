"""`SearchService`: contact search for every API (Contacts+ `contacts.search`, REST `searchText`, ...).

A search is one read transaction: the query tree becomes a condition on the owner's
live contacts (full-text lookups through the database's index, tag lookups through
`contact_tags`), and the matches are ordered by rank bucket, then by key.

Ranking, best first: the words every result must contain (the bare words of the query
outside OR and NOT) all found as whole words in the name (0); all found in the name,
the last as a prefix (1); all found in the name, email, phone, company or title (2);
anywhere else, notes and addresses (3). Within a bucket, contacts come in key order
(creation order), so the order is total and stable and a cursor can resume it exactly.
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
    case,
    func,
    literal,
    not_,
    or_,
    select,
)

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.search import text
from rolodex.contacts.search.backend import SearchBackend, backend_for
from rolodex.contacts.search.cursor import SearchCursor
from rolodex.contacts.search.query import And, Node, Not, Or, TagTerm, Term, has_tags, parse
from rolodex.contacts.search.query import restrict as restrict_term
from rolodex.contacts.service import ContactService, ScrollPage
from rolodex.errors import InvalidInput
from rolodex.store import Store
from rolodex.store.schema import contact_tags, contacts, tags

PRIMARY_COLUMNS = (*text.NAME_COLUMNS, text.EMAIL, text.PHONE, text.COMPANY, text.TITLE)
# (columns, whole words only) for buckets 0, 1, 2; everything else is bucket 3.
_BUCKETS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (text.NAME_COLUMNS, True),
    (text.NAME_COLUMNS, False),
    (PRIMARY_COLUMNS, False),
)
MAX_TAG_IDS = 100


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
        bucket, after = (0, 0) if cursor is None else SearchCursor.decode(cursor, fingerprint)
        with self.store.read() as conn:
            ranked = _Search(_backend(conn), owner_id, node, wanted_tags).ranked().subquery()
            rows = conn.execute(
                select(ranked.c.pk, ranked.c.bucket)
                .where(
                    or_(
                        ranked.c.bucket > bucket,
                        and_(ranked.c.bucket == bucket, ranked.c.pk > after),
                    )
                )
                .order_by(ranked.c.bucket, ranked.c.pk)
                .limit(limit + 1)
            ).all()
            found = ContactRepository.by_pks(conn, owner_id, [row.pk for row in rows[:limit]])
        if len(rows) <= limit:
            return ScrollPage(found, None)
        last = rows[limit - 1]
        return ScrollPage(found, SearchCursor.encode(last.bucket, last.pk, fingerprint))

    def search_offset(
        self, owner_id: str, query: str, *, offset: int, limit: int
    ) -> tuple[list[Contact], int]:
        """A page by position of the same ranked results, and how many match in all.

        For APIs that page by number. Pages are consistent while the matching contacts
        do not change; a change between two requests can shift later pages by one.
        """
        if offset < 0:
            raise InvalidInput("must not be negative", field="offset")
        if not 1 <= limit <= self.contacts.limits.max_page_size:
            raise InvalidInput(
                f"must be between 1 and {self.contacts.limits.max_page_size}", field="limit"
            )
        node = parse(query, region=phones.default_region())
        with self.store.read() as conn:
            ranked = _Search(_backend(conn), owner_id, node, []).ranked().subquery()
            total = int(conn.execute(select(func.count()).select_from(ranked)).scalar_one())
            keys = conn.execute(
                select(ranked.c.pk)
                .order_by(ranked.c.bucket, ranked.c.pk)
                .offset(offset)
                .limit(limit)
            ).scalars()
            found = ContactRepository.by_pks(conn, owner_id, list(keys))
        return found, total


def _backend(conn: Connection) -> SearchBackend:
    return backend_for(conn.dialect.name)


def _tag_ids(tag_ids: Sequence[str] | None) -> list[str]:
    wanted = sorted(set(tag_ids or ()))
    if len(wanted) > MAX_TAG_IDS:
        raise InvalidInput(f"at most {MAX_TAG_IDS} tag ids", field="tagIds")
    return wanted


@dataclass(frozen=True, slots=True)
class _Search:
    """One search turned into SQL: which contacts match, and in which bucket."""

    backend: SearchBackend
    owner_id: str
    node: Node | None
    tag_ids: list[str]

    def ranked(self) -> Select[tuple[int, int]]:
        conditions: list[ColumnElement[bool]] = [
            contacts.c.owner_id == self.owner_id,
            contacts.c.deleted_at.is_(None),
        ]
        if self.node is not None:
            conditions.append(self.condition(self.node))
        for tag_id in self.tag_ids:
            tagged = select(contact_tags.c.contact_pk).where(contact_tags.c.tag_id == tag_id)
            conditions.append(contacts.c.pk.in_(tagged))
        return select(contacts.c.pk.label("pk"), self.bucket().label("bucket")).where(*conditions)

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

    def bucket(self) -> ColumnElement[int]:
        required = _required_words(self.node)
        if not required:
            return literal(0)
        whens: list[tuple[ColumnElement[bool], int]] = []
        seen: list[Node] = []
        for rank, (columns, exact) in enumerate(_BUCKETS):
            narrowed = tuple(restrict_term(t, columns, exact=exact) for t in required)
            variant: Node = narrowed[0] if len(narrowed) == 1 else And(narrowed)
            if variant in seen:
                continue  # no prefix in the query: buckets 0 and 1 are the same
            seen.append(variant)
            whens.append((self.backend.matches(self.owner_id, variant), rank))
        return case(*whens, else_=literal(len(_BUCKETS)))


def _required_words(node: Node | None) -> list[Term]:
    """The bare words every result contains: the query itself, or its top-level AND terms."""
    items = node.items if isinstance(node, And) else (node,) if node is not None else ()
    return [i for i in items if isinstance(i, Term) and i.columns is None]


def _tagged(owner_id: str, name: str) -> Select[tuple[int]]:
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
