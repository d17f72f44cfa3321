"""The duplicate index follows every write, and the migration indexes older contacts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, text

from rolodex.contacts.service import ContactService
from rolodex.duplicates.service import DuplicateService
from rolodex.ids import new_id
from rolodex.services import Services
from rolodex.store import Store
from rolodex.store.migrate import upgrade
from rolodex.store.schema import contacts
from tests.conftest import ApiUser
from tests.contacts.test_search_index import contact_row, empty_store, migrate

__all__ = ["empty_store"]


def person(given: str, phone: str) -> dict[str, Any]:
    return {
        "name": {"givenName": given, "familyName": "Okafor"},
        "phoneNumbers": [{"type": "mobile", "value": phone}],
    }


def test_the_migration_indexes_contacts_that_existed_before_it(empty_store: Store) -> None:
    migrate(empty_store, "0020_contact_cards")
    owner = new_id("a_")
    rows = [contact_row(owner, person(f"Emeka{i}", f"+234 803 000 {i:04d}")) for i in range(2100)]
    rows.append(contact_row(owner, person("Emeka7", "0803 000 0007")))
    rows.append(contact_row(owner, person("Emeka8", "0803 000 0008"), deleted_at=5))
    with empty_store.engine.begin() as conn:
        conn.execute(insert(contacts), rows)
    upgrade(empty_store)
    found = DuplicateService(empty_store).suggestions(owner)
    assert [s.contact_ids for s in found] == [
        tuple(sorted([rows[7]["contact_id"], rows[2100]["contact_id"]]))
    ]


def test_a_contact_whose_tags_changed_is_still_found(user: ApiUser, services: Services) -> None:
    made = user.create(person("Ngozi", "+234 803 111 2222"))
    tag = user.ok("tags.create", {"tag": {"tagData": {"name": "Lagos"}}})["tag"]
    user.ok(
        "contacts.manageTags",
        {"contactIds": [made["contactId"]], "addTagIds": [tag["tagId"]]},
    )
    user.create(person("Ngozi", "0803 111 2222"))
    assert len(services.duplicates.suggestions(user.account_id)) == 1


def test_deleting_an_account_removes_its_index(services: Services) -> None:
    account = services.accounts.create(f"gone-{new_id('x')}@example.com", "a long password", "G")
    contacts_service: ContactService = services.contacts
    for phone in ("+234 803 111 3333", "0803 111 3333"):
        contacts_service.create(account.account_id, person("Tunde", phone))
    assert len(services.duplicates.suggestions(account.account_id)) == 1
    services.account_deletion.delete(account.account_id)
    assert services.duplicates.high_water() > 0
    left = services.duplicates.repo.candidates(
        services.store.quick, account.account_id, ["p:31113333"], 30
    )
    assert left == []


def test_the_import_s_vacuum_covers_the_duplicate_index(services: Services) -> None:
    # On PostgreSQL, checking a new contact counts its keys from the index alone only
    # once a vacuum has set the visibility map: the import's analyze vacuums the index.
    services.store.analyze()
    if services.store.is_sqlite:
        return
    with services.store.read() as conn:
        rows = conn.execute(
            text(
                "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()"
                " AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
            )
        ).scalars()
        vacuumed = set(rows)
    assert {"duplicate_keys", "duplicate_profiles"} <= vacuumed
