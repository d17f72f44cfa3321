"""Bad requests: every one is a 4xx in the one error shape, and none writes anything."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import ApiUser


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return dict(body["error"])


def count_contacts(user: ApiUser) -> int:
    return len(
        user.ok("contacts.scroll", {"size": 1000, "includeDeletedContacts": True})["contacts"]
    )


def test_unknown_method_is_a_404(user: ApiUser) -> None:
    response = user.call("contacts.frobnicate", {})
    assert response.status_code == 404
    assert error_of(response)["code"] == "unknown_method"


@pytest.mark.parametrize("verb", ["GET", "PUT", "DELETE", "PATCH"])
def test_methods_other_than_post_are_a_405(user: ApiUser, verb: str) -> None:
    response = user.client.request(
        verb, "/api/v1/contacts.get", headers={"Authorization": f"Bearer {user.token}"}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert error_of(response)["code"] == "method_not_allowed"


def test_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_body_that_is_not_json_is_a_400(user: ApiUser) -> None:
    response = user.client.post(
        "/api/v1/contacts.create",
        content=b'{"contact": ',
        headers={"Authorization": f"Bearer {user.token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


def test_a_body_of_another_content_type_is_a_415(user: ApiUser) -> None:
    response = user.client.post(
        "/api/v1/contacts.create",
        content=b"contact=1",
        headers={
            "Authorization": f"Bearer {user.token}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 415


def test_an_empty_body_is_read_as_an_empty_object(user: ApiUser) -> None:
    response = user.client.post(
        "/api/v1/account.get", headers={"Authorization": f"Bearer {user.token}"}
    )
    assert response.status_code == 200


def test_a_body_over_the_limit_is_a_413_and_writes_nothing(user: ApiUser) -> None:
    before = count_contacts(user)
    huge = {"contact": {"contactData": {"notes": "x" * 2_000_000}}}
    response = user.call("contacts.create", huge)
    assert response.status_code == 413
    assert error_of(response)["code"] == "body_too_large"
    assert count_contacts(user) == before


def test_deeply_nested_json_is_a_400(user: ApiUser) -> None:
    nested = "[" * 5000 + "]" * 5000
    response = user.client.post(
        "/api/v1/contacts.create",
        content=('{"contact": ' + nested + "}").encode(),
        headers={"Authorization": f"Bearer {user.token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], None),
        ("a string", None),
        ({"contact": None}, "contact"),
        ({"contact": []}, "contact"),
        ({}, "contact"),
        ({"contact": {"contactData": {"name": "Ann"}}}, "contact.contactData.name"),
        (
            {"contact": {"contactData": {"emails": [{"value": 5}]}}},
            "contact.contactData.emails.0.value",
        ),
        (
            {"contact": {"contactData": {"emails": {"value": "a@b.c"}}}},
            "contact.contactData.emails",
        ),
        (
            {"contact": {"contactData": {"birthday": {"month": 13}}}},
            "contact.contactData.birthday.month",
        ),
        (
            {"contact": {"contactData": {"birthday": {"day": "1"}}}},
            "contact.contactData.birthday.day",
        ),
        ({"contact": {"contactData": {"nickname": "Al"}}}, "contact.contactData.nickname"),
        ({"contact": {"contactData": {"notes": "x" * 70_000}}}, "contact.contactData.notes"),
        (
            {"contact": {"contactData": {"name": {"givenName": "x" * 1025}}}},
            "contact.contactData.name.givenName",
        ),
        (
            {"contact": {"contactData": {"emails": [{"value": "a"}] * 101}}},
            "contact.contactData.emails",
        ),
        ({"contact": {"contactData": {}}, "extra": 1}, "extra"),
        ({"contact": {"contactData": {"displayName": "a\x00b"}}}, None),
        ({"contact": {"contactData": {}}, "teamId": 7}, "teamId"),
    ],
)
def test_invalid_create_bodies_are_400s_naming_the_field(
    user: ApiUser, body: Any, field: str | None
) -> None:
    before = count_contacts(user)
    response = user.call("contacts.create", body)
    assert response.status_code == 400, response.text
    error = error_of(response)
    if field is not None:
        assert error["field"] == field
        assert error["details"][0]["field"] == field
    assert count_contacts(user) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contactIds": []}, "contactIds"),
        ({"contactIds": "c_1"}, "contactIds"),
        ({"contactIds": [1]}, "contactIds.0"),
        ({"contactIds": None}, "contactIds"),
        ({"contactIds": ["x" * 65]}, "contactIds.0"),
    ],
)
def test_invalid_get_bodies_are_400s(user: ApiUser, body: Any, field: str | None) -> None:
    response = user.call("contacts.get", body)
    assert response.status_code == 400
    assert error_of(response)["field"] == field


def test_too_many_ids_in_one_get_is_a_400(user: ApiUser) -> None:
    response = user.call("contacts.get", {"contactIds": [f"c{i}" for i in range(1001)]})
    assert response.status_code == 400
    assert error_of(response)["field"] == "contactIds"


@pytest.mark.parametrize("value", [True, "10", 1.5])
def test_scroll_size_must_be_an_integer(user: ApiUser, value: object) -> None:
    response = user.call("contacts.scroll", {"size": value})
    assert response.status_code == 400
    assert error_of(response)["field"] == "size"
