"""The search index contract, and the backend of each database, loaded by name.

Every write to the index goes through a backend: one contact at a time (`write`), rows
prepared ahead in a worker process (`prepare`, then `write_prepared`), and a bulk load
around many of those (`bulk_load`). Nothing outside the backends knows which database
it is talking to.

A backend keeps one search document per live contact (text.py's columns, plus the
owner) in its database's own full-text index, and turns a query tree without tag terms
into "the keys of this owner's contacts that match": an indexed lookup, never a scan.
The owner is itself a token of every document and of every match expression, so the
index narrows to one owner before anything else (and the callers also filter on
`contacts.owner_id`, so a document can never leak to another account).
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Connection, Engine, delete, func, insert, select

from rolodex.contacts.model import Contact
from rolodex.contacts.search.matching import Document, term_found
from rolodex.contacts.search.query import Node, Term
from rolodex.store.schema import contact_search, contact_search_trash, contacts

# Each database's backend, as "module:class", imported on first use (as Radicale loads
# its storage backends): a process touches only the one its store needs.
BACKENDS: dict[str, str] = {
    "sqlite": "rolodex.contacts.search.fts5:Fts5Backend",
    "postgresql": "rolodex.contacts.search.tsvector:TsvectorBackend",
}

# One new contact's index row, without its key, as the backend's `prepare` builds it:
# plain strings, so that it crosses a process boundary cheaply.
PreparedRow = tuple[Any, ...]

# The better ranks of a search, best first: (rank, the terms a document must all hold to
# be in it). A match in none of them is in the last rank (`SearchBackend.ranks`).
RankTerms = Sequence[tuple[int, Sequence[Term]]]


@dataclass(frozen=True, slots=True)
class Lookup:
    """An owner's documents matching a query: `where` over the index's table, `key` its contact key.

    Selecting `key` from that table and joining `contacts` on it lets the database walk
    the index itself in key order (FTS5 returns rowids in order and stops at a LIMIT),
    where `contacts.pk IN (...)` would first collect every match.
    """

    owner_id: str
    key: ColumnElement[int]
    where: ColumnElement[bool]
    # Whether the index expands a prefix to find the matches: each lookup then repeats a
    # costly scan, so a backend that looks up in steps takes fewer (tsvector.py).
    prefix_scan: bool = False


class SearchBackend(ABC):
    """One database's full-text index of contacts."""

    # Whether ranking matches already found (`ranks`) costs less than walking the index
    # again for the ranks they hold: one statement on PostgreSQL, where each walk past
    # the window is a GIN scan; not on SQLite, whose walks cost less than reading the
    # documents back (docs/search.md).
    ranks_found_matches: ClassVar[bool] = False
    # Whether `documents` gives the indexed text back (SQLite keeps it; PostgreSQL does not).
    keeps_documents: ClassVar[bool] = False

    @abstractmethod
    def write(
        self, conn: Connection, contacts: Sequence[Contact], region: str, *, new: bool = False
    ) -> None:
        """Make the index hold exactly these contacts' current text (and no deleted ones).

        `new`: the contacts were just inserted, so there is nothing indexed to replace.
        """

    @abstractmethod
    def prepare(self, owner_id: str, data: dict[str, Any], region: str) -> PreparedRow:
        """The index row of a new contact of `owner_id`, exactly as `write` would store it.

        Pure Python (no connection): the bulk import runs it in a worker process.
        """

    @abstractmethod
    def write_prepared(
        self, conn: Connection, keys: Sequence[tuple[int, str]], rows: Sequence[PreparedRow]
    ) -> None:
        """Index just-inserted contacts, given as (key, owner), from rows `prepare` built."""

    def put_back(self, conn: Connection, keys: Sequence[int]) -> None:
        """Index contacts that have no document again from the documents their deletion
        kept in `contact_search_trash` (index.py: a trashed contact undeleted), in SQL."""
        if keys:
            conn.execute(
                insert(contact_search).from_select(
                    ["contact_pk", "owner_id", "document"],
                    select(
                        contact_search_trash.c.contact_pk,
                        contact_search_trash.c.owner_id,
                        contact_search_trash.c.document,
                    ).where(contact_search_trash.c.contact_pk.in_(list(keys))),
                )
            )

    def bulk_load(self, engine: Engine) -> AbstractContextManager[None]:
        """Around writing many new contacts (an import); by default nothing changes."""
        return nullcontext()

    def forget_owner(self, conn: Connection, owner_id: str) -> None:
        """Drop every document of one owner (its account or team is being deleted)."""
        conn.execute(delete(contact_search).where(contact_search.c.owner_id == owner_id))
        conn.execute(
            delete(contact_search_trash).where(contact_search_trash.c.owner_id == owner_id)
        )

    @abstractmethod
    def lookup(self, owner_id: str, node: Node, *, by_owner: bool = True) -> Lookup:
        """The owner's documents matching `node` (which has no tags), as an index lookup.

        `by_owner`: the index itself narrows to the owner first (its owner token), which
        pays when the owner holds a small share of the documents. Without it the lookup
        still keeps to the owner (a column of each document), checked per match.
        """

    def matches(self, owner_id: str, node: Node) -> ColumnElement[bool]:
        """`contacts.pk IN (<keys of the owner's documents matching node>)`; `node` has no tags."""
        found = self.lookup(owner_id, node)
        return contacts.c.pk.in_(select(found.key).where(found.where))

    def keys(
        self,
        conn: Connection,
        found: Lookup,
        contact: ColumnElement[bool],
        *,
        after: int,
        limit: int,
    ) -> list[int]:
        """Up to `limit` keys of `found` past `after`, in key order, whose contact meets `contact`.

        `contact` is a condition correlated to `found.key`. The default is one query that
        walks the index in key order and stops at the limit (FTS5 returns rowids in order).
        """
        query = (
            select(found.key)
            .where(found.where, found.key > after, contact)
            .order_by(found.key)
            .limit(limit)
        )
        return list(conn.execute(query).scalars())

    def first_keys(
        self, conn: Connection, found: Lookup, contact: ColumnElement[bool], *, most: int
    ) -> list[int] | None:
        """The first `most + 1` keys `keys` would give (all of them, if fewer), or None.

        A backend may answer None as soon as it can tell there are more than `most`
        without finding them: the caller only uses the answer to rank matches at once.
        """
        return self.keys(conn, found, contact, after=0, limit=most + 1)

    def begin(self, conn: Connection) -> None:
        """Set up a search's read transaction (once, before its statements); by default nothing."""
        return None

    def ranks(
        self, conn: Connection, keys: Sequence[int], ranks: RankTerms, last: int
    ) -> dict[int, int] | None:
        """The rank of each of a few known matches: the first of `ranks` whose terms its
        document all holds, else `last` (None: this index cannot tell).

        Lets a search that matches few contacts rank them all at once instead of walking
        the index once per rank. The default reads the documents back (`documents`) and
        matches in Python (matching.py).
        """
        documents = self.documents(conn, keys)
        if documents is None or len(documents) != len(keys):
            return None

        def rank_of(document: Document) -> int:
            for rank, terms in ranks:
                if all(term_found(term, document) for term in terms):
                    return rank
            return last

        return {key: rank_of(document) for key, document in documents.items()}

    def documents(self, conn: Connection, keys: Sequence[int]) -> dict[int, Document] | None:
        """The indexed text of these documents, column by column (None: not kept)."""
        return None

    def count(self, conn: Connection, found: Lookup) -> int:
        """How many documents `found` holds: the index alone, no contact read."""
        return int(conn.execute(select(func.count()).where(found.where)).scalar_one())


def owner_token(owner_id: str) -> str:
    """The owner as one token of letters and digits (hex), so it survives any tokenizer."""
    return "o" + owner_id.encode().hex()


def backend_class(dialect: str) -> type[SearchBackend]:
    """The backend class of a database, by its dialect name ("sqlite", "postgresql")."""
    try:
        module, _, name = BACKENDS[dialect].partition(":")
    except KeyError:
        raise LookupError(f"no search backend for the {dialect!r} database") from None
    found = getattr(importlib.import_module(module), name)
    if not (isinstance(found, type) and issubclass(found, SearchBackend)):
        raise TypeError(f"{BACKENDS[dialect]} is not a SearchBackend")
    return found


@cache
def backend_for(dialect: str) -> SearchBackend:
    """The backend of a database with its usual settings, by dialect name.

    Backends hold no state besides their settings, so one instance per dialect serves
    every store.
    """
    return backend_class(dialect)()
