"""A sync-collection and a book's member pages read the contacts they name by key, not
the owner's whole index: at a million cards the owner walk took most of a second per
incremental sync (docs/benchmarks.md, "One million cards")."""

from __future__ import annotations

from typing import Any

from rolodex.books.model import Access, AddressBook
from rolodex.books.names import name_of
from rolodex.books.quick import QuickBookReads, QuickCardReads
from rolodex.ids import new_id
from rolodex.services import Services
from rolodex.store.quick_read import Statement
from tests.contacts.test_search_index import query_plans

# The owner's indexes on contacts: walking one of them reads every contact of the owner.
OWNER_INDEXES = ("ix_contacts_owner_live_sort", "ix_contacts_owner_sort", "ix_contacts_owner_pk")


def _book(services: Services, contacts: int) -> tuple[AddressBook, list[str]]:
    owner = services.accounts.create(f"{new_id('u')}@example.com", "pw-long-enough", "T")
    made = [services.contacts.create(owner.account_id, {"notes": str(n)}) for n in range(contacts)]
    book = services.books.book(owner.account_id, owner.account_id, "default", Access())
    return book, [c.contact_id for c in made]


def _assert_by_key(services: Services, statements: list[tuple[str, Any]]) -> None:
    """On SQLite, whose test stores have no statistics, as a store after an import.

    PostgreSQL plans these by its statistics (an import ends with ANALYZE, autovacuum
    keeps them): on a test's tiny tables it rightly walks the owner's few rows.
    """
    if services.store.engine.dialect.name != "sqlite":
        return
    for plan in query_plans(services.store, statements):
        for index in OWNER_INDEXES:
            assert index not in plan, plan
        assert "SCAN c" not in plan, plan
        assert "sqlite_autoindex_contacts_1" in plan or "INTEGER PRIMARY KEY" in plan, plan


class RecordingReader:
    """A `Reader` that keeps each statement with its parameters and answers nothing: the
    statements the listing would run, to ask the database for their plans."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.statements: list[tuple[str, Any]] = []

    def rows(self, statement: Statement, *params: Any) -> list[Any]:
        sql = statement.postgresql if self.postgres else statement.sqlite
        self.statements.append((sql, params))
        return []


def test_an_incremental_sync_reads_its_changed_cards_by_id(services: Services) -> None:
    """books/quick.py: the changes after a token join their contacts by id."""
    book, ids = _book(services, 30)
    seq = services.books.state(book)
    for contact_id in ids[:10]:
        services.contacts.replace_data(
            book.owner_id, contact_id, {"notes": "x"}, etag=None, resolve_conflicts=True
        )
    # A deleted card is read with its tombstone.
    services.contacts.delete(book.owner_id, ids[10], etag=None)
    reader = RecordingReader(services.store.engine.dialect.name != "sqlite")
    QuickBookReads.since(reader, book.owner_id, book.name, seq, 100)
    assert len(reader.statements) == 1
    changes = services.books.changes_since(book, seq)
    assert len(changes.changed) == 10
    assert len(changes.removed) == 1
    _assert_by_key(services, reader.statements)


def test_a_multiget_reads_its_cards_by_key(services: Services) -> None:
    """books/quick.py: a multiget's names found by name, UID and id, each by key."""
    book, ids = _book(services, 30)
    names = [name_of(i, None) for i in ids[:12]]
    assert len(services.books.entries(book, names)) == 12
    reader = RecordingReader(services.store.engine.dialect.name != "sqlite")
    bases = [n.removesuffix(".vcf") for n in names]
    QuickCardReads.named(reader, book.owner_id, book.name, names, bases, ids[:12])
    assert len(reader.statements) == 1
    _assert_by_key(services, reader.statements)
