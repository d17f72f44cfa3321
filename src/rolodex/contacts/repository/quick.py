"""The hot contact reads, written for the driver (store/quick_read.py says why).

`contacts.get` (and every other read of contacts by id through `get_many`/`get_one`)
and a scroll page come from here: each is one statement that also gathers every
contact's tag ids (rows.py's `TAG_IDS`), so a read is one round trip. They select
rows.py's `SELECT_LIST` and map rows with its `contact_from_row`, like the Core reads
of reads.py: only the way the statement reaches the database differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from rolodex.contacts.model import PAGE_ROW_OVERHEAD, Contact
from rolodex.contacts.repository.rows import COLUMNS, SELECT_LIST, contact_from_row
from rolodex.store.credential_join import CredentialJoin
from rolodex.store.quick_read import QuickReads, Reader, Statement


def _statement(sqlite_where: str, postgresql_where: str | None = None) -> Statement:
    return Statement(
        f"SELECT {SELECT_LIST['sqlite']} {sqlite_where}",
        f"SELECT {SELECT_LIST['postgresql']} {postgresql_where or sqlite_where}",
    )


# SQLite cannot tell how long a `json_each` list is and would rather walk the owner's
# index than look each id up; CROSS JOIN makes the list the outer loop (a lookup by the
# unique key per id), which is what a `contacts.get` of a few ids wants.
_LIVE_BY_IDS = _statement(
    "FROM json_each(?) j CROSS JOIN contacts c ON c.contact_id = j.value"
    " WHERE c.owner_id = ? AND c.deleted_at IS NULL",
    "FROM contacts c WHERE c.contact_id = ANY(?) AND c.owner_id = ? AND c.deleted_at IS NULL",
)
# The usual `contacts.get`: one id, no list to unpack.
_LIVE_BY_ID = _statement(
    "FROM contacts c WHERE c.contact_id = ? AND c.owner_id = ? AND c.deleted_at IS NULL"
)
# A scroll page is cut by count and by bytes (docs/limits.md), and never reads much
# more than its byte budget from the store: on SQLite the rows are stepped through and
# the walk stops at the row that crosses the budget (`QuickReads.stepping`); on
# PostgreSQL, whose driver receives the whole result at once, the statement leaves out
# every row whose previous row starts past the budget, by a running total of the rows'
# sizes. Either way the row that crosses the budget comes back (the one after it too,
# when the first row crosses it alone): it says that more follow. A row's size is
# `Contact.stored_size`: never less than its UTF-8 bytes, which PostgreSQL's running
# total counts, so the rows Python wants are always among those the statement returns.
ROW_OVERHEAD = PAGE_ROW_OVERHEAD
_PG_SIZE = "octet_length(c.data) + octet_length(c.meta)"


def _page_statement(live_only: bool) -> Statement:
    where = "c.owner_id = ? AND c.pk > ?" + (" AND c.deleted_at IS NULL" if live_only else "")
    inner_columns = ", ".join(f"c.{name}" for name in COLUMNS)
    return Statement(
        f"SELECT {SELECT_LIST['sqlite']} FROM contacts c WHERE {where} ORDER BY c.pk LIMIT ?",
        f"SELECT {SELECT_LIST['postgresql']} FROM (SELECT {inner_columns},"
        f" coalesce(sum({_PG_SIZE} + {ROW_OVERHEAD}) OVER (ORDER BY c.pk"
        " ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING), 0) AS before"
        f" FROM contacts c WHERE {where} ORDER BY c.pk LIMIT ?) c"
        " WHERE c.before <= ? ORDER BY c.pk",
    )


_PAGE = _page_statement(live_only=False)
_LIVE_PAGE = _page_statement(live_only=True)

# `contacts.get` of one id with the bearer token's lookup, in one statement (one round
# trip on PostgreSQL): the credential's columns, then the contact's, NULL where the
# account has no such live contact. Its one parameter before the secret: the contact id.
LIVE_BY_ID_WITH_CREDENTIAL = CredentialJoin.of(
    Statement(SELECT_LIST["sqlite"], SELECT_LIST["postgresql"]),
    "contacts c ON c.owner_id = cr.account_id AND c.contact_id = ? AND c.deleted_at IS NULL",
)


def _list_param(reader: Reader, values: Sequence[Any]) -> Any:
    # One parameter whatever the length, so each statement is prepared once.
    unique = list(dict.fromkeys(values))
    return unique if reader.postgres else orjson.dumps(unique).decode()


def _by_ids(
    reader: Reader, owner_id: str, contact_ids: Sequence[str]
) -> tuple[Statement, tuple[Any, ...]]:
    if len(contact_ids) == 1:
        return _LIVE_BY_ID, (contact_ids[0], owner_id)
    return _LIVE_BY_IDS, (_list_param(reader, contact_ids), owner_id)


class QuickContactReads:
    """The hot reads, on the store's driver connections (`store.quick`) rather than Core."""

    LIVE_BY_ID_WITH_CREDENTIAL = LIVE_BY_ID_WITH_CREDENTIAL

    @staticmethod
    def live_by_ids(reader: Reader, owner_id: str, contact_ids: Sequence[str]) -> list[Contact]:
        """The owner's live contacts among the ids (in no particular order), tags filled in."""
        if not contact_ids:
            return []
        statement, params = _by_ids(reader, owner_id, contact_ids)
        return [contact_from_row(row) for row in reader.rows(statement, *params)]

    @staticmethod
    async def live_by_ids_async(
        reads: QuickReads, owner_id: str, contact_ids: Sequence[str]
    ) -> list[Contact]:
        """`live_by_ids`, awaited on the event loop (store/quick_read_async.py says why)."""
        if not contact_ids:
            return []
        statement, params = _by_ids(reads, owner_id, contact_ids)
        return [contact_from_row(row) for row in await reads.rows_async(statement, *params)]

    @staticmethod
    def scroll_page(
        reads: QuickReads,
        owner_id: str,
        *,
        after_pk: int,
        limit: int,
        max_bytes: int,
        include_deleted: bool,
    ) -> tuple[list[Contact], bool]:
        """The owner's contacts with keys above `after_pk`, in key order, and whether more follow.

        At most `limit` contacts, and no more than fit in `max_bytes`
        (`Contact.stored_size`), but always one, so that a walk moves on.
        """
        statement = _PAGE if include_deleted else _LIVE_PAGE
        params: tuple[Any, ...] = (owner_id, after_pk, limit + 1)
        if reads.postgres:
            params += (max_bytes,)
        found: list[Contact] = []
        append = found.append
        total = 0
        with reads.stepping(statement, params) as rows:
            # `Contact.stored_size`, inline: this loop runs for every contact a scroll
            # shows, so its common case (ASCII text) is a few operations. At most
            # `limit + 1` rows come: the last only says that more follow.
            for row in rows:
                data, meta = row[7], row[8]
                size = len(data) + len(meta)
                total += (size if data.isascii() and meta.isascii() else 4 * size) + ROW_OVERHEAD
                if total > max_bytes and found:
                    return found[:limit], True
                append(contact_from_row(row))
        if len(found) > limit:
            return found[:limit], True
        return found, False
