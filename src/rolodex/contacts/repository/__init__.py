"""The contacts repository: every SQL statement about contacts, behind one class.

`ContactRepository` is the contract services build on; its parts are modules of one job:

- rows.py: how a contact sits in its row, both ways: the columns every read selects
  with the tag ids (`TAG_IDS`, the one place "a deleted contact has no tags" is
  written), the one row mapper (`contact_from_row`), and the one new row every insert
  writes (`new_row`);
- reads.py: the Core reads (by id with a lock for writes, by key for search results,
  the pages by number and by name);
- quick.py: the hot reads on the driver (`contacts.get`, scroll pages, and the
  `contacts.get` joined with the bearer token's lookup: store/credential_join.py);
- export_rows.py: an export's pages, plain rows on the driver;
- writes.py: inserts (one, or many for a bulk import), saves and tags;
- counts.py: the owner's counts; filters.py: a listing's conditions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from rolodex.contacts.repository.counts import ContactCounts
from rolodex.contacts.repository.export_rows import ExportRows
from rolodex.contacts.repository.filters import ContactFilters, filter_conditions
from rolodex.contacts.repository.quick import QuickContactReads
from rolodex.contacts.repository.reads import ContactReads
from rolodex.contacts.repository.writes import ContactWrites
from rolodex.store.schema import contacts

__all__ = ["ContactFilters", "ContactRepository"]


class ContactRepository(ContactReads, QuickContactReads, ExportRows, ContactWrites, ContactCounts):
    """Every read and write of contacts: Core statements and, for the hot reads, driver SQL.

    Stateless: its methods take the connection (Core) or the store's quick reader
    (driver) they run on, so a service chooses the transaction.
    """

    @staticmethod
    def filter_conditions(conn: Connection, filters: ContactFilters) -> list[Any]:
        """The filters as conditions on the contacts table itself, as a search's
        statements name it (for a search narrowed the same way as a listing)."""
        return filter_conditions(conn, filters, table=contacts)
