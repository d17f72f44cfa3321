"""The trash page and an undo by credential id read through their own indexes
(revision 0026_history_indexes), not the owner's contacts or versions one by one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from rolodex.actors import API_KEY, Actor, acting_as
from rolodex.ids import new_id
from rolodex.services import Services
from tests.contacts.test_search_index import query_plans


def _statements(services: Services, table: str, run: Any) -> list[tuple[str, Any]]:
    """The SELECTs on `table` that `run()` sends."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and f"FROM {table}" in statement:
            statements.append((statement, params))

    event.listen(services.store.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(services.store.engine, "before_cursor_execute", record)
    assert statements
    return statements


def test_the_trash_and_an_undo_by_credential_use_their_indexes(services: Services) -> None:
    owner = services.accounts.create(f"{new_id('u')}@example.com", "pw-long-enough", "T")
    owner_id = owner.account_id
    made = [services.contacts.create(owner_id, {"notes": str(n)}) for n in range(12)]
    phone = Actor(kind=API_KEY, name="phone", account_id=owner_id, credential_id="cr_phone")
    with acting_as(phone):
        for contact in made[:4]:
            services.contacts.delete(owner_id, contact.contact_id, etag=None)
    trash = _statements(services, "contacts", lambda: services.history.trash(owner_id, size=2))
    undo = _statements(
        services,
        "contact_versions",
        lambda: services.history.undo_credential(
            owner_id, since=0, credential_id="cr_phone", dry_run=True
        ),
    )
    sqlite = services.store.engine.dialect.name == "sqlite"
    [trash_plan] = query_plans(services.store, trash[:1])
    assert "ix_contacts_owner_deleted" in trash_plan
    if sqlite:
        assert "SCAN contacts" not in trash_plan
    by_source = [s for s in undo if "credential_id =" in s[0]]
    [undo_plan] = query_plans(services.store, by_source)
    assert "ix_contact_versions_credential" in undo_plan
    assert ("SCAN contact_versions" if sqlite else "Seq Scan") not in undo_plan
