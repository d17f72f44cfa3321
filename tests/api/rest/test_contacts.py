"""The REST contacts API (`/v1/contacts`), as its clients use it."""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.oauth.credentials import API_KEY
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import RestClient, api_key, rest_for

NEW = {
    "name": "Ada Lovelace",
    "phoneNumber": "+44 7700 000001",
    "location": {"id": "loc-1", "title": "London"},
    "stage": "Marketing qualified lead (MQL)",
    "notes": "Met at the Analytical Society.",
    "customFields": {"shoe size": "38", "pet": "cat"},
    "tags": ["VIP", "engines"],
}


def assert_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"message"}
    return str(body["message"])


@pytest.fixture
def rest(user: ApiUser, services: Services) -> RestClient:
    return rest_for(user, services)


def test_create_answers_the_contact(rest: RestClient) -> None:
    created = rest.create(NEW)
    assert created == {"id": created["id"], **NEW, "tags": ["engines", "VIP"]}
    assert rest.get(created["id"]) == created


def test_create_stores_canonical_fields(rest: RestClient, user: ApiUser) -> None:
    created = rest.create(NEW)
    [contact] = user.ok("contacts.get", {"contactIds": [created["id"]]})["contacts"]
    assert contact["contactData"] == {
        "displayName": "Ada Lovelace",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "phoneNumbers": [{"type": "mobile", "value": "+44 7700 000001"}],
        "notes": "Met at the Analytical Society.",
        "items": [{"type": "shoe size", "value": "38"}, {"type": "pet", "value": "cat"}],
    }
    meta = contact["contactMetadata"]
    assert meta["stage"] == "Marketing qualified lead (MQL)"
    assert meta["location"] == {"id": "loc-1", "title": "London"}
    tags = user.ok("tags.get", {"tagIds": meta["tagIds"]})["tags"]
    assert sorted(t["tagData"]["name"] for t in tags) == ["VIP", "engines"]


def test_absent_fields_read_as_null(rest: RestClient) -> None:
    created = rest.create({"name": "Min", "phoneNumber": "1"})
    assert created == {
        "id": created["id"],
        "name": "Min",
        "phoneNumber": "1",
        "location": None,
        "stage": None,
        "notes": None,
        "customFields": {},
        "tags": [],
    }


def test_location_id_alone_is_enough(rest: RestClient) -> None:
    created = rest.create({"name": "L", "phoneNumber": "1", "location": {"id": "x"}})
    assert created["location"] == {"id": "x"}


@pytest.mark.parametrize("missing", ["name", "phoneNumber"])
def test_name_and_phone_are_required(rest: RestClient, missing: str) -> None:
    body = {"name": "A", "phoneNumber": "1"}
    del body[missing]
    assert missing in assert_error(rest.request("POST", json=body), 400)
    created = rest.create({"name": "A", "phoneNumber": "1"})
    assert missing in assert_error(rest.request("PUT", f"/{created['id']}", json=body), 400)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stage": "Prospect"}, "stage"),
        ({"name": ""}, "name"),
        ({"phoneNumber": 5}, "phoneNumber"),
        ({"customFields": {"a": 1}}, "customFields"),
        ({"location": {"title": "no id"}}, "location.id"),
        ({"tags": "vip"}, "tags"),
        ({"nickname": "x"}, "nickname"),
    ],
)
def test_bad_fields_are_400_naming_the_field(
    rest: RestClient, body: dict[str, Any], field: str
) -> None:
    full = {"name": "A", "phoneNumber": "1", **body}
    assert field in assert_error(rest.request("POST", json=full), 400)


@pytest.mark.parametrize(
    "stage",
    [
        "Subscriber",
        "Lead",
        "Marketing qualified lead (MQL)",
        "Sales qualified lead (SQL)",
        "Opportunity",
        "Customer",
        "Evangelist",
        "Other",
    ],
)
def test_every_stage_is_accepted(rest: RestClient, stage: str) -> None:
    assert rest.create({"name": "S", "phoneNumber": "1", "stage": stage})["stage"] == stage


def test_put_changes_what_it_carries_and_keeps_the_rest(rest: RestClient, user: ApiUser) -> None:
    created = rest.create(NEW)
    updated = rest.put(
        created["id"], {"name": "Ada King", "phoneNumber": "+44 1", "stage": "Customer"}
    )
    assert updated == {
        **created,
        "name": "Ada King",
        "phoneNumber": "+44 1",
        "stage": "Customer",
    }
    assert rest.get(created["id"]) == updated


