"""Pages are capped by bytes as well as by count (issue 20, "Responses without a size cap").

A page with a cursor ends early and hands out a cursor for the rest; a page by number
(REST `page`/`limit`, personal `skip`/`top`) over the budget is a 400 that says how many
fit. The budget is lowered here so that a few contacts of 20 kB fill a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import personal_for, rest_for

BUDGET = 64 * 1024
# Stored, one such contact counts a little over 20 kB: three fit in the budget, four do not.
NOTES = "lorem ipsum dolor " * 1100


@pytest.fixture
def small_pages(services: Services) -> Iterator[None]:
    limits = services.contacts.limits
    services.contacts.limits = replace(limits, page_max_bytes=BUDGET)
    try:
        yield
    finally:
        services.contacts.limits = limits


def make_big(user: ApiUser, count: int) -> list[str]:
    return [
        user.create({"name": {"givenName": f"Big {i:02d}"}, "notes": NOTES})["contactId"]
        for i in range(count)
    ]


def walk(user: ApiUser, method: str, body: dict[str, Any]) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    while True:
        page = user.ok(method, {**body, "scrollCursor": cursor})
        pages.append([c["contactId"] for c in page["contacts"]])
        if "cursor" not in page:
            return pages
        assert page["contacts"], "a page with a cursor is never empty"
        cursor = page["cursor"]


@pytest.mark.usefixtures("small_pages")
@pytest.mark.parametrize(
    ("method", "body"),
    [("contacts.scroll", {"size": 10}), ("contacts.search", {"size": 10, "searchQuery": "lorem"})],
)
def test_a_full_page_ends_early_with_a_cursor_and_the_walk_sees_each_once(
    user: ApiUser, method: str, body: dict[str, Any]
) -> None:
    made = make_big(user, 10)
    pages = walk(user, method, body)
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    seen = [c for p in pages for c in p]
    assert sorted(seen) == sorted(made)
    assert len(set(seen)) == len(made)


@pytest.mark.usefixtures("small_pages")
def test_a_page_with_deleted_contacts_counts_what_it_shows(user: ApiUser) -> None:
    made = make_big(user, 5)
    for contact_id in made[:2]:
        etag = user.ok("contacts.get", {"contactIds": [contact_id]})["contacts"][0]["etag"]
        user.ok("contacts.delete", {"contactId": contact_id, "etag": etag})
    pages = walk(user, "contacts.scroll", {"size": 10})
    assert [c for p in pages for c in p] == made[2:]


def test_a_contact_bigger_than_the_budget_comes_alone(user: ApiUser, services: Services) -> None:
    made = make_big(user, 3)
    limits = services.contacts.limits
    services.contacts.limits = replace(limits, page_max_bytes=1024)
    try:
        pages = walk(user, "contacts.scroll", {"size": 10})
        search = walk(user, "contacts.search", {"size": 10, "searchQuery": "lorem"})
    finally:
        services.contacts.limits = limits
    assert pages == [[c] for c in made]
    assert sorted(c for p in search for c in p) == sorted(made)
    assert all(len(p) == 1 for p in search)


def test_under_the_budget_a_page_is_cut_by_count_only(user: ApiUser) -> None:
    made = make_big(user, 10)
    assert walk(user, "contacts.scroll", {"size": 10}) == [made]


@pytest.mark.usefixtures("small_pages")
def test_a_rest_page_over_the_budget_is_a_400_saying_how_many_fit(
    user: ApiUser, services: Services
) -> None:
    make_big(user, 5)
    rest = rest_for(user, services)
    response = rest.request("GET", params={"limit": "5"})
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    assert "limit" in message
    assert "at most 3" in message
    assert len(rest.request("GET", params={"limit": "3"}).json()) == 3
    assert len(rest.request("GET", params={"limit": "3", "page": "2"}).json()) == 2
    searched = rest.request("GET", params={"limit": "5", "searchText": "lorem"})
    assert searched.status_code == 400
    assert "at most 3" in searched.json()["message"]


@pytest.mark.usefixtures("small_pages")
def test_a_personal_page_over_the_budget_is_a_400_saying_how_many_fit(user: ApiUser) -> None:
    make_big(user, 5)
    personal = personal_for(user)
    response = personal.request("GET", params={"top": "5"})
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert error["code"] == "VALIDATE_FAILED"
    assert error["detail"] == "top"
    assert "at most 3" in error["message"]
    page = personal.request("GET", params={"top": "3", "skip": "3"}).json()
    assert len(page["items"]) == 2
    assert page["count"] == 5
