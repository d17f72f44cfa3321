"""Moving through a large book over HTTP: the live count, the A-Z index, company and title
beside the name, pages that follow on by cursor, and landing on the book after logging in."""

from __future__ import annotations

import re

import orjson
from starlette.testclient import TestClient

from rolodex.contacts.importer import ContactImporter
from rolodex.services import Services
from tests.web.book.conftest import Reader
from tests.web.browser import PASSWORD, new_browser

NAMES = ["Ada", "Bea", "Cy", "Dee", "Eve", "Émile", "Kit", "Zed", "42nd Street Deli"]


def names_in(html: str) -> list[str]:
    return re.findall(r'<span class="person-name">([^<]+?)(?: <span|</span>)', html)


def fill(services: Services, owner: str, rows: list[dict[str, object]]) -> None:
    """Many contacts at once, through the import path (one transaction, no HTTP per contact)."""
    lines = [orjson.dumps(row) for row in rows]
    ContactImporter(services.store, services.contacts).import_all(owner, lines, max_lines=10**6)


def letter_links(html: str) -> dict[str, bool]:
    """The A-Z index: each label, and whether it is a link."""
    nav = html[html.index('<nav class="az"') : html.index("</nav>", html.index('<nav class="az"'))]
    found = {}
    for linked, label in re.findall(r"<(a|span)[^>]*>([^<]+)</(?:a|span)></li>", nav):
        found[label] = linked == "a"
    return found


def test_logging_in_lands_on_the_book(client: TestClient) -> None:
    person = new_browser(client)
    signed = person.sign_up()
    assert signed.headers["location"] == "/book"
    person.submit("/", "/logout", {})
    logged = person.log_in(person.email, PASSWORD, "")
    assert logged.headers["location"] == "/book"
    home = person.get("/")
    assert 'href="/book"' in home.text


def test_the_book_shows_its_live_count(reader: Reader, services: Services) -> None:
    owner = reader.account_id(services)
    fill(services, owner, [{"name": {"givenName": f"P{i:04d}"}} for i in range(1234)])
    gone = services.contacts.create(owner, {"name": {"givenName": "Gone"}})
    services.contacts.delete(owner, gone.contact_id, etag=None)
    page = reader.get("/book")
    assert re.search(r'id="book-count">1,234 contacts<', page.text)
    assert len(names_in(page.text)) == 50


def test_a_letter_jumps_to_the_first_name_at_or_after_it(
    reader: Reader, services: Services
) -> None:
    owner = reader.account_id(services)
    fill(services, owner, [{"displayName": name} for name in NAMES])
    page = reader.get("/book")
    links = letter_links(page.text)
    assert links["#"]
    assert links["A"]
    assert links["E"]
    assert links["Z"]
    assert not links["F"]
    assert not links["Q"]
    # Émile sorts under E (accents are folded), and "emile" comes before "eve".
    jumped = reader.get("/book?letter=E")
    assert names_in(jumped.text) == ["Émile", "Eve", "Kit", "Zed"]
    assert 'aria-current="true">E<' in jumped.text
    # A letter no name starts with opens at the next one that does.
    assert names_in(reader.get("/book?letter=f").text) == ["Kit", "Zed"]
    # "#" is the top of the book, where digits and symbols sort.
    assert names_in(reader.get("/book?letter=%23").text)[0] == "42nd Street Deli"


def test_a_letter_jump_pages_on_with_the_cursor(reader: Reader, services: Services) -> None:
    owner = reader.account_id(services)
    fill(services, owner, [{"displayName": f"M{i:03d}"} for i in range(120)])
    fill(services, owner, [{"displayName": f"A{i:03d}"} for i in range(10)])
    first = reader.get("/book?letter=M")
    assert names_in(first.text)[:2] == ["M000", "M001"]
    more = re.search(r'href="(/book\?after=[^"]+)"[^>]*data-more', first.text)
    assert more
    second = reader.get(more.group(1).replace("&amp;", "&"))
    assert names_in(second.text)[0] == "M050"


def test_an_unknown_letter_is_a_400_naming_it(reader: Reader) -> None:
    response = reader.get("/book?letter=%C3%9F%C3%9F")
    assert response.status_code == 400
    assert "no such letter" in response.text


def test_rows_show_company_and_title_beside_the_name(reader: Reader, services: Services) -> None:
    owner = reader.account_id(services)
    services.contacts.create(
        owner,
        {
            "name": {"givenName": "Grace", "familyName": "Hopper"},
            "organizations": [{"name": "US Navy", "title": "Rear Admiral"}],
        },
    )
    services.contacts.create(owner, {"organizations": [{"name": "Acme Ltd"}]})
    html = reader.get("/book").text
    assert '<span class="person-work">Rear Admiral, US Navy</span>' in html
    # A company's own card is not labelled with its own name twice.
    acme = html[html.index(">Acme Ltd<") :]
    assert "person-work" not in acme[: acme.index("</li>")]
