"""Keeps the search index in step with the contacts, inside the write's own transaction.

The repository calls `write` after every insert and save (a tombstone removes the
contact from the index), so a committed contact is always searchable as it is now and
a rolled-back write leaves the index as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.search.backend import backend_for


def write(conn: Connection, contacts: Sequence[Contact], *, new: bool = False) -> None:
    """Index these contacts as they are now (deleted ones are taken out).

    `new=True` for contacts just inserted: nothing of theirs is indexed yet.
    """
    backend_for(conn.dialect.name).write(conn, contacts, phones.default_region(), new=new)
