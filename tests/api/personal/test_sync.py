"""Sync tokens: `POST /api/user/contacts/sync_tokens`, then `.../sync_tokens/{token}/diff`."""

from __future__ import annotations

from typing import Any

from tests.conftest import ApiUser
from tests.dialects import PersonalClient, personal_for


def new_token(api: PersonalClient) -> str:
    response = api.request("POST", "/sync_tokens")
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def diff(api: PersonalClient, token: str) -> dict[str, Any]:
    response = api.request("POST", f"/sync_tokens/{token}/diff")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_diff_reports_creates_updates_and_deletes(user: ApiUser) -> None:
    api = personal_for(user)
    kept = api.create({"name": "Kept"})
    changed = api.create({"name": "Changed"})
    gone = api.create({"name": "Gone"})
    token = new_token(api)
    assert diff(api, token)["items"] == []

    added = api.create({"name": "Added"})
    api.update(changed, {"title": "Boss"})
    assert api.request("POST", f"/{gone}/destroy").status_code == 204
    transient = api.create({"name": "Transient"})
    assert api.request("POST", f"/{transient}/destroy").status_code == 204

    result = diff(api, token)
    by_id = {item["id"]: item for item in result["items"]}
    assert set(by_id) == {added, changed, gone}
    assert kept not in by_id
    assert by_id[added]["change_type"] == "CREATED"
    assert by_id[added]["name"] == "Added"
    assert by_id[changed]["change_type"] == "UPDATED"
    assert by_id[changed]["title"] == "Boss"
    assert by_id[gone]["change_type"] == "DELETED"
    assert result["token"] != token

    # The new token starts where this diff stopped; the old one still answers the same.
    assert diff(api, result["token"])["items"] == []
    assert {i["id"] for i in diff(api, token)["items"]} == {added, changed, gone}


def test_a_contact_created_then_updated_is_created(user: ApiUser) -> None:
    api = personal_for(user)
    token = new_token(api)
    contact_id = api.create({"name": "New"})
    api.update(contact_id, {"notes": "x"})
    api.request("POST", f"/{contact_id}/favorite")
    [item] = diff(api, token)["items"]
    assert item["id"] == contact_id
    assert item["change_type"] == "CREATED"
    assert item["notes"] == "x"
    assert item["favorite"] is True


def test_changes_through_other_apis_are_in_the_diff(user: ApiUser) -> None:
    api = personal_for(user)
    token = new_token(api)
    contact = user.create({"displayName": "From Contacts+"})
    [item] = diff(api, token)["items"]
    assert item["id"] == contact["contactId"]
    assert item["change_type"] == "CREATED"


def test_unknown_token_is_403(user: ApiUser) -> None:
    response = personal_for(user).request("POST", "/sync_tokens/not-a-token/diff")
    assert response.status_code == 403
    [error] = response.json()["errors"]
    assert error["code"] == "FORBIDDEN"


def test_another_accounts_token_is_unknown(make_user: Any) -> None:
    first, second = personal_for(make_user()), personal_for(make_user())
    token = new_token(first)
    second.create({"name": "Private"})
    response = second.request("POST", f"/sync_tokens/{token}/diff")
    assert response.status_code == 403
    assert diff(first, token)["items"] == []
