"""The hot contact reads, written for the driver (store/quick_read.py says why).

`contacts.get` (and every other read of contacts by id through `get_many`/`get_one`)
and a scroll page come from here: each is one statement that also gathers every
contact's tag ids (as a JSON array, sorted), so a read is one round trip and no second
query for the tags (no N+1). The SQL mirrors the tables in store/schema.py, like
contacts/repository.py, which holds every other query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from rolodex.contacts.model import PAGE_ROW_OVERHEAD, Contact
from rolodex.oauth.credentials import with_credential
from rolodex.store.quick_read import QuickReads, Reader, Statement

_SELECT = {
    "sqlite": (
        "SELECT c.pk, c.contact_id, c.owner_id, c.etag, c.created_at, c.updated_at,"
        " c.deleted_at, c.data, c.meta,"
        " CASE WHEN c.deleted_at IS NULL THEN (SELECT json_group_array(tag_id) FROM"
        " (SELECT t.tag_id FROM contact_tags t WHERE t.contact_pk = c.pk ORDER BY t.tag_id))"
        " ELSE '[]' END"
    ),
    "postgresql": (
        "SELECT c.pk, c.contact_id, c.owner_id, c.etag, c.created_at, c.updated_at,"
        " c.deleted_at, c.data, c.meta,"
        " CASE WHEN c.deleted_at IS NULL THEN (SELECT coalesce(json_agg(t.tag_id"
        " ORDER BY t.tag_id), '[]'::json)::text FROM contact_tags t"
        " WHERE t.contact_pk = c.pk) ELSE '[]' END"
    ),
}


def _statement(sqlite_where: str, postgresql_where: str | None = None) -> Statement:
    return Statement(
        _SELECT["sqlite"] + " " + sqlite_where,
        _SELECT["postgresql"] + " " + (postgresql_where or sqlite_where),
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
    return Statement(
        _SELECT["sqlite"] + f" FROM contacts c WHERE {where} ORDER BY c.pk LIMIT ?",
        _SELECT["postgresql"]
        + " FROM (SELECT c.pk, c.contact_id, c.owner_id, c.etag, c.created_at,"
        " c.updated_at, c.deleted_at, c.data, c.meta,"
        f" coalesce(sum({_PG_SIZE} + {ROW_OVERHEAD}) OVER (ORDER BY c.pk"
        " ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING), 0) AS before"
        f" FROM contacts c WHERE {where} ORDER BY c.pk LIMIT ?) c"
        " WHERE c.before <= ? ORDER BY c.pk",
    )


_PAGE = _page_statement(live_only=False)
_LIVE_PAGE = _page_statement(live_only=True)


# `contacts.get` of one id with the bearer token's lookup, in one statement (one round
# trip on PostgreSQL): the credential's columns, then the contact's, NULL where the
# account has no such live contact.
_OWN_LIVE_BY_ID = (
    "contacts c ON c.owner_id = cr.account_id AND c.contact_id = ? AND c.deleted_at IS NULL"
)
LIVE_BY_ID_WITH_CREDENTIAL = Statement(
    with_credential(_SELECT["sqlite"].removeprefix("SELECT "), _OWN_LIVE_BY_ID),
    with_credential(_SELECT["postgresql"].removeprefix("SELECT "), _OWN_LIVE_BY_ID),
)


def joined_contacts(rows: Sequence[Sequence[Any]]) -> list[Contact]:
    """The contacts of a left join's rows: a row of NULLs (no contact matched) is none."""
    return [_contact(row) for row in rows if row[0] is not None]


def _contact(row: Sequence[Any]) -> Contact:
    pk, contact_id, owner_id, etag, created_at, updated_at, deleted_at, data, meta, tag_ids = row
    return Contact(
        pk=pk,
        contact_id=contact_id,
        owner_id=owner_id,
        etag=etag,
        created_at=created_at,
        updated_at=updated_at,
        deleted_at=deleted_at,
        # Kept as the stored text until read: rendering embeds it unparsed (StoredJSON).
        data=data,
        meta=meta,
        tag_ids=orjson.loads(tag_ids),
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


def live_by_ids(reader: Reader, owner_id: str, contact_ids: Sequence[str]) -> list[Contact]:
    """The owner's live contacts among the ids (in no particular order), tags filled in."""
    if not contact_ids:
        return []
    statement, params = _by_ids(reader, owner_id, contact_ids)
    return [_contact(row) for row in reader.rows(statement, *params)]


async def live_by_ids_async(
    reads: QuickReads, owner_id: str, contact_ids: Sequence[str]
) -> list[Contact]:
    """`live_by_ids`, awaited on the event loop (store/quick_read_async.py says why)."""
    if not contact_ids:
        return []
    statement, params = _by_ids(reads, owner_id, contact_ids)
    return [_contact(row) for row in await reads.rows_async(statement, *params)]


def page(
    reads: QuickReads,
    owner_id: str,
    *,
    after_pk: int,
    limit: int,
    max_bytes: int,
    include_deleted: bool,
) -> tuple[list[Contact], bool]:
    """The owner's contacts with keys above `after_pk`, in key order, and whether more follow.

    At most `limit` contacts, and no more than fit in `max_bytes` (`Contact.stored_size`), but
    always one, so that a walk moves on.
    """
    statement = _PAGE if include_deleted else _LIVE_PAGE
    params: tuple[Any, ...] = (owner_id, after_pk, limit + 1)
    if reads.postgres:
        params += (max_bytes,)
    found: list[Contact] = []
    append = found.append
    total = 0
    with reads.stepping(statement, params) as rows:
        # `Contact.stored_size`, inline: this loop runs for every contact a scroll shows,
        # so its common case (ASCII text) is a few operations. At most `limit + 1` rows
        # come: the last only says that more follow.
        for row in rows:
            data, meta = row[7], row[8]
            size = len(data) + len(meta)
            total += (size if data.isascii() and meta.isascii() else 4 * size) + ROW_OVERHEAD
            if total > max_bytes and found:
                return found[:limit], True
            append(_contact(row))
    if len(found) > limit:
        return found[:limit], True
    return found, False
