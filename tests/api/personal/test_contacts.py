"""The personal contacts API (`/api/user/contacts`), as its clients use it."""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.oauth.credentials import API_KEY
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import PersonalClient, personal_for

FULL = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "company": "Analytical Engines",
    "title": "Programmer",
    "business": "+44 20 0000 0001",
    "business2": "+44 20 0000 0002",
    "mobile_phone": "+44 7700 000001",
    "mobile_phone2": "+44 7700 000002",
    "home_phone": "+44 20 0000 0003",
    "home_phone2": "+44 20 0000 0004",
    "other": "+44 20 0000 0005",
    "business_fax": "+44 20 0000 0006",
    "home_fax": "+44 20 0000 0007",
    "address": "12 St James's Square, London",
    "notes": "First programmer.",
}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors"}
    [error] = body["errors"]
    assert set(error) == {"code", "message", "detail"}
    assert error["code"] == code
    return dict(error)


def test_create_then_get_returns_every_field(user: ApiUser) -> None:
    api = personal_for(user)
    contact_id = api.create(FULL)
    got = api.get(contact_id)
    assert got == {"id": contact_id, **FULL, "sync_type": None, "favorite": False}


def test_fields_with_no_value_are_null(user: ApiUser) -> None:
    api = personal_for(user)
    got = api.get(api.create({"name": "Solo"}))
    assert got["name"] == "Solo"
    for field in FULL:
        if field != "name":
            assert got[field] is None, field


def test_create_answers_201_with_id_location_and_etag(user: ApiUser) -> None:
    response = personal_for(user).request("POST", json={"name": "A"})
    assert response.status_code == 201
    contact_id = response.json()["id"]
    assert response.json() == {"id": contact_id}
    assert response.headers["location"] == f"/api/user/contacts/{contact_id}"
    assert response.headers["etag"].startswith('"')


def test_create_stores_canonical_fields(user: ApiUser) -> None:
    contact_id = personal_for(user).create(FULL)
    [contact] = user.ok("contacts.get", {"contactIds": [contact_id]})["contacts"]
    data = contact["contactData"]
    assert data["displayName"] == "Ada Lovelace"
    assert data["name"] == {"givenName": "Ada", "familyName": "Lovelace"}
    assert data["emails"] == [{"value": "ada@example.com"}]
    assert data["organizations"] == [{"name": "Analytical Engines", "title": "Programmer"}]
    assert {"type": "workFax", "value": "+44 20 0000 0006"} in data["phoneNumbers"]
    assert data["addresses"] == [{"formatted": "12 St James's Square, London"}]


def test_update_changes_only_the_named_fields(user: ApiUser) -> None:
    api = personal_for(user)
    contact_id = api.create(FULL)
    response = api.request("POST", f"/{contact_id}", json={"mobile_phone": "+1 555 0100"})
    assert response.status_code == 200
    assert response.content == b""
    assert api.get(contact_id) == {
        "id": contact_id,
        **FULL,
        "mobile_phone": "+1 555 0100",
        "sync_type": None,
        "favorite": False,
    }


@pytest.mark.parametrize("empty", [None, ""])
def test_null_or_empty_clears_just_that_field(user: ApiUser, empty: str | None) -> None:
    api = personal_for(user)
    contact_id = api.create(FULL)
    api.update(contact_id, {"home_phone2": empty, "email": empty})
    got = api.get(contact_id)
    assert got["home_phone2"] is None
    assert got["email"] is None
    assert got["home_phone"] == FULL["home_phone"]
    assert got["mobile_phone2"] == FULL["mobile_phone2"]


def test_sending_back_what_was_read_changes_nothing(user: ApiUser) -> None:
    rich = user.create(
        {
            "name": {"prefix": "Dr.", "givenName": "Grace", "familyName": "Hopper"},
            "addresses": [{"type": "work", "street": "1 Navy Way", "city": "Arlington"}],
        }
    )
    api = personal_for(user)
    read = api.get(rich["contactId"])
    assert read["name"] == "Dr. Grace Hopper"
    assert read["address"] == "1 Navy Way, Arlington"
    api.update(rich["contactId"], read)
    [after] = user.ok("contacts.get", {"contactIds": [rich["contactId"]]})["contacts"]
    assert after["contactData"] == rich["contactData"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "x" * 65), ("name", ""), ("email", "e" * 129), ("notes", "n" * 1025), ("title", 5)],
)
def test_over_a_limit_or_wrong_type_is_a_validation_error(
    user: ApiUser, field: str, value: Any
) -> None:
    response = personal_for(user).request("POST", json={field: value})
    error = assert_error(response, 400, "VALIDATE_FAILED")
    assert error["detail"] == field
    assert field in error["message"]


