"""A refused personal-API write leaves nothing behind: no contact change, no change, no event.

Create, update, destroy, favorite and unfavorite are each one service call in one
transaction; a 400, 404 or 412 leaves every trace of the owner as it was. (The personal
API answers no contact write with 409.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
    watch = Watch(services, user.account_id)
    watch.mark()
    return watch


def refused(watch: Watch, response: Any, status: int) -> None:
    """The request was answered `status`, and every trace of the owner is as it was."""
    assert response.status_code == status, response.text
    watch.assert_unchanged()


def test_the_traces_show_a_write_that_goes_through(
    personal: PersonalClient, watch: Watch, contact_id: str
) -> None:
    """The check can fail: an accepted update changes the contact, the log and the events."""
    personal.update(contact_id, {"company": "Analytical Engines"})
    before, after = watch.marked, watch.traces()
    assert before is not None
    assert after.contacts != before.contacts
    assert after.last_change > before.last_change
    assert len(after.events) > len(before.events)


def test_create_with_a_bad_field_changes_nothing(personal: PersonalClient, watch: Watch) -> None:
    refused(watch, personal.request("POST", json={"name": "B", "email": "not an email"}), 400)


@pytest.fixture
def book_full(services: Services, watch: Watch) -> Iterator[None]:
    """The owner's address book holds as many contacts as it may (one)."""
    with contacts_limit(services, 1):
        yield


@pytest.mark.usefixtures("book_full")
def test_create_past_the_contact_limit_changes_nothing(
    personal: PersonalClient, watch: Watch
) -> None:
    refused(watch, personal.request("POST", json={"name": "B"}), 400)


def test_update_with_a_bad_field_changes_nothing(
    personal: PersonalClient, watch: Watch, contact_id: str
) -> None:
    body = {"company": "New", "name": ""}
    refused(watch, personal.request("POST", f"/{contact_id}", json=body), 400)


def test_update_of_an_unknown_contact_changes_nothing(
    personal: PersonalClient, watch: Watch
) -> None:
    refused(watch, personal.request("POST", UNKNOWN, json={"company": "New"}), 404)


def test_update_with_a_stale_if_match_changes_nothing(
    personal: PersonalClient, watch: Watch, contact_id: str
) -> None:
    response = personal.request("POST", f"/{contact_id}", json={"company": "New"}, headers=STALE)
    refused(watch, response, 412)


@pytest.mark.parametrize("action", ["destroy", "favorite", "unfavorite"])
def test_an_action_on_an_unknown_contact_changes_nothing(
    personal: PersonalClient, watch: Watch, action: str
) -> None:
    refused(watch, personal.request("POST", f"{UNKNOWN}/{action}"), 404)


@pytest.mark.parametrize("action", ["destroy", "favorite", "unfavorite"])
def test_an_action_with_a_stale_if_match_changes_nothing(
    personal: PersonalClient, watch: Watch, contact_id: str, action: str
) -> None:
    refused(watch, personal.request("POST", f"/{contact_id}/{action}", headers=STALE), 412)
