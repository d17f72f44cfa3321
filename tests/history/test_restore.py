"""Restoring a kept version: the etag rule, tags, and a restore that can be undone in turn."""

from __future__ import annotations

from typing import Any

from tests.conftest import ApiUser


def _update(user: ApiUser, contact: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    body = {
        "contact": {"contactId": contact["contactId"], "etag": contact["etag"], "contactData": data}
    }
    return dict(user.ok("contacts.update", body)["contact"])


def _versions(user: ApiUser, contact_id: str) -> list[dict[str, Any]]:
    return list(user.ok("contacts.getHistory", {"contactId": contact_id})["versions"])


def test_restore_brings_back_the_version_as_a_new_write(user: ApiUser) -> None:
    first = user.create({"notes": "first"})
    second = _update(user, first, {"notes": "second"})
    [old] = _versions(user, first["contactId"])
    restored = user.ok(
        "contacts.restoreVersion",
        {"contactId": first["contactId"], "versionId": old["versionId"], "etag": second["etag"]},
    )["contact"]
    assert restored["contactData"] == {"notes": "first"}
    assert restored["etag"] not in (first["etag"], second["etag"])


def test_restore_over_a_changed_contact_is_a_conflict_unless_forced(user: ApiUser) -> None:
    first = user.create({"notes": "first"})
    second = _update(user, first, {"notes": "second"})
    [old] = _versions(user, first["contactId"])
    body = {"contactId": first["contactId"], "versionId": old["versionId"], "etag": first["etag"]}
    response = user.call("contacts.restoreVersion", body)
    assert response.status_code == 409
    assert response.json()["error"]["field"] == "etag"
    [still] = user.ok("contacts.get", {"contactIds": [first["contactId"]]})["contacts"]
    assert still["etag"] == second["etag"]
    forced = user.ok("contacts.restoreVersion", {**body, "force": True})["contact"]
    assert forced["contactData"] == {"notes": "first"}


def test_a_restore_is_itself_a_version_that_can_be_restored(user: ApiUser) -> None:
    first = user.create({"notes": "first"})
    second = _update(user, first, {"notes": "second"})
    [old] = _versions(user, first["contactId"])
    restored = user.ok(
        "contacts.restoreVersion",
        {"contactId": first["contactId"], "versionId": old["versionId"], "etag": second["etag"]},
    )["contact"]
    newest = _versions(user, first["contactId"])[0]
    assert newest["contactData"] == {"notes": "second"}
    back = user.ok(
        "contacts.restoreVersion",
        {
            "contactId": first["contactId"],
            "versionId": newest["versionId"],
            "etag": restored["etag"],
        },
    )["contact"]
    assert back["contactData"] == {"notes": "second"}


def test_bad_input_names_the_field(user: ApiUser) -> None:
    contact = user.create({"notes": "x"})
    cases = [
        ({"contactId": contact["contactId"], "versionId": "abc", "etag": "e"}, "versionId"),
        ({"contactId": contact["contactId"], "versionId": "1"}, "etag"),
        ({"contactId": contact["contactId"], "versionId": "99999999", "etag": "e"}, "versionId"),
    ]
    for body, field in cases:
        response = user.call("contacts.restoreVersion", body)
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["error"]["field"] == field


def test_restore_needs_the_write_scope(make_user: Any) -> None:
    reader = make_user(frozenset({"contacts.read"}))
    response = reader.call(
        "contacts.restoreVersion", {"contactId": "c_x", "versionId": "1", "etag": "e"}
    )
    assert response.status_code == 403