def test_limits_are_inclusive(user: ApiUser) -> None:
    api = personal_for(user)
    email = "e" * 120 + "@x.test"  # 128 characters, an email by the shared rule
    contact_id = api.create({"name": "x" * 64, "email": email, "notes": "n" * 1024})
    assert api.get(contact_id)["notes"] == "n" * 1024


def test_unknown_field_is_refused(user: ApiUser) -> None:
    error = assert_error(
        personal_for(user).request("POST", json={"nickname": "x"}), 400, "VALIDATE_FAILED"
    )
    assert error["detail"] == "nickname"


def test_body_not_json_object_is_refused(user: ApiUser) -> None:
    api = personal_for(user)
    assert_error(api.request("POST", json=[1]), 400, "VALIDATE_FAILED")
    assert_error(
        api.request("POST", content=b"{", headers={"Content-Type": "application/json"}),
        400,
        "VALIDATE_FAILED",
    )


def test_missing_or_unknown_contact_is_404(make_user: Any) -> None:
    owner, stranger = make_user(), make_user()
    contact_id = personal_for(owner).create({"name": "Mine"})
    other = personal_for(stranger)
    assert_error(other.request("GET", "/nope"), 404, "NOT_FOUND")
    assert_error(other.request("GET", f"/{contact_id}"), 404, "NOT_FOUND")
    assert_error(other.request("POST", f"/{contact_id}", json={"name": "X"}), 404, "NOT_FOUND")
    assert_error(other.request("POST", f"/{contact_id}/destroy"), 404, "NOT_FOUND")
    assert_error(other.request("POST", f"/{contact_id}/favorite"), 404, "NOT_FOUND")
    assert personal_for(owner).get(contact_id)["name"] == "Mine"


def test_two_accounts_see_only_their_own(make_user: Any) -> None:
    first, second = personal_for(make_user()), personal_for(make_user())
    a = first.create({"name": "A"})
    b = second.create({"name": "B"})
    assert [c["id"] for c in first.request("GET").json()["items"]] == [a]
    assert [c["id"] for c in second.request("GET").json()["items"]] == [b]


def test_destroy_answers_204_and_the_contact_is_gone(user: ApiUser) -> None:
    api = personal_for(user)
    contact_id = api.create({"name": "Doomed"})
    response = api.request("POST", f"/{contact_id}/destroy")
    assert response.status_code == 204
    assert response.content == b""
    assert_error(api.request("GET", f"/{contact_id}"), 404, "NOT_FOUND")
    assert api.request("GET").json() == {"count": 0, "items": []}


def test_favorite_and_unfavorite(user: ApiUser) -> None:
    api = personal_for(user)
    contact_id = api.create({"name": "Fav"})
    response = api.request("POST", f"/{contact_id}/favorite")
    assert response.status_code == 200
    assert api.get(contact_id)["favorite"] is True
    [contact] = user.ok("contacts.get", {"contactIds": [contact_id]})["contacts"]
    assert contact["contactMetadata"]["favorite"] is True
    assert api.request("POST", f"/{contact_id}/unfavorite").status_code == 200
    assert api.get(contact_id)["favorite"] is False


def test_if_match_is_honoured(user: ApiUser) -> None:
    api = personal_for(user)
    contact_id = api.create({"name": "Etag"})
    etag = api.request("GET", f"/{contact_id}").headers["etag"]
    stale = api.request("POST", f"/{contact_id}", json={"name": "New"}, headers={"If-Match": etag})
    assert stale.status_code == 200
    error = assert_error(
        api.request("POST", f"/{contact_id}", json={"name": "Newer"}, headers={"If-Match": etag}),
        412,
        "PRECONDITION_FAILED",
    )
    assert error["detail"] == "If-Match"
    assert_error(
        api.request("POST", f"/{contact_id}/destroy", headers={"If-Match": etag}),
        412,
        "PRECONDITION_FAILED",
    )
    assert api.get(contact_id)["name"] == "New"
    fresh = api.request("GET", f"/{contact_id}").headers["etag"]
    response = api.request("POST", f"/{contact_id}/destroy", headers={"If-Match": fresh})
    assert response.status_code == 204


