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

from rolodex.contacts.model import Contact
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
_PAGE = _statement("FROM contacts c WHERE c.owner_id = ? AND c.pk > ? ORDER BY c.pk LIMIT ?")
_LIVE_PAGE = _statement(
    "FROM contacts c WHERE c.owner_id = ? AND c.pk > ? AND c.deleted_at IS NULL"
    " ORDER BY c.pk LIMIT ?"
)


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
    reader: Reader, owner_id: str, *, after_pk: int, limit: int, include_deleted: bool
) -> list[Contact]:
    """Up to `limit` contacts of the owner with keys above `after_pk`, in key order."""
    statement = _PAGE if include_deleted else _LIVE_PAGE
    return [_contact(row) for row in reader.rows(statement, owner_id, after_pk, limit)]
