"""The list (sorted by name, paged, filtered, searched) and the contact page, over HTTP."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from rolodex.services import Services
from tests.web.book.conftest import Reader
from tests.web.browser import new_browser


def names_in(html: str) -> list[str]:
    return re.findall(r'<span class="person-name">([^<]+?)(?: <span|</span>)', html)


def test_the_address_book_asks_to_log_in_first(client: TestClient) -> None:
    anonymous = new_browser(client)
    response = anonymous.get("/book")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fbook"


def test_the_list_is_sorted_by_the_shown_name_ignoring_case_and_accents(reader: Reader) -> None:
    for given, family in [("zoe", "Adams"), ("Émile", "Zola"), ("bob", "Brown"), ("Anna", "Ng")]:
        reader.create({"name-givenName": given, "name-familyName": family})
    reader.create({"emails-0-value": "nameless@example.com"})
    reader.create({"displayName": "Carla (the plumber)"})
    page = reader.get("/book")
    assert page.status_code == 200
    assert names_in(page.text) == [
        "Anna Ng",
        "bob Brown",
        "Carla (the plumber)",
        "Émile Zola",
        "nameless@example.com",
        "zoe Adams",
    ]


def test_the_list_pages_by_name_with_a_more_link(reader: Reader) -> None:
    for i in range(55):
        reader.create({"name-givenName": f"Person {i:02d}"})
    first = reader.get("/book")
    shown = names_in(first.text)
    assert len(shown) == 50
    more = re.search(r'href="(/book\?after=[^"]+)"', first.text)
    assert more, "no link to the next page"
    second = reader.get(more.group(1).replace("&amp;", "&"))
    rest = names_in(second.text)
    assert shown + rest == [f"Person {i:02d}" for i in range(55)]
    assert "data-more" not in second.text


def test_a_forged_page_link_is_a_400_not_a_500(reader: Reader) -> None:
    response = reader.get("/book?after=not-a-cursor!!")
    assert response.status_code == 400
    assert "out of date" in response.text


def test_the_list_shows_primary_email_phone_and_favorites(reader: Reader) -> None:
    contact_id = reader.create(
        {
            "name-givenName": "Fay",
            "emails-0-value": "fay@example.com",
            "emails-1-value": "second@example.com",
            "phoneNumbers-0-value": "+44 20 7946 0000",
        }
    )
    reader.create({"name-givenName": "Gus"})
    starred = reader.post(
        f"/book/contacts/{contact_id}", f"/book/contacts/{contact_id}/favorite", {"favorite": "1"}
    )
    assert starred.status_code == 303
    listing = reader.get("/book").text
    assert "fay@example.com" in listing
    assert "second@example.com" not in listing
    assert "+44 20 7946 0000" in listing
    assert "(favorite)" in listing
    favorites = reader.get("/book?favorites=1").text
    assert names_in(favorites) == ["Fay"]


def test_search_uses_the_query_language_and_bad_queries_say_why(reader: Reader) -> None:
    reader.create({"name-givenName": "Hugo", "name-familyName": "Barnes"})
    reader.create({"name-givenName": "Ivy", "emails-0-value": "ivy@acme.test"})
    assert names_in(reader.get("/book?q=hug+barn").text) == ["Hugo Barnes"]
    assert names_in(reader.get("/book?q=email%3Aacme").text) == ["Ivy"]
    fragment = reader.get("/book?q=ivy&fragment=1")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "Ivy" in fragment.text
    bad = reader.get("/book?q=%28unclosed")
    assert bad.status_code == 400
    assert 'role="alert"' in bad.text


def test_the_contact_page_shows_every_field(reader: Reader, services: Services) -> None:
    contact = services.contacts.create(
        reader.account_id(services),
        {
            "name": {"givenName": "Jo", "familyName": "Kim", "prefix": "Dr"},
            "displayName": "Jo Kim",
            "emails": [{"type": "work", "value": "jo@kim.test"}],
            "phoneNumbers": [{"type": "mobile", "value": "+1 202 555 0101"}],
            "addresses": [{"type": "home", "street": "1 Main St", "city": "Springfield"}],
            "organizations": [{"name": "Kim & Co", "title": "Boss"}],
            "urls": [{"type": "blog", "value": "https://kim.test"}],
            "ims": [{"type": "matrix", "value": "@jo:kim.test"}],
            "relatedPeople": [{"type": "spouse", "value": "Lee"}],
            "dates": [{"type": "anniversary", "month": 6, "day": 1}],
            "birthday": {"month": 3, "day": 12},
            "notes": "Met at <the> conference",
            "items": [{"type": "shoe size", "value": "42"}],
        },
    )
    page = reader.get(f"/book/contacts/{contact.contact_id}").text
    for text in [
        "Dr Jo Kim",
        "jo@kim.test",
        "+1 202 555 0101",
        "1 Main St, Springfield",
        "Boss · Kim &amp; Co",
        "https://kim.test",
        "@jo:kim.test",
        "Lee",
        "1 June",
        "12 March",
        "Met at &lt;the&gt; conference",
        "shoe size",
    ]:
        assert text in page, text


def test_another_accounts_contact_is_not_found(client: TestClient, reader: Reader) -> None:
    contact_id = reader.create({"name-givenName": "Private"})
    other = new_browser(client)
    other.sign_up()
    assert other.get(f"/book/contacts/{contact_id}").status_code == 404
    assert "Private" not in other.get("/book").text


def test_paging_walks_contacts_of_one_name_exactly_once(reader: Reader, services: Services) -> None:
    owner = reader.account_id(services)
    made = {
        services.contacts.create(owner, {"displayName": "Same Name"}).contact_id for _ in range(7)
    }
    seen: list[str] = []
    cursor = None
    while True:
        page = services.contacts.list_by_name(owner, size=3, cursor=cursor)
        seen.extend(c.contact_id for c in page.contacts)
        cursor = page.cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)
