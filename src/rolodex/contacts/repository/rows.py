"""How a contact sits in its row: the one row mapper, both ways, for every contact read and write.

Every read of contacts (the Core reads in reads.py and the driver SQL in quick.py)
selects `SELECT_LIST` (or Core's columns of the same names, then `TAG_IDS`) and turns a
row into a `Contact` with `contact_from_row`. Every insert (one contact, or many in a
bulk import, prepared in a worker process or not) writes the values `new_row` gives, in
`INSERT_COLUMNS` order, so the paths cannot drift apart (tests/contacts/test_insert_paths.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import PreparedContact, dumps, stored_text

# The stored columns of a contact every read selects, in this order (`sort_key` is
# derived from `data` and read only by the address book's paging).
COLUMNS = (
    "pk",
    "contact_id",
    "owner_id",
    "etag",
    "created_at",
    "updated_at",
    "deleted_at",
    "data",
    "meta",
)

# The contact's tag ids as a JSON array, sorted: the one way tags of found contacts are
# gathered (a correlated subquery per row, so one statement reads contacts and tags).
# A deleted contact has no tags: this is the only place that rule is written for reads.
# `c` is the contacts table's alias in every statement that selects it.
TAG_IDS = {
    "sqlite": (
        "CASE WHEN c.deleted_at IS NULL THEN (SELECT json_group_array(tag_id) FROM"
        " (SELECT t.tag_id FROM contact_tags t WHERE t.contact_pk = c.pk ORDER BY t.tag_id))"
        " ELSE '[]' END"
    ),
    "postgresql": (
        "CASE WHEN c.deleted_at IS NULL THEN (SELECT coalesce(json_agg(t.tag_id"
        " ORDER BY t.tag_id), '[]'::json)::text FROM contact_tags t"
        " WHERE t.contact_pk = c.pk) ELSE '[]' END"
    ),
}

# `COLUMNS` of the alias `c`, then `TAG_IDS`: what `contact_from_row` reads, per dialect.
SELECT_LIST = {
    dialect: ", ".join(f"c.{name}" for name in COLUMNS) + ", " + tags
    for dialect, tags in TAG_IDS.items()
}
WIDTH = len(COLUMNS) + 1


def contact_from_row(row: Sequence[Any]) -> Contact:
    """The contact of a row that starts with `COLUMNS` and `TAG_IDS`, in that order."""
    pk, contact_id, owner_id, etag, created_at, updated_at, deleted_at, data, meta, tag_ids = row[
        :WIDTH
    ]
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


def joined_contacts(rows: Sequence[Sequence[Any]]) -> list[Contact]:
    """The contacts of a left join's rows: a row of NULLs (no contact matched) is none."""
    return [contact_from_row(row) for row in rows if row[0] is not None]


# The columns every insert writes, in this order; the key (`pk`) is the database's
# (or, for SQLite's bulk path, numbered on from the largest: writes.py).
INSERT_COLUMNS = (
    "contact_id",
    "owner_id",
    "etag",
    "created_at",
    "updated_at",
    "deleted_at",
    "data",
    "sort_key",
    "meta",
)


def new_row(contact: Contact, prepared: PreparedContact | None = None) -> tuple[Any, ...]:
    """The values of a new contact's row, in `INSERT_COLUMNS` order: what every insert writes.

    `prepared`, when given, is `prepared.prepare` of the contact's data (built in an
    import's worker process); it holds the same `stored_text`, so it is only faster.
    """
    data_json, key = (
        stored_text(contact.data) if prepared is None else (prepared.data_json, prepared.sort_key)
    )
    return (
        contact.contact_id,
        contact.owner_id,
        contact.etag,
        contact.created_at,
        contact.updated_at,
        contact.deleted_at,
        data_json,
        key,
        dumps(contact.meta),
    )
