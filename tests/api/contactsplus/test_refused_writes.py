"""A refused Contacts+ write leaves nothing behind: no tag, no contact change, no change, no event.

Every write method is one service call in one transaction, so a 400, 404 or 409 leaves
every trace of the owner as it was, whatever the method had done before it was refused
(`contacts.manageTags` with one unknown id among good ones, say).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from rolodex.services import Services
from tests.api.leftovers import Watch, contacts_limit
from tests.conftest import ApiUser
from tests.photos.factories import image_bytes


@pytest.fixture
def contact(user: ApiUser) -> dict[str, Any]:
    return user.create({"displayName": "Ada", "emails": [{"value": "ada@example.com"}]})


@pytest.fixture
def tag(user: ApiUser) -> dict[str, Any]:
    return dict(user.ok("tags.create", {"tag": {"tagData": {"name": "old"}}})["tag"])


@pytest.fixture
def watch(user: ApiUser, services: Services, contact: dict[str, Any], tag: dict[str, Any]) -> Watch:
    return Watch.marked_now(services, user.account_id)


def test_the_traces_show_a_write_that_goes_through(
    user: ApiUser, watch: Watch, contact: dict[str, Any]
) -> None:
    """The check can fail: a new tag put on a contact changes every trace."""
    made = user.ok("tags.create", {"tag": {"tagData": {"name": "new"}}})["tag"]
    body = {"contactIds": [contact["contactId"]], "addTagIds": [made["tagId"]]}
    user.ok("contacts.manageTags", body)
    watch.assert_written()


def test_create_with_bad_contact_data_changes_nothing(user: ApiUser, watch: Watch) -> None:
    body = {"contact": {"contactData": {"displayName": "B", "emails": "not a list"}}}
    watch.refused(user.call("contacts.create", body), 400)


@pytest.fixture
def book_full(services: Services, watch: Watch) -> Iterator[None]:
    """The owner's address book holds as many contacts as it may (one)."""
    with contacts_limit(services, 1):
        yield


@pytest.mark.usefixtures("book_full")
def test_create_past_the_contact_limit_changes_nothing(user: ApiUser, watch: Watch) -> None:
    body = {"contact": {"contactData": {"displayName": "B"}}}
    watch.refused(user.call("contacts.create", body), 400)


def _update(contact: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"contact": {**contact, "contactData": {"displayName": "Changed"}, **changes}}


def test_update_without_an_etag_changes_nothing(
    user: ApiUser, watch: Watch, contact: dict[str, Any]
) -> None:
    watch.refused(user.call("contacts.update", _update(contact, etag=None)), 400)


def test_update_of_an_unknown_contact_changes_nothing(
    user: ApiUser, watch: Watch, contact: dict[str, Any]
) -> None:
    watch.refused(user.call("contacts.update", _update(contact, contactId="c_unknown")), 404)


def test_update_with_a_stale_etag_changes_nothing(
    user: ApiUser, watch: Watch, contact: dict[str, Any]
) -> None:
    watch.refused(user.call("contacts.update", _update(contact, etag="stale")), 409)


# Each delete method, the field naming what it deletes, and an id nobody has.
DELETES = [("contacts.delete", "contactId", "c_unknown"), ("tags.delete", "tagId", "tg_unknown")]


@pytest.mark.parametrize(("method", "field", "unknown"), DELETES)
@pytest.mark.parametrize("stale", [False, True], ids=["unknown id", "stale etag"])
def test_a_delete_of_an_unknown_id_or_with_a_stale_etag_changes_nothing(
    user: ApiUser,
    watch: Watch,
    contact: dict[str, Any],
    tag: dict[str, Any],
    method: str,
    field: str,
    unknown: str,
    stale: bool,
) -> None:
    target = contact if field == "contactId" else tag
    if stale:
        watch.refused(user.call(method, {field: target[field], "etag": "stale"}), 409)
    else:
        watch.refused(user.call(method, {field: unknown, "etag": target["etag"]}), 404)


def test_manage_tags_with_one_unknown_tag_changes_nothing(
    user: ApiUser, watch: Watch, contact: dict[str, Any], tag: dict[str, Any]
) -> None:
    body = {"contactIds": [contact["contactId"]], "addTagIds": [tag["tagId"], "tg_unknown"]}
    watch.refused(user.call("contacts.manageTags", body), 400)


def test_manage_tags_with_one_unknown_contact_changes_nothing(
    user: ApiUser, watch: Watch, contact: dict[str, Any], tag: dict[str, Any]
) -> None:
    body = {"contactIds": [contact["contactId"], "c_unknown"], "addTagIds": [tag["tagId"]]}
    watch.refused(user.call("contacts.manageTags", body), 400)


def test_change_owner_outside_a_team_changes_nothing(
    user: ApiUser, watch: Watch, contact: dict[str, Any]
) -> None:
    body = {"contactIds": [contact["contactId"]], "ownerId": user.account_id}
    watch.refused(user.call("contacts.changeOwner", body), 400)


def test_tag_create_with_a_blank_name_changes_nothing(user: ApiUser, watch: Watch) -> None:
    watch.refused(user.call("tags.create", {"tag": {"tagData": {"name": "   "}}}), 400)


def _rename(tag: dict[str, Any], name: str, **changes: Any) -> dict[str, Any]:
    return {
        "tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": name}, **changes}
    }


def test_tag_rename_of_an_unknown_tag_changes_nothing(
    user: ApiUser, watch: Watch, tag: dict[str, Any]
) -> None:
    watch.refused(user.call("tags.update", _rename(tag, "new", tagId="tg_unknown")), 404)


def test_tag_rename_with_a_stale_etag_changes_nothing(
    user: ApiUser, watch: Watch, tag: dict[str, Any]
) -> None:
    watch.refused(user.call("tags.update", _rename(tag, "new", etag="stale")), 409)


def test_tag_rename_to_a_taken_name_changes_nothing(
    user: ApiUser, services: Services, tag: dict[str, Any]
) -> None:
    other = user.ok("tags.create", {"tag": {"tagData": {"name": "other"}}})["tag"]
    watch = Watch.marked_now(services, user.account_id)
    watch.refused(
        user.call("tags.update", _rename(other, f" {tag['tagData']['name'].upper()} ")), 409
    )


def _upload(user: ApiUser, target: dict[str, Any]) -> Any:
    files = {
        "contact.json": (None, orjson.dumps(target), "application/json"),
        "image.png": ("image.png", image_bytes("PNG"), "application/octet-stream"),
    }
    return user.client.post(
        "/api/v1/contacts.uploadPhoto",
        files=files,
        headers={"Authorization": f"Bearer {user.token}"},
    )


def test_photo_upload_to_an_unknown_contact_changes_nothing(user: ApiUser, watch: Watch) -> None:
    watch.refused(_upload(user, {"contactId": "c_unknown"}), 404)


def test_photo_upload_with_a_stale_etag_changes_nothing(
    user: ApiUser, watch: Watch, contact: dict[str, Any]
) -> None:
    watch.refused(_upload(user, {"contactId": contact["contactId"], "etag": "stale"}), 409)
