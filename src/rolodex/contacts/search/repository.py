"""The SQL of a search: every statement a search runs, over the index, the contacts and tags.

The index itself is the backend's (backend.py); here its lookups are joined to what
each match's contact must be (the owner's, live, tagged as asked), and tag terms
become conditions on `contact_tags`.
"""

from __future__ import annotations

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

from rolodex.contacts.search.backend import Lookup, RankTerms, SearchBackend
from rolodex.contacts.search.matching import Document
from rolodex.contacts.search.planner import Plan
from rolodex.contacts.search.query import And, Node, Not, Or, TagTerm, has_tags
from rolodex.store.schema import contact_tags, contacts, owner_counts, tags
from rolodex.tags.model import name_key


def owner_share(conn: Connection, owner_id: str) -> tuple[int, int]:
    """(the owner's contacts, the largest key of all): how much of the index is the owner's.

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
    return owned or 0, everyone or 0


@dataclass(frozen=True, slots=True)
class SearchRepository:
    """The statements of one search of one owner: bounded, key-ordered queries."""

    backend: SearchBackend
    owner_id: str
    plan: Plan
    tag_ids: Sequence[str] = ()
    by_owner: bool = True
    # More conditions on each match's contact (`ContactRepository.filter_conditions`).
    narrowed: tuple[ColumnElement[bool], ...] = ()

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

    def first_keys(self, conn: Connection, text_node: Node | None, most: int) -> list[int] | None:
        """The first `most + 1` matches' keys in key order (all, if fewer), or None (see
        `SearchBackend.first_keys`)."""
        if text_node is None:
            return self.keys(conn, None, after=0, limit=most + 1)
        found, contact = self._lookup(text_node)
        return self.backend.first_keys(conn, found, contact, most=most)

    def count(self, conn: Connection, text_node: Node | None) -> int:
        """How many contacts `keys(text_node)` gives in all."""
        if text_node is None or self.tag_ids or self.narrowed or self.plan.tag_items():
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

    def documents(self, conn: Connection, keys: Sequence[int]) -> dict[int, Document] | None:
        """The indexed text of these matches (None: the index does not keep it)."""
        return self.backend.documents(conn, keys)

    def ranks(
        self, conn: Connection, keys: Sequence[int], ranks: RankTerms, last: int
    ) -> dict[int, int] | None:
        """The rank of each of these matches (`SearchBackend.ranks`)."""
        return self.backend.ranks(conn, keys, ranks, last)

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

    def _contact(self) -> list[ColumnElement[bool]]:
        """What each match's contact must be: the owner's, live, and tagged as asked."""
        conditions: list[ColumnElement[bool]] = [
            contacts.c.owner_id == self.owner_id,
            contacts.c.deleted_at.is_(None),
        ]
        conditions += [self.condition(i) for i in self.plan.tag_items()]
        conditions += self.narrowed
        for tag_id in self.tag_ids:
            tagged = select(contact_tags.c.contact_pk).where(contact_tags.c.tag_id == tag_id)
            conditions.append(contacts.c.pk.in_(tagged))
        return conditions

    def _lookup(self, text_node: Node) -> tuple[Lookup, ColumnElement[bool]]:
        """The index lookup of `text_node`, and what each match's contact must be."""
        found = self.backend.lookup(self.owner_id, text_node, by_owner=self.by_owner)
        contact = select(contacts.c.pk).where(contacts.c.pk == found.key, *self._contact())
        return found, contact.exists()


def _tagged(owner_id: str, name: str) -> Select[int]:
    """The keys of the contacts carrying the owner's live tag of this name (as tags compare
    names: `tags.model.name_key`)."""
    return (
        select(contact_tags.c.contact_pk)
        .join(tags, tags.c.tag_id == contact_tags.c.tag_id)
        .where(
            tags.c.owner_id == owner_id,
            tags.c.name_key == name_key(name),
            tags.c.deleted_at.is_(None),
        )
    )
