"""The book's `after` links: made by the cursor codec, so a forged or foreign one is a 400.

Issue 20: an `after` holding an overflowing key, or a NUL, reached the database (a 500 on
PostgreSQL). The book answers a bad `after` with 400 and "out of date", as it always did
for a link it cannot read (docs/address-book.md); pages are also capped by bytes.
"""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from urllib.parse import quote

import orjson
import pytest
from starlette.testclient import TestClient

from rolodex.services import Services
from tests.web.book.conftest import Reader
from tests.web.browser import new_browser


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


FORGED = [
    b64(orjson.dumps(["a", 2**63])),  # the old form, a key past 64 bits
    b64(orjson.dumps(["a\x00b", 1])),  # the old form, a NUL in the sort key
    b64(b"s1:9223372036854775808"),
    "abc\x00def",
    "\x00",
    "A" * 2000,
]


def more_link(html: str) -> str | None:
    found = re.search(r'href="(/book\?[^"]*after=[^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.parametrize("after", FORGED)
@pytest.mark.parametrize("query", ["", "q=pat&"])
def test_a_forged_after_is_a_400_not_a_500(reader: Reader, after: str, query: str) -> None:
    reader.create({"name-givenName": "Pat"})
    response = reader.get(f"/book?{query}after={quote(after)}")
    assert response.status_code == 400, response.text
    assert "out of date" in response.text


def test_a_page_link_of_another_account_is_a_400(reader: Reader, client: TestClient) -> None:
    for i in range(51):
        reader.create({"name-givenName": f"Person {i:02d}"})
    link = more_link(reader.get("/book").text)
    assert link is not None
    assert reader.get(link).status_code == 200
    other = new_browser(client)
    other.sign_up()
    response = other.get(link)
    assert response.status_code == 400
    assert "out of date" in response.text


def test_a_page_of_big_contacts_ends_early_and_the_walk_sees_each_once(
    reader: Reader, services: Services
) -> None:
    owner = reader.account_id(services)
    notes = "lorem ipsum " * 2000  # about 24 kB stored
    made = {
        services.contacts.create(owner, {"displayName": f"Big {i}", "notes": notes}).contact_id
        for i in range(7)
    }
    limits = services.contacts.limits
    services.contacts.limits = replace(limits, page_max_bytes=64 * 1024)
    try:
        sizes: list[int] = []
        seen: list[str] = []
        cursor = None
        while True:
            page = services.contacts.list_by_name(owner, size=50, cursor=cursor)
            sizes.append(len(page.contacts))
            seen.extend(c.contact_id for c in page.contacts)
            cursor = page.cursor
            if cursor is None:
                break
        first = reader.get("/book")
    finally:
        services.contacts.limits = limits
    assert sizes == [2, 2, 2, 1]
    assert sorted(seen) == sorted(made)
    assert more_link(first.text) is not None
