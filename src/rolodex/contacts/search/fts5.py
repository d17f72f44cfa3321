"""SQLite: a contentless FTS5 table `contact_search_fts` (rowid = contact key), one column per field.

The text of each field is kept once, as JSON in `contact_search.document`: FTS5 holds
only the index (`content=''`), and removing a contact from it takes the exact values
it was indexed with (FTS5's 'delete' command), which that document supplies.

Match expressions are written here from the query tree: every token is a run of letters
and digits inside double quotes, so nothing a user types is FTS5 syntax. The tokenizer
(`unicode61 remove_diacritics 2`) sees text that `text.fold` already lowered and
stripped of accents, and prefix indexes serve the search-as-you-type prefixes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    bindparam,
    column,
    delete,
    literal,
    select,
    table,
    text,
)

from rolodex.contacts.model import Contact
from rolodex.contacts.search import text as search_text
from rolodex.contacts.search.backend import Lookup, PreparedRow, SearchBackend, owner_token
from rolodex.contacts.search.matching import Document, padded
from rolodex.contacts.search.query import And, Node, Not, Or, Term
from rolodex.store.schema import contact_search

TABLE = "contact_search_fts"
OWNER = "owner"
_ALL = (OWNER, *search_text.COLUMNS)

# Created by migration 0002_search; kept here so that the DDL and the writes agree.
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    + ", ".join(_ALL)
    + ", content = '', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)

_fts = table(TABLE, column("rowid"), column(TABLE))
_VALUES = ", ".join(":" + c for c in _ALL)
# Straight to the driver: a bulk import writes its batches through these.
_INSERT = (
    f"INSERT INTO {TABLE} (rowid, {', '.join(_ALL)}) VALUES ({', '.join('?' * (len(_ALL) + 1))})"
)
_DOCUMENT = "INSERT INTO contact_search (contact_pk, owner_id, document) VALUES (?, ?, ?)"
_REMOVE = text(
    f"INSERT INTO {TABLE} ({TABLE}, rowid, {', '.join(_ALL)}) VALUES ('delete', :pk, {_VALUES})"
)

# An undeleted contact's FTS5 row, from the document its deletion kept (backend.py).
_PUT_BACK = text(
    f"INSERT INTO {TABLE} (rowid, {', '.join(_ALL)}) SELECT contact_pk, "
    + ", ".join(f"json_extract(document, '$.{name}')" for name in _ALL)
    + " FROM contact_search_trash WHERE contact_pk IN :keys"
)


class Fts5Backend(SearchBackend):
    keeps_documents = True

    def write(
        self, conn: Connection, contacts: Sequence[Contact], region: str, *, new: bool = False
    ) -> None:
        if not contacts:
            return
        if not new:
            pks = [c.pk for c in contacts]
            indexed = conn.execute(
                select(contact_search.c.contact_pk, contact_search.c.document).where(
                    contact_search.c.contact_pk.in_(pks)
                )
            ).all()
            if indexed:
                conn.execute(_REMOVE, [{"pk": pk, **orjson.loads(doc)} for pk, doc in indexed])
                conn.execute(delete(contact_search).where(contact_search.c.contact_pk.in_(pks)))
        live = [c for c in contacts if not c.deleted]
        self.write_prepared(
            conn,
            [(c.pk, c.owner_id) for c in live],
            [self.prepare(c.owner_id, c.data, region) for c in live],
        )

    def prepare(self, owner_id: str, data: dict[str, Any], region: str) -> PreparedRow:
        """The FTS5 values: the owner token, then each of `text.COLUMNS`' text."""
        doc = search_text.document(data, region)
        return (
            owner_token(owner_id),
            *(" ".join(" ".join(value) for value in doc[name]) for name in search_text.COLUMNS),
        )

    def write_prepared(
        self, conn: Connection, keys: Sequence[tuple[int, str]], rows: Sequence[PreparedRow]
    ) -> None:
        # The values go to FTS5 and, as JSON, to `contact_search.document`, from which
        # they are given back to FTS5 to remove the contact (`write`, `forget_owner`).
        if not keys:
            return
        pairs = list(zip(keys, rows, strict=True))
        conn.exec_driver_sql(_INSERT, [(pk, *row) for (pk, _), row in pairs])
        conn.exec_driver_sql(
            _DOCUMENT,
            [
                (pk, owner, orjson.dumps(dict(zip(_ALL, row, strict=True))).decode())
                for (pk, owner), row in pairs
            ],
        )

    def put_back(self, conn: Connection, keys: Sequence[int]) -> None:
        # The kept document is the JSON of the very values FTS5 was given (`write_prepared`).
        if keys:
            conn.execute(_PUT_BACK.bindparams(bindparam("keys", list(keys), expanding=True)))
            super().put_back(conn, keys)

    def forget_owner(self, conn: Connection, owner_id: str) -> None:
        # A contentless table forgets a row only when told the values it indexed.
        indexed = conn.execute(
            select(contact_search.c.contact_pk, contact_search.c.document).where(
                contact_search.c.owner_id == owner_id
            )
        ).all()
        if indexed:
            conn.execute(_REMOVE, [{"pk": pk, **orjson.loads(doc)} for pk, doc in indexed])
        super().forget_owner(conn, owner_id)

    def documents(self, conn: Connection, keys: Sequence[int]) -> dict[int, Document] | None:
        # `contact_search.document` holds the very values given to FTS5 (see `write`).
        rows = conn.execute(
            select(contact_search.c.contact_pk, contact_search.c.document).where(
                contact_search.c.contact_pk.in_(keys)
            )
        ).all()
        found: dict[int, Document] = {}
        for pk, stored in rows:
            values = orjson.loads(stored)
            found[pk] = {name: padded(values.get(name, "")) for name in search_text.COLUMNS}
        return found

    def lookup(self, owner_id: str, node: Node, *, by_owner: bool = True) -> Lookup:
        owner = f'{OWNER} : "{owner_token(owner_id)}"'
        expression = _expression(node, owner)
        if by_owner:
            expression = f"{owner} AND ({expression})"
        # Without the token, what is not the owner's is left out by `contacts.owner_id`
        # (the caller's condition on each match): FTS5 ANDs a doclist as long as the
        # owner's contacts, which costs more than it saves when they are most of the index.
        return Lookup(owner_id, _fts.c.rowid, _fts.c[TABLE].op("MATCH")(literal(expression)))


