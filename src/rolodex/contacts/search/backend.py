"""The search index contract, and the backend of each database, chosen by name.

A backend keeps one search document per live contact (text.py's columns, plus the
owner) in its database's own full-text index, and turns a query tree without tag terms
into "the keys of this owner's contacts that match": an indexed lookup, never a scan.
The owner is itself a token of every document and of every match expression, so the
index narrows to one owner before anything else (and the callers also filter on
`contacts.owner_id`, so a document can never leak to another account).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Connection

from rolodex.contacts.model import Contact
from rolodex.contacts.search.query import Node

_BACKENDS: dict[str, type[SearchBackend]] = {}


class SearchBackend(ABC):
    """One database's full-text index of contacts."""

    #: The SQLAlchemy dialect name this backend serves.
    dialect: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _BACKENDS[cls.dialect] = cls

    @abstractmethod
    def write(
        self, conn: Connection, contacts: Sequence[Contact], region: str, *, new: bool = False
    ) -> None:
        """Make the index hold exactly these contacts' current text (and no deleted ones).

        `new`: the contacts were just inserted, so there is nothing indexed to replace.
        """

    @abstractmethod
    def matches(self, owner_id: str, node: Node) -> ColumnElement[bool]:
        """`contacts.pk IN (<keys of the owner's documents matching node>)`; `node` has no tags."""


def owner_token(owner_id: str) -> str:
    """The owner as one token of letters and digits (hex), so it survives any tokenizer."""
    return "o" + owner_id.encode().hex()


@cache
def backend_for(dialect: str) -> SearchBackend:
    """The backend for a database, by its dialect name ("sqlite", "postgresql").

    Backends hold no state, so one instance per dialect serves every store.
    """
    # Importing the implementations registers them.
    from rolodex.contacts.search import fts5, tsvector  # noqa: F401

    try:
        return _BACKENDS[dialect]()
    except KeyError:
        raise LookupError(f"no search backend for the {dialect!r} database") from None
