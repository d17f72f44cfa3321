"""The contacts-per-owner limit: counted in each write's own transaction, on both stores."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from rolodex.contacts.importer import ContactImporter
from rolodex.errors import LimitExceeded
from rolodex.services import Services
from tests.conftest import make_settings


@pytest.fixture
def small(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    settings = make_settings(store_kind, tmp_path, request).model_copy(
        update={"max_contacts_per_owner": 3}
    )
    services = Services.build(settings)
    yield services
    services.close()


def test_an_owner_cannot_store_more_contacts_than_the_limit(small: Services) -> None:
    owner = small.accounts.create(
        f"lim-{secrets.token_hex(4)}@example.com", "password123"
    ).account_id
    other = small.accounts.create(
        f"lim-{secrets.token_hex(4)}@example.com", "password123"
    ).account_id
    made = [small.contacts.create(owner, {"notes": str(i)}) for i in range(3)]
    with pytest.raises(LimitExceeded) as refused:
        small.contacts.create(owner, {"notes": "one too many"})
    assert "at most 3" in refused.value.message
    # Tombstones still count (they are kept for sync); other owners have their own count.
    small.contacts.delete(owner, made[0].contact_id, etag=made[0].etag)
    with pytest.raises(LimitExceeded):
        small.contacts.create(owner, {"notes": "still too many"})
    assert small.contacts.create(other, {"notes": "fine"}).owner_id == other
    assert len(small.contacts.scroll(owner, size=10, include_deleted=True).contacts) == 3


def test_a_bulk_import_over_the_limit_writes_nothing_of_that_batch(
    small: Services, tmp_path: Path
) -> None:
    owner = small.accounts.create(
        f"lim-{secrets.token_hex(4)}@example.com", "password123"
    ).account_id
    source = tmp_path / "five.jsonl"
    source.write_text("".join(f'{{"notes": "n{i}"}}\n' for i in range(5)))
    with pytest.raises(LimitExceeded):
        ContactImporter(small.store, small.contacts).run(owner, source, batch_size=5)
    assert small.contacts.scroll(owner, size=10).contacts == []


def test_the_limit_is_a_400_naming_it_in_the_contactsplus_api(small: Services) -> None:
    from starlette.testclient import TestClient

    from rolodex.app import create_app

    owner = small.accounts.create(
        f"lim-{secrets.token_hex(4)}@example.com", "password123"
    ).account_id
    token = small.credentials.issue(owner, frozenset({"contacts.write"})).secret
    with TestClient(create_app(services=small)) as client:
        answers = [
            client.post(
                "/api/v1/contacts.create",
                json={"contact": {"contactData": {"notes": str(i)}}},
                headers={"Authorization": f"Bearer {token}"},
            )
            for i in range(4)
        ]
    assert [a.status_code for a in answers] == [200, 200, 200, 400]
    assert answers[3].json()["error"]["code"] == "limit_exceeded"
