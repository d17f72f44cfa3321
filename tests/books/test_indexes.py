"""A sync-collection and a book's member pages read the contacts they name by key, not
the owner's whole index: at a million cards the owner walk took most of a second per
incremental sync (docs/benchmarks.md, "One million cards")."""

from __future__ import annotations

from typing import Any

from rolodex.books.model import Access, AddressBook
from rolodex.books.names import name_of
from rolodex.ids import new_id
from rolodex.services import Services
from tests.contacts.test_search_index import query_plans
from tests.history.test_indexes import _statements

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


def test_an_incremental_sync_reads_its_changed_cards_by_id(services: Services) -> None:
    book, ids = _book(services, 30)
    seq = services.books.state(book)
    for contact_id in ids[:10]:
        services.contacts.replace_data(
            book.owner_id, contact_id, {"notes": "x"}, etag=None, resolve_conflicts=True
        )
    # A deleted card is read with its tombstone.
    services.contacts.delete(book.owner_id, ids[10], etag=None)
    changes: list[Any] = []
    statements = _statements(
        services, "contacts", lambda: changes.append(services.books.changes_since(book, seq))
    )
    assert len(changes[0].changed) == 10
    assert len(changes[0].removed) == 1
    by_id = [s for s in statements if "contact_id IN" in s[0]]
    assert len(by_id) == 2, "the live cards, then the tombstones"
    _assert_by_key(services, by_id)


def test_a_page_of_contacts_by_key_reads_them_by_key(services: Services) -> None:
    """ContactRepository.by_pks: a non-default book's pages, multiget, search results."""
    book, ids = _book(services, 30)
    members = services.books.members(book, [name_of(i, None) for i in ids[:12]])
    statements = _statements(
        services,
        "contacts",
        lambda: services.books.members(book, list(members)),
    )
    assert len(members) == 12
    by_id = [s for s in statements if "contact_id IN" in s[0] or "pk IN" in s[0]]
    assert by_id
    _assert_by_key(services, by_id)
