"""The trash: a deleted contact comes back with its id, tags and photos, as a normal write."""

from __future__ import annotations

from typing import Any

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.history.clients import app_client


def _tagged(user: ApiUser, name: str) -> tuple[dict[str, Any], str]:
    tag = user.ok("tags.create", {"tag": {"tagData": {"name": name}}})["tag"]
    contact = user.create({"name": {"givenName": name}})
    [tagged] = user.ok(
        "contacts.manageTags", {"contactIds": [contact["contactId"]], "addTagIds": [tag["tagId"]]}
    )["contacts"]
    return tagged, tag["tagId"]


def test_a_deleted_contact_is_in_the_trash_with_who_deleted_it(
    services: Services, user: ApiUser
) -> None:
    phone = app_client(services, user, "Phone")
    contact, tag_id = _tagged(user, "Trashy")
    phone.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    [trashed] = user.ok("contacts.getTrash")["contacts"]
    assert trashed["contactId"] == contact["contactId"]
    assert trashed["source"] == {"kind": "oauth_app", "name": "Phone"}
    assert trashed["contactData"] == {"name": {"givenName": "Trashy"}}
    assert trashed["contactMetadata"]["tagIds"] == [tag_id]


def test_undelete_brings_back_the_id_data_and_tags_as_a_new_write(user: ApiUser) -> None:
    contact, tag_id = _tagged(user, "Back")
    user.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    back = user.ok("contacts.undelete", {"contactId": contact["contactId"]})["contact"]
    assert back["contactId"] == contact["contactId"]
    assert back["contactData"] == contact["contactData"]
    assert back["contactMetadata"]["tagIds"] == [tag_id]
    assert back["etag"] != contact["etag"]
    assert "deleted" not in back
    [got] = user.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"]
    assert got == back
    assert user.ok("contacts.getTrash")["contacts"] == []


def test_a_sync_client_sees_the_undeleted_contact_come_back(
    services: Services, user: ApiUser
) -> None:
    contact = user.create({"notes": "sync"})
    user.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    token = services.sync.start(user.account_id)
    user.ok("contacts.undelete", {"contactId": contact["contactId"]})
    [item] = services.sync.diff(user.account_id, token).items
    assert item.contact.contact_id == contact["contactId"]
    assert item.change == "updated"
    assert not item.contact.deleted


def test_undelete_of_a_live_or_unknown_contact_is_not_found(user: ApiUser) -> None:
    live = user.create({"notes": "alive"})
    for contact_id in (live["contactId"], "c_missing"):
        response = user.call("contacts.undelete", {"contactId": contact_id})
        assert response.status_code == 404
        assert response.json()["error"]["field"] == "contactId"


def test_an_emptied_contact_stays_a_tombstone(services: Services, user: ApiUser) -> None:
    contact = user.create({"notes": "bye"})
    user.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    assert services.history.empty_trash(user.account_id) == 1
    assert user.ok("contacts.getTrash")["contacts"] == []
    response = user.call("contacts.undelete", {"contactId": contact["contactId"]})
    assert response.status_code == 404


def test_the_trash_pages_with_a_cursor(user: ApiUser) -> None:
    made = [user.create({"notes": str(n)}) for n in range(5)]
    for contact in made:
        user.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    first = user.ok("contacts.getTrash", {"size": 3})
    rest = user.ok("contacts.getTrash", {"size": 3, "cursor": first["cursor"]})
    seen = [c["contactId"] for c in first["contacts"] + rest["contacts"]]
    assert sorted(seen) == sorted(c["contactId"] for c in made)
    assert "cursor" not in rest


def test_a_cursor_of_another_account_is_refused(make_user: Any, user: ApiUser) -> None:
    made = [user.create({"notes": str(n)}) for n in range(2)]
    for contact in made:
        user.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    cursor = user.ok("contacts.getTrash", {"size": 1})["cursor"]
    response = make_user().call("contacts.getTrash", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "cursor"
