"""contacts.create, contacts.get, contacts.update and contacts.delete, as a client uses them."""

from __future__ import annotations

import re

from tests.conftest import ApiUser

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

RICH = {
    "name": {"givenName": "José", "familyName": "Núñez", "prefix": "Dr."},
    "displayName": "Dr. José Núñez",
    "emails": [
        {"type": "work", "value": "jose@example.com"},
        {"type": "home", "value": "j@home.example"},
    ],
    "phoneNumbers": [{"type": "mobile", "value": "+1 (415) 555-0100"}],
    "addresses": [{"type": "home", "street": "1 Main St", "city": "Springfield", "country": "US"}],
    "organizations": [
        {"name": "Contacts+", "title": "Engineer", "startDate": {"year": 2020, "month": 3}}
    ],
    "urls": [{"type": "blog", "value": "https://example.com", "username": "jose"}],
    "ims": [{"type": "xmpp", "value": "jose@jabber.example"}],
    "relatedPeople": [{"type": "spouse", "value": "Ana"}],
    "dates": [{"type": "anniversary", "month": 6, "day": 1, "year": 2001}],
    "birthday": {"month": 2, "day": 29},
    "notes": "Met at the conference.\nLikes tea.",
    "items": [{"type": "shoe size", "value": "42"}],
}


def test_create_assigns_identity_and_returns_the_contact_as_sent(user: ApiUser) -> None:
    contact = user.create(RICH)
    assert contact["contactId"]
    assert contact["etag"]
    assert ISO_MS.match(contact["created"])
    assert contact["created"] == contact["updated"]
    assert contact["contactData"] == RICH
    assert contact["contactMetadata"] == {"tagIds": [], "companyContact": False}


def test_null_means_absent_everywhere(user: ApiUser) -> None:
    body = {
        "contact": {
            "contactData": {"name": {"givenName": "Ann", "middleName": None}, "emails": None}
        },
        "teamId": None,
    }
    contact = user.ok("contacts.create", body)["contact"]
    assert contact["contactData"] == {"name": {"givenName": "Ann"}}


def test_get_returns_existing_contacts_in_the_order_asked(user: ApiUser) -> None:
    first = user.create({"name": {"givenName": "First"}})
    second = user.create({"name": {"givenName": "Second"}})
    found = user.ok(
        "contacts.get", {"contactIds": [second["contactId"], "missing", first["contactId"]]}
    )
    assert [c["contactId"] for c in found["contacts"]] == [second["contactId"], first["contactId"]]
    assert found["contacts"][1] == first


def test_get_of_unknown_ids_is_an_empty_list(user: ApiUser) -> None:
    assert user.ok("contacts.get", {"contactIds": ["nope"]}) == {"contacts": []}


def test_update_replaces_contact_data_and_changes_etag_and_updated(user: ApiUser) -> None:
    contact = user.create(RICH)
    new_data = {
        "name": {"givenName": "Joe"},
        "emails": [{"type": "work", "value": "joe@example.com"}],
    }
    updated = user.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": contact["contactId"],
                "etag": contact["etag"],
                "contactData": new_data,
            }
        },
    )["contact"]
    assert updated["contactData"] == new_data
    assert updated["etag"] != contact["etag"]
    assert updated["updated"] > contact["updated"]
    assert updated["created"] == contact["created"]
    again = user.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"][0]
    assert again == updated


def test_update_accepts_the_contact_exactly_as_it_was_read(user: ApiUser) -> None:
    contact = user.create(RICH)
    contact["contactData"]["notes"] = "changed"
    updated = user.ok(
        "contacts.update", {"contact": contact, "teamId": None, "resolveConflicts": None}
    )
    assert updated["contact"]["contactData"]["notes"] == "changed"


def test_update_with_stale_etag_is_a_conflict_and_changes_nothing(user: ApiUser) -> None:
    contact = user.create({"name": {"givenName": "Ann"}})
    body = {
        "contact": {
            "contactId": contact["contactId"],
            "etag": contact["etag"],
            "contactData": {"notes": "a"},
        }
    }
    user.ok("contacts.update", body)
    body["contact"]["contactData"] = {"notes": "b"}
    response = user.call("contacts.update", body)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "etag_conflict"
    current = user.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"][0]
    assert current["contactData"] == {"notes": "a"}


def test_resolve_conflicts_lets_an_update_win(user: ApiUser) -> None:
    contact = user.create({"name": {"givenName": "Ann"}})
    user.ok("contacts.update", {"contact": {**contact, "contactData": {"notes": "first"}}})
    response = user.ok(
        "contacts.update",
        {"contact": {**contact, "contactData": {"notes": "wins"}}, "resolveConflicts": True},
    )
    assert response["contact"]["contactData"] == {"notes": "wins"}


def test_update_without_etag_is_refused(user: ApiUser) -> None:
    contact = user.create({"name": {"givenName": "Ann"}})
    response = user.call(
        "contacts.update", {"contact": {"contactId": contact["contactId"], "contactData": {}}}
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "contact.etag"


def test_update_of_unknown_contact_is_404(user: ApiUser) -> None:
    response = user.call(
        "contacts.update", {"contact": {"contactId": "nope", "etag": "x", "contactData": {}}}
    )
    assert response.status_code == 404


def test_delete_needs_the_current_etag(user: ApiUser) -> None:
    contact = user.create({"name": {"givenName": "Gone"}})
    stale = user.call("contacts.delete", {"contactId": contact["contactId"], "etag": "stale"})
    assert stale.status_code == 409
    missing = user.call("contacts.delete", {"contactId": contact["contactId"]})
    assert missing.status_code == 400
    assert missing.json()["error"]["field"] == "etag"
    response = user.call(
        "contacts.delete",
        {"contactId": contact["contactId"], "etag": contact["etag"], "teamId": None},
    )
    assert response.status_code == 200
    assert response.json() == {}
    assert user.ok("contacts.get", {"contactIds": [contact["contactId"]]}) == {"contacts": []}
    again = user.call(
        "contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]}
    )
    assert again.status_code == 404


def test_a_team_id_names_no_team_yet(user: ApiUser) -> None:
    response = user.call("contacts.create", {"contact": {"contactData": {}}, "teamId": "t_1"})
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "teamId"
