"""Numbers in query strings are ASCII digits only (issue 20): anything else is a 400 naming it.

`int()` reads full-width and Devanagari digits, `1_000`, `+1` and ` 1`; the docs promise a number, so each of
those, and the empty string, is refused by the REST API (`page`, `limit`) and the personal
API (`skip`, `top`) in their own error shapes.
"""

from __future__ import annotations

import pytest

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import personal_for, rest_for

NOT_NUMBERS = [
    "\uff11",
    "\u0967",
    "1_000",
    "",
    "+1",
    " 1",
    "1 ",
    "1.0",
    "0x1",
    "99999999999999999999",
]


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize("name", ["page", "limit"])
def test_rest_paging_numbers_are_digits_only(
    user: ApiUser, services: Services, name: str, value: str
) -> None:
    response = rest_for(user, services).request("GET", params={name: value})
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith(f"{name}: ")


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize("name", ["skip", "top"])
def test_personal_paging_numbers_are_digits_only(user: ApiUser, name: str, value: str) -> None:
    response = personal_for(user).request("GET", params={name: value})
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert error["code"] == "VALIDATE_FAILED"
    assert error["detail"] == name


def test_plain_digits_still_page(user: ApiUser, services: Services) -> None:
    for i in range(3):
        user.create({"name": {"givenName": f"N{i}"}})
    rest = rest_for(user, services)
    assert len(rest.request("GET", params={"page": "2", "limit": "2"}).json()) == 1
    page = personal_for(user).request("GET", params={"skip": "1", "top": "01"}).json()
    assert len(page["items"]) == 1
    assert page["count"] == 3


@pytest.mark.parametrize("query", ["-", "a -", "(a -)", "  -  "])
def test_a_dash_with_nothing_after_it_is_a_bad_query(
    user: ApiUser, services: Services, query: str
) -> None:
    response = user.call("contacts.search", {"searchQuery": query})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["field"] == "searchQuery"
    assert "- has nothing after it" in error["message"]
    rest = rest_for(user, services).request("GET", params={"searchText": query})
    assert rest.status_code == 400
    assert rest.json()["message"].startswith("searchText: ")