def test_wrong_method_is_405_in_this_shape(user: ApiUser) -> None:
    response = personal_for(user).request("DELETE", "/whatever")
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET, POST"


def test_unknown_path_is_404_in_this_shape(user: ApiUser) -> None:
    assert_error(personal_for(user).request("GET", "/a/b/c"), 404, "NOT_FOUND")


# -- auth ------------------------------------------------------------------------------


def test_no_or_bad_token_is_401(user: ApiUser) -> None:
    anonymous = user.client.get("/api/user/contacts")
    assert_error(anonymous, 401, "UNAUTHORIZED")
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    bad = PersonalClient(user.client, "rdx_at_not-a-token")
    assert_error(bad.request("GET"), 401, "UNAUTHORIZED")
    assert_error(
        user.client.get("/api/user/contacts", headers={"Authorization": "Basic abc"}),
        401,
        "UNAUTHORIZED",
    )


def test_an_api_key_works_as_bearer(user: ApiUser, services: Services) -> None:
    key = services.credentials.issue(user.account_id, frozenset({"contacts.read"}), kind=API_KEY)
    api = PersonalClient(user.client, key.secret)
    assert api.request("GET").status_code == 200


def test_revoked_key_stops_working(user: ApiUser, services: Services) -> None:
    key = services.credentials.issue(user.account_id, frozenset({"contacts.read"}), kind=API_KEY)
    api = PersonalClient(user.client, key.secret)
    assert services.credentials.revoke(user.account_id, key.credential_id)
    assert_error(api.request("GET"), 401, "UNAUTHORIZED")


def test_scopes_are_checked(make_user: Any) -> None:
    writer = personal_for(make_user())
    contact_id = writer.create({"name": "W"})
    reader = personal_for(make_user(scopes=frozenset({"contacts.read"})))
    assert reader.request("GET").status_code == 200
    assert_error(reader.request("POST", json={"name": "X"}), 403, "FORBIDDEN")
    assert_error(reader.request("POST", f"/{contact_id}/destroy"), 403, "FORBIDDEN")
    no_read = personal_for(make_user(scopes=frozenset({"contacts.write"})))
    assert_error(no_read.request("GET"), 403, "FORBIDDEN")
    assert_error(no_read.request("POST", "/sync_tokens"), 403, "FORBIDDEN")


# -- paging ----------------------------------------------------------------------------


def test_paging_with_skip_and_top(user: ApiUser) -> None:
    api = personal_for(user)
    ids = [api.create({"name": f"N{i}"}) for i in range(5)]
    page = api.request("GET", params={"skip": 1, "top": 2}).json()
    assert page["count"] == 5
    assert [c["id"] for c in page["items"]] == ids[1:3]
    last = api.request("GET", params={"skip": 4, "top": 2}).json()
    assert [c["id"] for c in last["items"]] == ids[4:]
    past = api.request("GET", params={"skip": 10}).json()
    assert past == {"count": 5, "items": []}
    assert [c["id"] for c in api.request("GET").json()["items"]] == ids


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"top": 0}, "top"),
        ({"top": 101}, "top"),
        ({"skip": -1}, "skip"),
        ({"top": "x"}, "top"),
        ({"skip": 10**30}, "skip"),
    ],
)
def test_paging_out_of_range_is_a_validation_error(
    user: ApiUser, params: dict[str, Any], field: str
) -> None:
    error = assert_error(personal_for(user).request("GET", params=params), 400, "VALIDATE_FAILED")
    assert error["detail"] == field


def test_top_defaults_to_100(user: ApiUser, services: Services) -> None:
    for i in range(101):
        services.contacts.create(user.account_id, {"displayName": f"C{i}"})
    page = personal_for(user).request("GET").json()
    assert page["count"] == 101
    assert len(page["items"]) == 100


@pytest.mark.parametrize("path", ["/%00", "/sync_tokens/%00/diff"])
def test_nul_characters_are_refused_not_crashed(user: ApiUser, path: str) -> None:
    api = personal_for(user)
    assert_error(api.request("GET" if "sync" not in path else "POST", path), 400, "VALIDATE_FAILED")
    assert_error(api.request("POST", json={"name": "a\u0000b"}), 400, "VALIDATE_FAILED")
