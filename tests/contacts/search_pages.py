"""How the search tests walk and watch searches: following a cursor to its end, and a
backend that records what the search asked of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection

from rolodex.contacts.search.backend import Lookup, RankTerms, SearchBackend
from rolodex.contacts.search.fts5 import Fts5Backend
from rolodex.contacts.search.pages import Tuning
from rolodex.contacts.search.query import Node
from rolodex.contacts.search.service import SearchService
from rolodex.contacts.search.tsvector import TsvectorBackend
from rolodex.services import Services


def walk_search(
    services: Services, owner: str, query: str, size: int, search: SearchService | None = None
) -> list[str]:
    """The ids of every page of `query`, in order, each page fetched with the previous cursor."""
    search = search or services.search
    seen: list[str] = []
    cursor = None
    while True:
        page = search.search(owner, query, size=size, cursor=cursor)
        seen += [c.contact_id for c in page.contacts]
        if page.cursor is None:
            return seen
        cursor = page.cursor


@dataclass
class Asked:
    """What searches asked of a recording backend, in order."""

    # The query tree of each index lookup.
    lookups: list[Node] = field(default_factory=list)
    # The answer of each `first_keys` (None: the backend gave up at once).
    first_keys: list[list[int] | None] = field(default_factory=list)
    # How many matches each `ranks` was asked to rank.
    ranked: list[int] = field(default_factory=list)


class RecordingFts5(Fts5Backend):
    def __init__(self, asked: Asked) -> None:
        super().__init__()
        self.asked = asked

    def lookup(self, owner_id: str, node: Node, *, by_owner: bool = True) -> Lookup:
        self.asked.lookups.append(node)
        return super().lookup(owner_id, node, by_owner=by_owner)

    def first_keys(
        self, conn: Connection, found: Lookup, contact: ColumnElement[bool], *, most: int
    ) -> list[int] | None:
        keys = super().first_keys(conn, found, contact, most=most)
        self.asked.first_keys.append(keys)
        return keys

    def ranks(
        self, conn: Connection, keys: Sequence[int], ranks: RankTerms, last: int
    ) -> dict[int, int] | None:
        self.asked.ranked.append(len(keys))
        return super().ranks(conn, keys, ranks, last)


class RecordingTsvector(TsvectorBackend):
    def __init__(self, asked: Asked, **options: Any) -> None:
        super().__init__(**options)
        self.asked = asked

    def lookup(self, owner_id: str, node: Node, *, by_owner: bool = True) -> Lookup:
        self.asked.lookups.append(node)
        return super().lookup(owner_id, node, by_owner=by_owner)

    def first_keys(
        self, conn: Connection, found: Lookup, contact: ColumnElement[bool], *, most: int
    ) -> list[int] | None:
        keys = super().first_keys(conn, found, contact, most=most)
        self.asked.first_keys.append(keys)
        return keys

    def ranks(
        self, conn: Connection, keys: Sequence[int], ranks: RankTerms, last: int
    ) -> dict[int, int] | None:
        self.asked.ranked.append(len(keys))
        return super().ranks(conn, keys, ranks, last)


def recording_search(
    services: Services, tuning: Tuning | None = None, **tsvector_options: Any
) -> tuple[SearchService, Asked]:
    """A search service over the store's own index that records what it asks of it.

    `tsvector_options`: settings of PostgreSQL's backend (`TsvectorBackend`); SQLite's
    has none, and ignores them.
    """
    asked = Asked()
    backend: SearchBackend
    if services.store.is_sqlite:
        backend = RecordingFts5(asked)
    else:
        backend = RecordingTsvector(asked, **tsvector_options)
    return SearchService(services.store, services.contacts, backend=backend, tuning=tuning), asked
