"""A refused REST write leaves nothing behind: no tag, no contact change, no change, no event.

Create, `PUT`, tag add and remove, and delete are each one transaction: tags named in the
request are made inside it, so a 400, 404 or 412 rolls them back with the rest. (The
REST API answers no write with 409.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rolodex.services import Services
from tests.api.leftovers import Watch, contacts_limit
from tests.conftest import ApiUser
from tests.dialects import RestClient, rest_for

STALE = {"If-Match": '"stale-etag"'}
UNKNOWN = "/c_unknown"


@pytest.fixture
def rest(user: ApiUser, services: Services) -> RestClient:
    return rest_for(user, services)


@pytest.fixture
def watch(user: ApiUser, services: Services) -> Watch:
    return Watch(services, user.account_id)


@pytest.fixture
def contact(rest: RestClient) -> dict[str, Any]:
    return rest.create({"name": "Ada", "phoneNumber": "1", "tags": ["old"]})


@pytest.fixture(autouse=True)
def _before(watch: Watch, contact: dict[str, Any]) -> None:
    watch.mark()


def test_the_traces_show_a_write_that_goes_through(
    rest: RestClient, watch: Watch, contact: dict[str, Any]
) -> None:
    """The check can fail: an accepted write with a new tag changes every trace."""
    rest.put(contact["id"], {"name": "Ada", "phoneNumber": "1", "tags": ["brand new"]})
    watch.assert_written()


def test_create_with_a_blank_tag_name_makes_no_tag(rest: RestClient, watch: Watch) -> None:
    body = {"name": "B", "phoneNumber": "2", "tags": ["fresh", "   "]}
    watch.refused(rest.request("POST", json=body), 400)


def test_create_with_a_bad_field_makes_no_tag(rest: RestClient, watch: Watch) -> None:
    body = {"name": "B", "phoneNumber": "2", "stage": "nope", "tags": ["fresh"]}
    watch.refused(rest.request("POST", json=body), 400)


@pytest.fixture
def book_full(services: Services, contact: dict[str, Any]) -> Iterator[None]:
    """The owner's address book holds as many contacts as it may (one: the `contact`)."""
    with contacts_limit(services, 1):
        yield


@pytest.mark.usefixtures("book_full")
def test_create_past_the_contact_limit_makes_no_tag(rest: RestClient, watch: Watch) -> None:
    body = {"name": "B", "phoneNumber": "2", "tags": ["fresh"]}
    watch.refused(rest.request("POST", json=body), 400)


def test_put_with_a_stale_if_match_makes_no_tag(
    rest: RestClient, watch: Watch, contact: dict[str, Any]
) -> None:
    body = {"name": "Changed", "phoneNumber": "9", "tags": ["fresh", "other"]}
    watch.refused(rest.request("PUT", f"/{contact['id']}", json=body, headers=STALE), 412)


def test_put_of_an_unknown_contact_makes_no_tag(rest: RestClient, watch: Watch) -> None:
    body = {"name": "Changed", "phoneNumber": "9", "tags": ["fresh"]}
    watch.refused(rest.request("PUT", UNKNOWN, json=body), 404)


def test_put_with_a_blank_tag_name_makes_no_tag(
    rest: RestClient, watch: Watch, contact: dict[str, Any]
) -> None:
    body = {"name": "Changed", "phoneNumber": "9", "tags": ["fresh", " "]}
    watch.refused(rest.request("PUT", f"/{contact['id']}", json=body), 400)


def test_put_with_a_bad_body_changes_nothing(
    rest: RestClient, watch: Watch, contact: dict[str, Any]
) -> None:
    body = {"name": "Changed", "tags": ["fresh"]}
    watch.refused(rest.request("PUT", f"/{contact['id']}", json=body), 400)


# Adding "fresh" would make that tag; removing "old" would take it off the contact.
TAG_CHANGES = [("add", ["fresh"]), ("remove", ["old"])]


@pytest.mark.parametrize(("action", "tags"), TAG_CHANGES)
def test_a_tag_change_with_a_stale_if_match_changes_nothing(
    rest: RestClient, watch: Watch, contact: dict[str, Any], action: str, tags: list[str]
) -> None:
    path = f"/{contact['id']}/tags/{action}"
    watch.refused(rest.request("POST", path, json={"tags": tags}, headers=STALE), 412)


@pytest.mark.parametrize(("action", "tags"), TAG_CHANGES)
def test_a_tag_change_of_an_unknown_contact_changes_nothing(
    rest: RestClient, watch: Watch, action: str, tags: list[str]
) -> None:
    watch.refused(rest.request("POST", f"{UNKNOWN}/tags/{action}", json={"tags": tags}), 404)


def test_tag_add_with_a_blank_name_makes_no_tag(
    rest: RestClient, watch: Watch, contact: dict[str, Any]
) -> None:
    body = {"tags": ["fresh", "  "]}
    watch.refused(rest.request("POST", f"/{contact['id']}/tags/add", json=body), 400)


def test_tag_remove_with_a_bad_body_changes_nothing(
    rest: RestClient, watch: Watch, contact: dict[str, Any]
) -> None:
    watch.refused(rest.request("POST", f"/{contact['id']}/tags/remove", json={}), 400)


def test_delete_with_a_stale_if_match_changes_nothing(
    rest: RestClient, watch: Watch, contact: dict[str, Any]
) -> None:
    watch.refused(rest.request("DELETE", f"/{contact['id']}", headers=STALE), 412)


def test_delete_of_an_unknown_contact_changes_nothing(rest: RestClient, watch: Watch) -> None:
    watch.refused(rest.request("DELETE", UNKNOWN), 404)
