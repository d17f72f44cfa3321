"""Undo one client: everything it did since a moment comes back; others' edits survive."""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.services import Services
from rolodex.settings import HistorySettings
from rolodex.timestamps import iso, now_ms, parse_iso
from tests.conftest import ApiUser
from tests.history.clients import app_client

WIPE = 1000


@pytest.fixture
def unguarded(services: Services) -> Any:
    """The mass-deletion guard off, so that a client can wipe a book (test_guard.py tests it)."""
    before = services.history.guard.settings
    services.history.guard.settings = HistorySettings(guard=False)
    yield
    services.history.guard.settings = before


def _update(user: ApiUser, contact: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    body = {
        "contact": {"contactId": contact["contactId"], "etag": contact["etag"], "contactData": data}
    }
    return dict(user.ok("contacts.update", body)["contact"])


@pytest.mark.usefixtures("unguarded")
def test_a_wipe_by_one_client_is_undone_while_anothers_edits_survive(
    services: Services, user: ApiUser
) -> None:
    owner = user.account_id
    with services.store.write(owner_id=owner) as conn:
        made = services.contacts.create_many_in(
            conn, owner, [{"notes": str(n)} for n in range(WIPE)]
        )
    since = iso(now_ms() - 1)
    phone = app_client(services, user, "Broken phone")
    laptop = app_client(services, user, "Laptop")
    edited = made[0]
    changed = _update(phone, _api(user, edited), {"notes": "mangled"})
    _update(laptop, changed, {"notes": "fixed by hand"})
    for contact in made[1:]:
        phone.ok("contacts.delete", {"contactId": contact.contact_id, "etag": contact.etag})
    added = phone.create({"notes": "junk"})

    dry = user.ok(
        "contacts.undoCredential",
        {"credentialName": "Broken phone", "since": since, "dryRun": True},
    )
    assert dry["count"] == WIPE
    assert len(dry["undeleted"]) == WIPE - 1
    assert dry["deleted"] == [added["contactId"]]
    assert dry["conflicts"] == [edited.contact_id]
    assert services.contacts.count_live(owner) == 2

    done = user.ok("contacts.undoCredential", {"credentialName": "Broken phone", "since": since})
    assert done["count"] == WIPE
    assert services.contacts.count_live(owner) == WIPE
    [kept] = user.ok("contacts.get", {"contactIds": [edited.contact_id]})["contacts"]
    assert kept["contactData"] == {"notes": "fixed by hand"}
    back = services.contacts.get_many(owner, [c.contact_id for c in made[1:]])
    assert [c.data for c in back] == [{"notes": str(n)} for n in range(1, WIPE)]


@pytest.mark.usefixtures("unguarded")
def test_an_undo_can_be_undone(services: Services, user: ApiUser) -> None:
    contact = user.create({"notes": "keep"})
    # Just after the creation: every later write gets a later `updated`.
    since = iso(_ms(contact["updated"]) + 1)
    phone = app_client(services, user, "Phone")
    changed = _update(phone, contact, {"notes": "phone's"})
    undo = user.ok("contacts.undoCredential", {"credentialName": "Phone", "since": since})
    assert undo["restored"] == [contact["contactId"]]
    [now] = user.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"]
    assert now["contactData"] == {"notes": "keep"}
    # The undo was made by the caller's own credential: undo that in turn.
    again = user.ok(
        "contacts.undoCredential", {"credentialId": _credential(services, user), "since": since}
    )
    assert contact["contactId"] in again["restored"]
    [redone] = user.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"]
    assert redone["contactData"] == changed["contactData"]


def test_undo_needs_one_credential_and_an_iso_time(user: ApiUser) -> None:
    cases = [
        ({"since": "2026-01-01T00:00:00Z"}, "credentialId"),
        ({"credentialId": "cr_x", "credentialName": "x", "since": "2026-01-01"}, "credentialId"),
        ({"credentialName": "x", "since": "yesterday"}, "since"),
        ({"credentialName": "x"}, "since"),
    ]
    for body, field in cases:
        response = user.call("contacts.undoCredential", body)
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == field


def _ms(text: str) -> int:
    found = parse_iso(text)
    assert found is not None
    return found


def _api(user: ApiUser, contact: Any) -> dict[str, Any]:
    [found] = user.ok("contacts.get", {"contactIds": [contact.contact_id]})["contacts"]
    return dict(found)


def _credential(services: Services, user: ApiUser) -> str:
    principal = services.credentials.resolve(user.token, kinds=("access_token",))
    assert principal is not None
    return principal.credential_id
