"""contacts.scroll: paging with an opaque cursor, tombstones, and walks under concurrent writes."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import ApiUser, MakeUser


def walk(user: ApiUser, size: int, include_deleted: bool = False) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = user.ok(
            "contacts.scroll",
            {"size": size, "scrollCursor": cursor, "includeDeletedContacts": include_deleted},
        )
        seen.extend(page["contacts"])
        if "cursor" not in page:
            return seen
        cursor = page["cursor"]
        assert page["contacts"], "a page with a cursor is never empty"


def test_scroll_of_an_empty_book_is_an_empty_page_without_cursor(user: ApiUser) -> None:
    assert user.ok("contacts.scroll", {}) == {"contacts": []}


def test_pages_carry_a_cursor_only_while_more_remain(user: ApiUser) -> None:
    made = [user.create({"name": {"givenName": f"P{i}"}})["contactId"] for i in range(5)]
    first = user.ok("contacts.scroll", {"size": 2})
    assert len(first["contacts"]) == 2
    assert "cursor" in first
    exact = user.ok("contacts.scroll", {"size": 5})
    assert len(exact["contacts"]) == 5
    assert "cursor" not in exact
    assert [c["contactId"] for c in walk(user, 2)] == made


def test_default_page_size_is_100(user: ApiUser) -> None:
    for i in range(101):
        user.create({"name": {"givenName": f"N{i}"}})
    page = user.ok("contacts.scroll", {"size": None})
    assert len(page["contacts"]) == 100
    assert "cursor" in page


@pytest.mark.parametrize("size", [0, -1, 1001])
def test_size_out_of_range_is_a_400(user: ApiUser, size: int) -> None:
    response = user.call("contacts.scroll", {"size": size})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "size"


@pytest.mark.parametrize("cursor", ["garbage", "czE6LTE", "x" * 300, "!!!"])
def test_a_cursor_the_server_did_not_issue_is_a_400(user: ApiUser, cursor: str) -> None:
    response = user.call("contacts.scroll", {"scrollCursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "scrollCursor"


def test_deleted_contacts_appear_only_when_asked_and_marked(user: ApiUser) -> None:
    keep = user.create({"name": {"givenName": "Keep"}})
    gone = user.create({"name": {"givenName": "Gone"}})
    user.ok("contacts.delete", {"contactId": gone["contactId"], "etag": gone["etag"]})
    live = walk(user, 10)
    assert [c["contactId"] for c in live] == [keep["contactId"]]
    everything = walk(user, 10, include_deleted=True)
    assert [c["contactId"] for c in everything] == [keep["contactId"], gone["contactId"]]
    tombstone = everything[1]
    assert tombstone["deleted"] is True
    assert tombstone["contactData"] == {}
    assert "deleted" not in everything[0]


def test_a_walk_under_concurrent_writes_sees_each_surviving_contact_exactly_once(
    make_user: MakeUser, client: TestClient
) -> None:
    user = make_user()
    stable = {user.create({"name": {"givenName": f"S{i}"}})["contactId"] for i in range(120)}
    doomed = [user.create({"name": {"givenName": f"D{i}"}}) for i in range(40)]
    stop = threading.Event()
    created_during: list[str] = []

    def churn() -> None:
        # Another client creating and deleting while the walk goes on.
        writer = ApiUser(client, user.account_id, user.email, user.token)
        for contact in doomed:
            if stop.is_set():
                break
            created_during.append(writer.create({"name": {"givenName": "New"}})["contactId"])
            writer.ok(
                "contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]}
            )

    thread = threading.Thread(target=churn)
    thread.start()
    try:
        seen = [c["contactId"] for c in walk(user, 7)]
    finally:
        stop.set()
        thread.join()
    assert len(seen) == len(set(seen)), "no contact is visited twice"
    assert stable <= set(seen), "every contact alive throughout the walk is visited"
    doomed_ids = {c["contactId"] for c in doomed}
    assert set(seen) <= stable | doomed_ids | set(created_during)
