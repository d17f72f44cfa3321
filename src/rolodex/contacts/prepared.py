"""A new contact's stored forms, built before its write: the bulk import's unit of work.

Building what a contact is stored as (its JSON, sort key, search-index row and
duplicate-index entry) is
pure Python and costs far more than writing it, so the import builds it in a worker
process for the next batch while the current batch is written. `stored_text` is the
one way a contact's data becomes its stored text: `prepare` uses it, and so does every
insert without a prepared contact (`repository.rows.new_row`), so every path writes the
same rows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import orjson

from rolodex.contacts.search import index as search_index
from rolodex.contacts.sort_names import sort_key
from rolodex.duplicates.index import IndexEntry, index_of


def dumps(value: dict[str, Any]) -> str:
    return orjson.dumps(value).decode()


def stored_text(data: dict[str, Any]) -> tuple[str, str]:
    """A contact's data as stored: its JSON text and its sort key (`sort_names.sort_key`)."""
    return dumps(data), sort_key(data)


class PreparedContact(NamedTuple):
    """Plain strings only (the data as its JSON, not as a dict): a prepared batch crosses
    from the worker to the writer as a pickle, and a dict of a contact's fields cost more
    to pickle and unpickle than its text."""

    data_json: str
    sort_key: str
    search_row: search_index.PreparedRow
    # The duplicate index's profile and keys (rolodex.duplicates.index).
    duplicate_entry: IndexEntry


def prepare(dialect: str, owner_id: str, data: dict[str, Any], region: str) -> PreparedContact:
    """What a new contact of `owner_id` with this (clean) data is stored as, in `dialect`."""
    data_json, key = stored_text(data)
    return PreparedContact(
        data_json, key, search_index.prepare(dialect, owner_id, data, region), index_of(data)
    )
