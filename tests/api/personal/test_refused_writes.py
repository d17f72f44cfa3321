"""A refused personal-API write leaves nothing behind: no contact change, no change, no event.

Create, update, destroy, favorite and unfavorite are each one service call in one
transaction; a 400, 404 or 412 leaves every trace of the owner as it was. (The personal
API answers no contact write with 409.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rolodex.services import Services
from tests.api.leftovers import Watch, contacts_limit
from tests.conftest import ApiUser
from tests.dialects import PersonalClient, personal_for

STALE = {"If-Match": '"stale-etag"'}
UNKNOWN = "/c_unknown"


@pytest.fixture
def personal(user: ApiUser) -> PersonalClient:
    return personal_for(user)


@pytest.fixture
def contact_id(personal: PersonalClient) -> str:
    return personal.create({"name": "Ada", "email": "ada@example.com"})


@pytest.fixture
def watch(user: ApiUser, services: Services, contact_id: str) -> Watch:
    return Watch.marked_now(services, user.account_id)


def test_the_traces_show_a_write_that_goes_through(
    personal: PersonalClient, watch: Watch, contact_id: str
) -> None:
    """The check can fail: an accepted update changes the contact, the log and the events."""
    personal.update(contact_id, {"company": "Analytical Engines"})
    watch.assert_written(tags=False)


def test_create_with_a_bad_field_changes_nothing(personal: PersonalClient, watch: Watch) -> None:
    watch.refused(personal.request("POST", json={"name": "B", "email": "not an email"}), 400)


@pytest.fixture
def book_full(services: Services, watch: Watch) -> Iterator[None]:
    """The owner's address book holds as many contacts as it may (one)."""
    with contacts_limit(services, 1):
        yield


@pytest.mark.usefixtures("book_full")
def test_create_past_the_contact_limit_changes_nothing(
    personal: PersonalClient, watch: Watch
) -> None:
    watch.refused(personal.request("POST", json={"name": "B"}), 400)


def test_update_with_a_bad_field_changes_nothing(
    personal: PersonalClient, watch: Watch, contact_id: str
) -> None:
    body = {"company": "New", "name": ""}
    watch.refused(personal.request("POST", f"/{contact_id}", json=body), 400)


def test_update_of_an_unknown_contact_changes_nothing(
    personal: PersonalClient, watch: Watch
) -> None:
    watch.refused(personal.request("POST", UNKNOWN, json={"company": "New"}), 404)


def test_update_with_a_stale_if_match_changes_nothing(
    personal: PersonalClient, watch: Watch, contact_id: str
) -> None:
    response = personal.request("POST", f"/{contact_id}", json={"company": "New"}, headers=STALE)
    watch.refused(response, 412)


@pytest.mark.parametrize("action", ["destroy", "favorite", "unfavorite"])
def test_an_action_on_an_unknown_contact_changes_nothing(
    personal: PersonalClient, watch: Watch, action: str
) -> None:
    watch.refused(personal.request("POST", f"{UNKNOWN}/{action}"), 404)


@pytest.mark.parametrize("action", ["destroy", "favorite", "unfavorite"])
def test_an_action_with_a_stale_if_match_changes_nothing(
    personal: PersonalClient, watch: Watch, contact_id: str, action: str
) -> None:
    watch.refused(personal.request("POST", f"/{contact_id}/{action}", headers=STALE), 412)