def _phrase(tokens: Sequence[str], prefix: bool) -> str:
    # Tokens are letters and digits only (text.tokens), so quoting cannot be broken.
    return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")


def _expression(node: Node, owner: str) -> str:
    if isinstance(node, Term):
        columns = node.columns if node.columns is not None else search_text.COLUMNS
        parts = []
        if columns:
            parts.append("{" + " ".join(columns) + "} : " + _phrase(node.tokens, node.prefix))
        if node.digits and search_text.PHONE in columns:
            parts += [f"{search_text.PHONE} : {_phrase([d], node.prefix)}" for d in node.digits]
        return " OR ".join(parts)
    if isinstance(node, And):
        wanted = [item for item in node.items if not isinstance(item, Not)]
        if not wanted:
            return " AND ".join(f"({_expression(item, owner)})" for item in node.items)
        # "a -b" as FTS5's binary NOT, "(a) NOT (b)", rather than "a AND (owner NOT b)":
        # the same documents, without walking the owner's whole doclist.
        found = " AND ".join(f"({_expression(item, owner)})" for item in wanted)
        for item in node.items:
            if isinstance(item, Not):
                found = f"({found}) NOT ({_expression(item.item, owner)})"
        return found
    if isinstance(node, Or):
        return " OR ".join(f"({_expression(item, owner)})" for item in node.items)
    if isinstance(node, Not):
        # FTS5's NOT is binary: "this owner's documents, except ...".
        return f"{owner} NOT ({_expression(node.item, owner)})"
    raise TypeError(f"tag terms are not matched by the text index: {node!r}")
