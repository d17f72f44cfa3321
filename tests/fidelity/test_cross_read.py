"""What one API writes reads back, unchanged, through every other API that can express it."""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.fidelity.rich import Views, views_for


@pytest.fixture
def views(user: ApiUser, services: Services) -> Views:
    return views_for(user, services)


def test_personal_writes_read_back_through_rest_and_contactsplus(views: Views) -> None:
    contact_id = views.personal.create(
        {
            "name": "Grace Hopper",
            "business": "+1 703 555 0100",
            "mobile_phone": "+1 703 555 0101",
            "email": "grace@navy.example",
            "company": "US Navy",
            "title": "Rear Admiral",
            "address": "Arlington, VA",
            "notes": "Found the first bug.",
        }
    )
    rest = views.rest.get(contact_id)
    assert rest["name"] == "Grace Hopper"
    assert rest["phoneNumber"] == "+1 703 555 0100"
    assert rest["notes"] == "Found the first bug."
    data = views.canonical(contact_id)["contactData"]
    assert data["displayName"] == "Grace Hopper"
    assert data["emails"][0]["value"] == "grace@navy.example"
    assert data["organizations"][0] == {"name": "US Navy", "title": "Rear Admiral"}
    assert [p["value"] for p in data["phoneNumbers"]] == ["+1 703 555 0100", "+1 703 555 0101"]
    assert data["addresses"][0]["formatted"] == "Arlington, VA"
    assert data["notes"] == "Found the first bug."
    views.personal.request("POST", f"/{contact_id}/favorite")
    assert views.canonical(contact_id)["contactMetadata"]["favorite"] is True


def test_rest_writes_read_back_through_personal_and_contactsplus(views: Views) -> None:
    created = views.rest.create(
        {
            "name": "Alan Turing",
            "phoneNumber": "+44 1908 000000",
            "notes": "Bletchley",
            "stage": "Lead",
            "location": {"id": "bp", "title": "Bletchley Park"},
            "customFields": {"machine": "Bombe"},
            "tags": ["Codebreakers"],
        }
    )
    personal = views.personal.get(created["id"])
    assert personal["name"] == "Alan Turing"
    assert personal["mobile_phone"] == "+44 1908 000000"
    assert personal["notes"] == "Bletchley"
    contact = views.canonical(created["id"])
    assert contact["contactData"]["displayName"] == "Alan Turing"
    assert contact["contactData"]["items"] == [{"type": "machine", "value": "Bombe"}]
    assert contact["contactMetadata"]["stage"] == "Lead"
    assert contact["contactMetadata"]["location"] == {"id": "bp", "title": "Bletchley Park"}
    assert views.tag_names(created["id"]) == ["Codebreakers"]


def test_contactsplus_writes_read_back_through_rest_and_personal(views: Views) -> None:
    contact = views.user.create(
        {
            "name": {"givenName": "Katherine", "familyName": "Johnson"},
            "phoneNumbers": [
                {"type": "CELL", "value": "+1 757 555 0100"},
                {"type": "Business", "value": "+1 757 555 0101"},
                {"type": "Work Fax", "value": "+1 757 555 0102"},
            ],
            "emails": [{"type": "work", "value": "kj@nasa.example"}],
            "addresses": [{"street": "1 NASA Dr", "city": "Hampton", "region": "VA"}],
            "items": [{"type": "orbit", "value": "Friendship 7"}],
            "notes": "Computer.",
        }
    )
    tag = views.user.ok("tags.create", {"tag": {"tagData": {"name": "NASA"}}})["tag"]
    views.user.ok(
        "contacts.manageTags", {"contactIds": [contact["contactId"]], "addTagIds": [tag["tagId"]]}
    )
    personal = views.personal.get(contact["contactId"])
    assert personal["name"] == "Katherine Johnson"
    assert personal["mobile_phone"] == "+1 757 555 0100"
    assert personal["business"] == "+1 757 555 0101"
    assert personal["business_fax"] == "+1 757 555 0102"
    assert personal["email"] == "kj@nasa.example"
    assert personal["address"] == "1 NASA Dr, Hampton, VA"
    assert personal["notes"] == "Computer."
    rest = views.rest.get(contact["contactId"])
    assert rest["name"] == "Katherine Johnson"
    assert rest["phoneNumber"] == "+1 757 555 0100"
    assert rest["customFields"] == {"orbit": "Friendship 7"}
    assert rest["tags"] == ["NASA"]


def test_tags_written_through_rest_are_the_contactsplus_tags(views: Views) -> None:
    tag = views.user.ok("tags.create", {"tag": {"tagData": {"name": "Existing"}}})["tag"]
    created = views.rest.create({"name": "T", "phoneNumber": "1", "tags": [" existing ", "Fresh"]})
    assert created["tags"] == ["Existing", "Fresh"]
    tag_ids = views.canonical(created["id"])["contactMetadata"]["tagIds"]
    assert tag["tagId"] in tag_ids
    assert len(tag_ids) == 2


def test_deleting_through_one_api_deletes_for_all(views: Views) -> None:
    created = views.rest.create({"name": "Gone", "phoneNumber": "1"})
    assert views.personal.request("POST", f"/{created['id']}/destroy").status_code == 204
    assert views.rest.request("GET", f"/{created['id']}").status_code == 404
    assert views.user.ok("contacts.get", {"contactIds": [created["id"]]})["contacts"] == []


def test_sync_diff_sees_writes_through_every_api(views: Views) -> None:
    kept = views.rest.create({"name": "Kept", "phoneNumber": "1"})["id"]
    doomed = views.user.create({"displayName": "Doomed"})
    token = views.personal.request("POST", "/sync_tokens").json()["token"]

    added = views.rest.create({"name": "Added", "phoneNumber": "2"})["id"]
    contact = views.canonical(kept)
    views.user.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": kept,
                "etag": contact["etag"],
                "contactData": {**contact["contactData"], "notes": "via Contacts+"},
            }
        },
    )
    assert views.rest.request("DELETE", f"/{doomed['contactId']}").json() == {"success": True}

    diff = views.personal.request("POST", f"/sync_tokens/{token}/diff").json()
    changes = {item["id"]: (item["change_type"], item["notes"]) for item in diff["items"]}
    assert changes == {
        added: ("CREATED", None),
        kept: ("UPDATED", "via Contacts+"),
        doomed["contactId"]: ("DELETED", None),
    }


def test_accounts_are_isolated_across_apis(make_user: Any, services: Services) -> None:
    first, second = views_for(make_user(), services), views_for(make_user(), services)
    from_personal = first.personal.create({"name": "P"})
    from_rest = first.rest.create({"name": "R", "phoneNumber": "1"})["id"]
    for contact_id in (from_personal, from_rest):
        assert second.rest.request("GET", f"/{contact_id}").status_code == 404
        assert second.personal.request("GET", f"/{contact_id}").status_code == 404
        assert second.user.ok("contacts.get", {"contactIds": [contact_id]})["contacts"] == []
    assert second.rest.request("GET").json() == []
    assert second.personal.request("GET").json() == {"count": 0, "items": []}
    assert [c["id"] for c in first.rest.request("GET").json()] == [from_personal, from_rest]
