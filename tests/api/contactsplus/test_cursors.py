"""Cursors are opaque and authenticated: a forged, changed or foreign one is a 400, never a 500.

Each case of issue 20 ("Forged input reaches a 500"), through every Contacts+ method
that pages with a cursor, on both stores.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from rolodex.services import Services
from tests.conftest import ApiUser


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# base64 of `s1:9223372036854775808`, one past SQLite's largest integer (the case).
OVERFLOW = "czE6OTIyMzM3MjAzNjg1NDc3NTgwOA"
FORGED = [
    OVERFLOW,
    b64("s1:\uff15"),  # a full-width 5, which int() reads
    b64("s1:1"),  # the old unsigned form of a real position
    b64("s1:-1"),
    b64("s1:1_000"),
    b64("q1:0:99999999999999999999:0123456789ab"),
    b64("s1:1\x00"),
    b64("x" * 40),
    "",
    "A" * 256,
    "not base64 at all!",
]

# (method, cursor field sent, field the error names, the rest of the body)
PAGING = [
    ("contacts.scroll", "scrollCursor", "scrollCursor", {}),
    ("contacts.search", "searchCursor", "searchCursor", {"searchQuery": "p"}),
    ("contacts.search", "scrollCursor", "searchCursor", {"searchQuery": "p"}),
    ("tags.scroll", "scrollCursor", "scrollCursor", {}),
]


def assert_refused(response: Any, field: str) -> None:
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert error["code"] == "invalid_request"
    assert "cursor" in error["message"]


def first_cursor(user: ApiUser, method: str, body: dict[str, Any]) -> str:
    page = user.ok(method, {"size": 1, **body})
    assert "cursor" in page, page
    return str(page["cursor"])


def fill(user: ApiUser) -> None:
    for i in range(3):
        user.create({"name": {"givenName": f"Pat {i}"}})
        user.ok("tags.create", {"tag": {"tagData": {"name": f"tag {i}"}}})


@pytest.mark.parametrize("cursor", FORGED)
@pytest.mark.parametrize(("method", "sent", "field", "body"), PAGING)
def test_a_forged_cursor_is_a_400_before_any_query(
    user: ApiUser, method: str, sent: str, field: str, body: dict[str, Any], cursor: str
) -> None:
    fill(user)
    assert_refused(user.call(method, {**body, sent: cursor}), field)


@pytest.mark.parametrize(("method", "sent", "field", "body"), PAGING)
def test_a_cursor_of_another_account_is_a_400(
    make_user: Any, method: str, sent: str, field: str, body: dict[str, Any]
) -> None:
    alice, bob = make_user(), make_user()
    fill(alice)
    fill(bob)
    cursor = first_cursor(alice, method, body)
    assert_refused(bob.call(method, {**body, sent: cursor}), field)
    # Alice's own cursor still works.
    assert alice.call(method, {**body, sent: cursor}).status_code == 200


@pytest.mark.parametrize(
    ("issued_by", "issued_body", "used_by", "used_body", "sent", "field"),
    [
        ("tags.scroll", {}, "contacts.scroll", {}, "scrollCursor", "scrollCursor"),
        ("contacts.scroll", {}, "tags.scroll", {}, "scrollCursor", "scrollCursor"),
        (
            "contacts.scroll",
            {},
            "contacts.search",
            {"searchQuery": "p"},
            "searchCursor",
            "searchCursor",
        ),
        (
            "contacts.search",
            {"searchQuery": "p"},
            "contacts.scroll",
            {},
            "scrollCursor",
            "scrollCursor",
        ),
    ],
)
def test_a_cursor_of_another_method_is_a_400(
    user: ApiUser,
    issued_by: str,
    issued_body: dict[str, Any],
    used_by: str,
    used_body: dict[str, Any],
    sent: str,
    field: str,
) -> None:
    fill(user)
    cursor = first_cursor(user, issued_by, issued_body)
    assert_refused(user.call(used_by, {**used_body, sent: cursor}), field)


@pytest.mark.parametrize(("method", "sent", "field", "body"), PAGING)
def test_a_changed_cursor_is_a_400(
    user: ApiUser, method: str, sent: str, field: str, body: dict[str, Any]
) -> None:
    fill(user)
    cursor = first_cursor(user, method, body)
    for at in (0, len(cursor) // 2, len(cursor) - 2):
        changed = cursor[:at] + ("B" if cursor[at] != "B" else "C") + cursor[at + 1 :]
        assert_refused(user.call(method, {**body, sent: changed}), field)
    assert_refused(user.call(method, {**body, sent: cursor[:-4]}), field)
    assert_refused(user.call(method, {**body, sent: cursor + "AAAA"}), field)


@pytest.mark.parametrize("position", ["0:9223372036854775808", "9223372036854775808:1", "0:\uff15"])
def test_an_unsigned_search_cursor_for_the_right_query_is_a_400(
    user: ApiUser, position: str
) -> None:
    """The issue's case: the old format, with the query's own fingerprint, overflowing."""
    fill(user)
    fingerprint = hashlib.sha256(b"p\x00").hexdigest()[:12]
    cursor = b64(f"q1:{position}:{fingerprint}")
    response = user.call("contacts.search", {"searchQuery": "p", "searchCursor": cursor})
    assert_refused(response, "searchCursor")


def test_a_cursor_does_not_show_the_internal_key(user: ApiUser, services: Services) -> None:
    made = [user.create({"name": {"givenName": f"K{i}"}})["contactId"] for i in range(2)]
    cursor = first_cursor(user, "contacts.scroll", {})
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    pk = services.contacts.get_one(user.account_id, made[0]).pk
    assert str(pk).encode() != raw[16:]
    assert b"s1:" not in raw


def test_the_search_cursor_still_belongs_to_its_query(user: ApiUser) -> None:
    fill(user)
    cursor = first_cursor(user, "contacts.search", {"searchQuery": "p"})
    response = user.call("contacts.search", {"searchQuery": "pat", "searchCursor": cursor})
    assert response.status_code == 400
    assert "another search" in response.json()["error"]["message"]
