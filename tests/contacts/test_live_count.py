"""The live-contacts count (`owner_counts.live`, revision 0018_book_letters): one row read
that always equals the owner's live contacts, through creates, imports, deletes, undos and
a write refused over the limit; and the migration fills it for contacts made before it."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import func, select, text

from rolodex.contacts.importer import ContactImporter
from rolodex.contacts.service import ContactLimits, ContactService
from rolodex.errors import LimitExceeded
from rolodex.ids import new_id
from rolodex.services import Services
from rolodex.store import Store
from rolodex.store.schema import contacts
from tests.contacts.test_search_index import contact_row, empty_store, migrate

__all__ = ["empty_store"]  # the fixture, used below by name


def live_rows(services: Services, owner: str) -> int:
    with services.store.read() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(contacts)
                .where(contacts.c.owner_id == owner, contacts.c.deleted_at.is_(None))
            ).scalar_one()
        )


def test_the_count_follows_every_write(services: Services) -> None:
    owner = new_id("a_")
    assert services.contacts.count_live(owner) == 0
    made = [services.contacts.create(owner, {"displayName": f"C{i}"}) for i in range(3)]
    lines = [orjson.dumps({"displayName": f"I{i}"}) for i in range(5)]
    ContactImporter(services.store, services.contacts).import_all(owner, lines, max_lines=10)
    services.contacts.delete(owner, made[0].contact_id, etag=None)
    services.contacts.delete(owner, made[1].contact_id, etag=None)
    services.contacts.restore(owner, made[1].contact_id, within_ms=60_000)
    assert services.contacts.count_live(owner) == live_rows(services, owner) == 7


def test_a_write_refused_over_the_limit_leaves_the_count(services: Services) -> None:
    owner = new_id("a_")
    small = ContactService(services.store, ContactLimits(max_contacts_per_owner=3))
    small.create(owner, {"displayName": "One"})
    lines = [b'{"displayName": "x"}'] * 3
    with pytest.raises(LimitExceeded):
        ContactImporter(services.store, small).import_all(owner, lines, max_lines=10)
    assert small.count_live(owner) == live_rows(services, owner) == 1


def test_the_migration_counts_the_contacts_made_before_it(empty_store: Store) -> None:
    migrate(empty_store, "0016_search_words")
    owner, other = new_id("a_"), new_id("a_")
    rows = [contact_row(owner, {"displayName": f"P{i}"}) for i in range(4)]
    rows.append(contact_row(owner, {"displayName": "Gone"}, deleted_at=5))
    rows.append(contact_row(other, {"displayName": "Theirs"}))
    with empty_store.engine.begin() as conn:
        conn.execute(contacts.insert(), rows)
        conn.execute(
            text(
                "INSERT INTO owner_counts (owner_id, contacts)"
                " SELECT owner_id, count(*) FROM contacts GROUP BY owner_id"
            )
        )
    migrate(empty_store, "0018_book_letters")
    with empty_store.engine.begin() as conn:
        found = {
            r.owner_id: r.live
            for r in conn.execute(text("SELECT owner_id, live FROM owner_counts"))
        }
    assert found == {owner: 4, other: 1}
