"""Errors read as sentences in each API's own shape: no pydantic wording reaches a person."""

from __future__ import annotations

from typing import Any

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import api_key

PYDANTIC_WORDS = ("Input should", "valid dictionary", "instance of", "String should", "List should")


def _no_library_words(text: str) -> None:
    for words in PYDANTIC_WORDS:
        assert words not in text, text


def test_contactsplus_names_the_field_and_says_what_it_must_be(user: ApiUser) -> None:
    cases: list[tuple[dict[str, Any], str, str]] = [
        (
            {"contact": {"contactData": {"name": "x"}}},
            "contact.contactData.name",
            "must be an object",
        ),
        (
            {"contact": {"contactData": {"emails": "x"}}},
            "contact.contactData.emails",
            "must be a list",
        ),
        (
            {"contact": {"contactData": {"birthday": {"month": 13}}}},
            "contact.contactData.birthday.month",
            "must be at most 12",
        ),
        (
            {"contact": {"contactData": {"notes": "x" * 70_000}}},
            "contact.contactData.notes",
            "must be at most 65536 characters",
        ),
    ]
    for body, field, problem in cases:
        response = user.call("contacts.create", body)
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["message"] == f"{field}: {problem}"
        assert error["field"] == field
        _no_library_words(response.text)


def test_rest_and_personal_say_it_in_their_own_shapes(user: ApiUser, services: Services) -> None:
    key = api_key(services, user.account_id)
    rest = user.client.post("/v1/contacts", json={"name": ["x"]}, headers={"x-api-key": key})
    assert rest.status_code == 400
    assert rest.json() == {"message": "name: must be a string"}
    personal = user.client.post(
        "/api/user/contacts",
        json={"name": "", "email": 5},
        headers={"Authorization": f"Bearer {user.token}"},
    )
    assert personal.status_code == 400, personal.text
    [error] = personal.json()["errors"]
    assert error["detail"] == "name"
    assert error["message"] == "name: must not be empty"
    _no_library_words(rest.text + personal.text)


def test_the_personal_api_says_whether_the_token_was_missing_or_unknown(user: ApiUser) -> None:
    missing = user.client.get("/api/user/contacts")
    unknown = user.client.get(
        "/api/user/contacts", headers={"Authorization": "Bearer rdx_at_not-a-token"}
    )
    assert missing.status_code == unknown.status_code == 401
    assert "send an access token" in missing.json()["errors"][0]["message"]
    assert "unknown, expired or revoked" in unknown.json()["errors"][0]["message"]