def test_put_with_null_clears(rest: RestClient) -> None:
    created = rest.create(NEW)
    cleared = rest.put(
        created["id"],
        {
            "name": "A",
            "phoneNumber": "1",
            "stage": None,
            "notes": None,
            "location": None,
            "customFields": None,
            "tags": [],
        },
    )
    assert cleared == {
        "id": created["id"],
        "name": "A",
        "phoneNumber": "1",
        "location": None,
        "stage": None,
        "notes": None,
        "customFields": {},
        "tags": [],
    }


def test_put_custom_fields_and_tags_replace_the_set(rest: RestClient) -> None:
    created = rest.create(NEW)
    updated = rest.put(
        created["id"],
        {
            "name": "A",
            "phoneNumber": "1",
            "customFields": {"pet": "dog", "hat": "top"},
            "tags": ["vip", "new"],
        },
    )
    assert updated["customFields"] == {"pet": "dog", "hat": "top"}
    # Tag names match case-insensitively: "vip" is the existing "VIP".
    assert updated["tags"] == ["new", "VIP"]


def test_put_location_id_keeps_its_title(rest: RestClient) -> None:
    created = rest.create(NEW)
    body = {"name": "A", "phoneNumber": "1", "location": {"id": "loc-1"}}
    assert rest.put(created["id"], body)["location"] == {"id": "loc-1", "title": "London"}
    body["location"] = {"id": "loc-2"}
    assert rest.put(created["id"], body)["location"] == {"id": "loc-2"}


def test_put_back_what_was_read_changes_nothing(rest: RestClient, user: ApiUser) -> None:
    rich = user.create(
        {
            "name": {"prefix": "Dr.", "givenName": "Grace", "familyName": "Hopper"},
            "phoneNumbers": [{"type": "work", "value": "1"}, {"type": "mobile", "value": "2"}],
            "items": [
                {"value": "untyped"},
                {"type": "k", "value": "v"},
                {"type": "k", "value": "w"},
            ],
        }
    )
    read = rest.get(rich["contactId"])
    assert read["name"] == "Dr. Grace Hopper"
    assert read["customFields"] == {"k": "v"}
    rest.put(rich["contactId"], read)
    [after] = user.ok("contacts.get", {"contactIds": [rich["contactId"]]})["contacts"]
    assert after["contactData"] == rich["contactData"]


def test_delete_answers_success_and_the_contact_is_gone(rest: RestClient) -> None:
    created = rest.create(NEW)
    response = rest.request("DELETE", f"/{created['id']}")
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert_error(rest.request("GET", f"/{created['id']}"), 404)
    assert_error(rest.request("DELETE", f"/{created['id']}"), 404)


def test_unknown_and_other_accounts_contacts_are_404(make_user: Any, services: Services) -> None:
    owner = rest_for(make_user(), services)
    stranger = rest_for(make_user(), services)
    contact_id = owner.create(NEW)["id"]
    body = {"name": "X", "phoneNumber": "1"}
    assert_error(stranger.request("GET", f"/{contact_id}"), 404)
    assert_error(stranger.request("PUT", f"/{contact_id}", json=body), 404)
    assert_error(stranger.request("DELETE", f"/{contact_id}"), 404)
    assert_error(stranger.request("POST", f"/{contact_id}/tags/add", json={"tags": ["x"]}), 404)
    assert stranger.request("GET").json() == []
    assert owner.get(contact_id)["name"] == NEW["name"]


def test_tags_add_and_remove(rest: RestClient) -> None:
    created = rest.create({"name": "T", "phoneNumber": "1", "tags": ["a"]})
    added = rest.request("POST", f"/{created['id']}/tags/add", json={"tags": ["b", " A ", "c"]})
    assert added.status_code == 200
    assert added.json() == {"id": created["id"], "tags": ["a", "b", "c"]}
    removed = rest.request("POST", f"/{created['id']}/tags/remove", json={"tags": ["B", "zzz"]})
    assert removed.json() == {"id": created["id"], "tags": ["a", "c"]}
    assert rest.get(created["id"])["tags"] == ["a", "c"]


