"""Every write to a contact, through any API, keeps the version it replaced and who made it."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import func, select

from rolodex.actors import ADDRESS_BOOK, CLI, Actor, acting_as
from rolodex.services import Services
from rolodex.store.schema import contact_versions
from tests.conftest import ApiUser
from tests.dialects import personal_for
from tests.history.clients import app_client, rest_client
from tests.photos.factories import image_bytes


def history(user: ApiUser, contact_id: str, **extra: Any) -> list[dict[str, Any]]:
    body = {"contactId": contact_id, **extra}
    return list(user.ok("contacts.getHistory", body)["versions"])


def test_an_update_keeps_the_replaced_version_with_who_made_it(
    services: Services, user: ApiUser
) -> None:
    phone = app_client(services, user, "Phone sync")
    laptop = app_client(services, user, "Laptop")
    made = phone.create({"name": {"givenName": "Ann"}})
    first = laptop.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": made["contactId"],
                "etag": made["etag"],
                "contactData": {"name": {"givenName": "Anne"}},
            }
        },
    )["contact"]
    [version] = history(user, made["contactId"])
    assert version["etag"] == made["etag"]
    assert version["updated"] == made["updated"]
    assert version["contactData"] == {"name": {"givenName": "Ann"}}
    assert version["contactMetadata"]["tagIds"] == []
    assert version["source"] == {"kind": "oauth_app", "name": "Phone sync"}
    assert version["replacedBy"] == {"kind": "oauth_app", "name": "Laptop"}
    assert first["etag"] != made["etag"]


def test_rest_writes_name_the_api_key(services: Services, user: ApiUser) -> None:
    rest = rest_client(services, user, "crm export")
    created = rest.create({"name": "Ada Lovelace", "phoneNumber": "+44 7700 000001"})
    rest.put(created["id"], {"name": "Ada King", "phoneNumber": "+44 7700 000001"})
    [version] = history(user, created["id"])
    assert version["source"] == {"kind": "api_key", "name": "crm export"}
    assert version["contactData"]["displayName"] == "Ada Lovelace"


def test_personal_api_writes_name_the_token(services: Services, user: ApiUser) -> None:
    api = personal_for(app_client(services, user, "Personal app"))
    contact_id = api.create({"name": "Grace Hopper"})
    api.update(contact_id, {"name": "Grace B. Hopper"})
    [version] = history(user, contact_id)
    assert version["source"] == {"kind": "oauth_app", "name": "Personal app"}


def test_a_deletion_keeps_the_contact_as_it_was(services: Services, user: ApiUser) -> None:
    made = user.create({"name": {"givenName": "Gone"}})
    user.ok("contacts.delete", {"contactId": made["contactId"], "etag": made["etag"]})
    [version] = history(user, made["contactId"])
    assert version["contactData"] == {"name": {"givenName": "Gone"}}
    assert version["deleted"] is False


def test_writes_of_a_stated_actor_are_named_so(services: Services, user: ApiUser) -> None:
    with acting_as(Actor(kind=ADDRESS_BOOK, name="address book", account_id=user.account_id)):
        contact = services.contacts.create(user.account_id, {"notes": "one"})

    def two(c: Any) -> None:
        c.data = {"notes": "two"}

    with acting_as(Actor(kind=CLI, name="cli")):
        services.contacts.modify(user.account_id, contact.contact_id, two, expected_etag=None)
    [version] = history(user, contact.contact_id)
    assert version["source"] == {"kind": "address_book", "name": "address book"}
    assert version["replacedBy"] == {"kind": "cli", "name": "cli"}


def test_history_pages_with_a_cursor_newest_first(services: Services, user: ApiUser) -> None:
    contact = user.create({"notes": "0"})
    etag = contact["etag"]
    for n in range(1, 6):
        etag = user.ok(
            "contacts.update",
            {
                "contact": {
                    "contactId": contact["contactId"],
                    "etag": etag,
                    "contactData": {"notes": str(n)},
                }
            },
        )["contact"]["etag"]
    first = user.ok("contacts.getHistory", {"contactId": contact["contactId"], "size": 3})
    assert [v["contactData"]["notes"] for v in first["versions"]] == ["4", "3", "2"]
    rest = user.ok(
        "contacts.getHistory",
        {"contactId": contact["contactId"], "size": 3, "cursor": first["cursor"]},
    )
    assert [v["contactData"]["notes"] for v in rest["versions"]] == ["1", "0"]
    assert "cursor" not in rest


def test_another_accounts_contact_has_no_history(make_user: Any, user: ApiUser) -> None:
    contact = user.create({"notes": "mine"})
    other = make_user()
    response = other.call("contacts.getHistory", {"contactId": contact["contactId"]})
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "contactId"


def test_a_photo_upload_names_the_app(services: Services, user: ApiUser) -> None:
    camera = app_client(services, user, "Camera")
    contact = user.create({"displayName": "Snap"})
    response = camera.client.post(
        "/api/v1/contacts.uploadPhoto",
        files={
            "contact.json": (None, orjson.dumps({"contactId": contact["contactId"]})),
            "image.png": ("image.png", image_bytes("PNG"), "image/png"),
        },
        headers={"Authorization": f"Bearer {camera.token}"},
    )
    assert response.status_code == 200, response.text
    [version] = history(user, contact["contactId"])
    assert version["replacedBy"] == {"kind": "oauth_app", "name": "Camera"}


def test_deleting_the_account_takes_its_versions(services: Services, user: ApiUser) -> None:
    contact = user.create({"notes": "a"})
    user.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    services.account_deletion.delete(user.account_id)
    with services.store.read() as conn:
        left = conn.execute(
            select(func.count()).where(contact_versions.c.owner_id == user.account_id)
        ).scalar_one()
    assert left == 0