def test_tags_body_is_checked(rest: RestClient) -> None:
    created = rest.create({"name": "T", "phoneNumber": "1"})
    assert "tags" in assert_error(rest.request("POST", f"/{created['id']}/tags/add", json={}), 400)
    assert "tags" in assert_error(
        rest.request("POST", f"/{created['id']}/tags/remove", json={"tags": [1]}), 400
    )


def test_if_match_is_honoured(rest: RestClient) -> None:
    created = rest.create(NEW)
    etag = rest.request("GET", f"/{created['id']}").headers["etag"]
    body = {"name": "A", "phoneNumber": "1"}
    assert (
        rest.request("PUT", f"/{created['id']}", json=body, headers={"If-Match": etag}).status_code
        == 200
    )
    assert_error(
        rest.request("PUT", f"/{created['id']}", json=body, headers={"If-Match": etag}), 412
    )
    assert_error(rest.request("DELETE", f"/{created['id']}", headers={"If-Match": etag}), 412)
    assert rest.get(created["id"])["name"] == "A"


def test_wrong_method_and_unknown_path_in_this_shape(rest: RestClient) -> None:
    response = rest.request("PATCH", "/x")
    assert_error(response, 405)
    assert response.headers["allow"] == "DELETE, GET, PUT"
    assert_error(rest.request("GET", "/x/y/z"), 404)


def test_body_must_be_a_json_object(rest: RestClient) -> None:
    assert_error(rest.request("POST", json=["x"]), 400)
    assert_error(
        rest.request("POST", content=b"{", headers={"Content-Type": "application/json"}), 400
    )
    assert_error(
        rest.request("POST", content=b"name=x", headers={"Content-Type": "text/plain"}), 415
    )


# -- auth ------------------------------------------------------------------------------


NO_KEY = {"message": "Forbidden: no x-api-key header (send an API key in it)"}
UNKNOWN_KEY = {"message": "Forbidden: unknown API key (revoked, or never made here)"}


def test_missing_or_bad_key_is_forbidden_and_says_which(user: ApiUser) -> None:
    for headers, answer in (
        ({}, NO_KEY),
        ({"x-api-key": "nope"}, UNKNOWN_KEY),
        ({"x-api-key": ""}, NO_KEY),
        ({"Authorization": f"Bearer {user.token}"}, NO_KEY),
    ):
        response = user.client.get("/v1/contacts", headers=headers)
        assert response.status_code == 403
        assert response.json() == answer


def test_an_access_token_is_not_an_api_key(user: ApiUser) -> None:
    response = RestClient(user.client, user.token).request("GET")
    assert response.json() == UNKNOWN_KEY


def test_revoked_key_is_forbidden(user: ApiUser, services: Services) -> None:
    issued = services.credentials.issue(user.account_id, frozenset({"contacts.read"}), kind=API_KEY)
    rest = RestClient(user.client, issued.secret)
    assert rest.request("GET").status_code == 200
    services.credentials.revoke(user.account_id, issued.credential_id)
    assert rest.request("GET").json() == UNKNOWN_KEY


def test_scopes_are_checked(user: ApiUser, services: Services) -> None:
    reader = RestClient(
        user.client, api_key(services, user.account_id, frozenset({"contacts.read"}))
    )
    assert reader.request("GET").status_code == 200
    assert "contacts.write" in assert_error(
        reader.request("POST", json={"name": "A", "phoneNumber": "1"}), 403
    )
    writer = RestClient(
        user.client, api_key(services, user.account_id, frozenset({"contacts.write"}))
    )
    assert "contacts.read" in assert_error(writer.request("GET"), 403)


# -- listing ---------------------------------------------------------------------------


def test_paging_with_page_and_limit(rest: RestClient) -> None:
    ids = [rest.create({"name": f"N{i}", "phoneNumber": str(i)})["id"] for i in range(5)]
    assert [c["id"] for c in rest.request("GET").json()] == ids
    first = rest.request("GET", params={"limit": 2, "page": 1}).json()
    second = rest.request("GET", params={"limit": 2, "page": 2}).json()
    third = rest.request("GET", params={"limit": 2, "page": 3}).json()
    assert [c["id"] for c in first + second + third] == ids
    assert len(third) == 1
    assert rest.request("GET", params={"limit": 2, "page": 4}).json() == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"limit": 0}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": 1001}, "limit"),
    ],
)
def test_bad_paging_is_400(rest: RestClient, params: dict[str, Any], field: str) -> None:
    assert field in assert_error(rest.request("GET", params=params), 400)


def test_filter_by_tags_location_and_channel(
    rest: RestClient, user: ApiUser, services: Services
) -> None:
    a = rest.create({"name": "A", "phoneNumber": "1", "tags": ["x", "y"], "location": {"id": "L1"}})
    b = rest.create({"name": "B", "phoneNumber": "2", "tags": ["x"], "location": {"id": "L2"}})
    c = services.contacts.create(user.account_id, {"displayName": "C"}, {"source": "WhatsApp"})

    def ids(**params: str) -> list[str]:
        response = rest.request("GET", params=params)
        assert response.status_code == 200, response.text
        return [contact["id"] for contact in response.json()]

    assert ids(tags="x") == [a["id"], b["id"]]
    assert ids(tags="X, y") == [a["id"]]
    assert ids(tags="unknown") == []
    assert ids(locationId="L2") == [b["id"]]
    assert ids(locationId="L2", tags="y") == []
    assert ids(channel="whatsapp") == [c.contact_id]


def test_search_text_uses_the_contact_search(rest: RestClient) -> None:
    ada = rest.create({"name": "Ada Lovelace", "phoneNumber": "1", "tags": ["math"]})
    rest.create({"name": "Charles Babbage", "phoneNumber": "2", "tags": ["math"]})
    grace = rest.create(
        {"name": "Grace Hopper", "phoneNumber": "3", "notes": "Ada fan", "location": {"id": "US"}}
    )

    def ids(**params: str) -> list[str]:
        response = rest.request("GET", params=params)
        assert response.status_code == 200, response.text
        return [contact["id"] for contact in response.json()]

    # Best first: a match in the name ranks above one in the notes.
    assert ids(searchText="ada") == [ada["id"], grace["id"]]
    assert ids(searchText="ada", limit="1", page="2") == [grace["id"]]
    assert ids(searchText="ada", tags="math") == [ada["id"]]
    assert ids(searchText="ada", locationId="US") == [grace["id"]]
    assert ids(searchText="nobody") == []


def test_huge_page_numbers_are_refused_not_crashed(rest: RestClient) -> None:
    assert "page" in assert_error(rest.request("GET", params={"page": 10**30}), 400)
    assert rest.request("GET", params={"page": 10**9, "limit": 1000}).json() == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("", {"locationId": "\x00"}, "locationId"),
        ("", {"channel": "a\x00"}, "channel"),
        ("/%00", {}, "contactId"),
    ],
)
def test_nul_characters_are_refused_not_crashed(
    rest: RestClient, path: str, params: dict[str, str], field: str
) -> None:
    assert field in assert_error(rest.request("GET", path, params=params), 400)
    body = {"name": "a\u0000b", "phoneNumber": "1"}
    assert_error(rest.request("POST", json=body), 400)


def test_search_text_with_filters_pages_by_number(
    rest: RestClient, user: ApiUser, services: Services
) -> None:
    """`searchText` beside `tags`, `locationId` and `channel`: every condition in one query,
    paged by number like the plain listing, best first."""
    in_notes = rest.create(
        {"name": "Grace", "phoneNumber": "1", "notes": "Ada fan", "location": {"id": "US"}}
    )
    rest.create({"name": "Ada Byron", "phoneNumber": "2", "location": {"id": "UK"}})
    in_name = rest.create({"name": "Ada King", "phoneNumber": "3", "location": {"id": "US"}})
    tagged = rest.create(
        {"name": "Ada Tagged", "phoneNumber": "4", "tags": ["math"], "location": {"id": "US"}}
    )
    chat = services.contacts.create(
        user.account_id, {"displayName": "Ada Chat"}, {"source": "WhatsApp"}
    )

    def ids(**params: str) -> list[str]:
        response = rest.request("GET", params=params)
        assert response.status_code == 200, response.text
        return [contact["id"] for contact in response.json()]

    us = [in_name["id"], tagged["id"], in_notes["id"]]
    assert ids(searchText="ada", locationId="US") == us
    pages = [ids(searchText="ada", locationId="US", limit="2", page=str(p)) for p in (1, 2, 3)]
    assert pages == [us[:2], us[2:], []]
    assert ids(searchText="ada", locationId="US", tags="MATH") == [tagged["id"]]
    assert ids(searchText="ada", tags="math", page="2", limit="1") == []
    assert ids(searchText="ada", channel="whatsapp") == [chat.contact_id]
    assert ids(searchText="ada", tags="math,unknown") == []
