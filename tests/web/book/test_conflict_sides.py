"""The edit conflict page names who made the saved version and when (from the history),
shows the fields both sides agree on once, honours each field's choice, shows again when
the contact changes a third time, and is no one else's to see."""

from __future__ import annotations

import base64
import re
from typing import Any

import httpx2
from starlette.testclient import TestClient

from rolodex.services import Services
from tests.web.book.conftest import Reader
from tests.web.browser import new_browser


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


def _conflict_section(html: str) -> str:
    start = html.index('id="conflict"')
    return html[start : html.index("</section>", start)]


def _started(reader: Reader, fields: dict[str, str]) -> tuple[str, str, dict[str, str]]:
    """A contact made in the book, and its edit form as opened (hidden fields)."""
    contact_id = reader.create(fields)
    url = f"/book/contacts/{contact_id}/edit"
    return contact_id, url, _hidden(reader.get(url).text)


def _dav_rename(client: TestClient, book: str, email: str, password: str, display: str) -> None:
    """An app password's CardDAV client changes the one card's shown name."""
    auth = {"Authorization": "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()}
    listing = client.request("PROPFIND", book, headers={**auth, "Depth": "1"})
    assert listing.status_code == 207, listing.text
    (href,) = [h for h in re.findall(r"<[^>]*href>([^<]+)<", listing.text) if h.endswith(".vcf")]
    got = client.get(href, headers=auth)
    assert got.status_code == 200, got.text
    card = re.sub(r"(?m)^FN:.*$", f"FN:{display}", got.text.replace("\r\n", "\n"))
    put = client.request(
        "PUT",
        href,
        content=card.replace("\n", "\r\n").encode(),
        headers={**auth, "If-Match": got.headers["etag"], "Content-Type": "text/vcard"},
    )
    assert put.status_code == 204, put.text


def test_the_page_names_the_app_password_that_changed_it(
    reader: Reader, services: Services, client: TestClient
) -> None:
    contact_id, url, form = _started(
        reader, {"name-givenName": "Ada", "name-familyName": "Lovelace", "notes": "analyst"}
    )
    owner = reader.account_id(services)
    issued = services.app_passwords.create(owner, "iPhone")
    book = f"/dav/books/{owner}/default/"
    _dav_rename(client, book, reader.browser.email, issued.password, "Countess Ada")
    mine = {**form, "name-givenName": "Ada", "name-familyName": "Lovelace", "notes": "poet"}
    response = reader.post(url, url, mine)
    assert response.status_code == 409, response.text
    section = _conflict_section(response.text)
    assert re.search(
        r"Changed by “iPhone” \(app password\) on <strong>\d{1,2} \w+ \d{4} at \d\d:\d\d UTC",
        section,
    ), section
    assert "Countess Ada" in section
    assert contact_id in section  # the reload link


def test_another_window_of_the_book_is_named_as_the_address_book(reader: Reader) -> None:
    _, url, form = _started(reader, {"name-givenName": "Grace", "notes": "navy"})
    first = reader.post(url, url, {**form, "name-givenName": "Grace", "notes": "admiral"})
    assert first.status_code == 303, first.text
    second = reader.post(url, url, {**form, "name-givenName": "Grace B.", "notes": "navy"})
    assert second.status_code == 409
    section = _conflict_section(second.text)
    assert "Changed in the address book on <strong>" in section


def test_equal_fields_are_shown_once_and_not_offered(reader: Reader) -> None:
    _, url, form = _started(
        reader,
        {
            "name-givenName": "Emile",
            "phoneNumbers-0-type": "mobile",
            "phoneNumbers-0-value": "+33 1 23 45 67 89",
            "notes": "novelist",
        },
    )
    kept = {
        "name-givenName": "Emile",
        "phoneNumbers-0-type": "mobile",
        "phoneNumbers-0-value": "+33 1 23 45 67 89",
    }
    assert reader.post(url, url, {**form, **kept, "notes": "journalist"}).status_code == 303
    response = reader.post(url, url, {**form, **kept, "name-givenName": "Émile", "notes": "x"})
    assert response.status_code == 409
    section = _conflict_section(response.text)
    assert re.findall(r'id="choice-(\w+)"', section) == ["name", "notes"]
    assert re.findall(r'id="same-(\w+)"', section) == ["phoneNumbers"]
    assert 'name="pick-phoneNumbers"' not in section
    assert section.count("+33 1 23 45 67 89") == 1


def test_each_fields_choice_is_honoured(reader: Reader, services: Services) -> None:
    contact_id, url, form = _started(
        reader,
        {
            "name-givenName": "Rae",
            "emails-0-value": "rae@old.test",
            "notes": "first",
            "birthday-day": "3",
            "birthday-month": "4",
        },
    )
    theirs = {
        "name-givenName": "Rae",
        "emails-0-value": "rae@theirs.test",
        "notes": "theirs",
        "birthday-day": "3",
        "birthday-month": "4",
    }
    assert reader.post(url, url, {**form, **theirs}).status_code == 303
    mine = {
        **form,
        "name-givenName": "Rachel",
        "emails-0-value": "rae@mine.test",
        "notes": "first",
        "birthday-day": "3",
        "birthday-month": "4",
    }
    shown = _hidden(reader.post(url, url, mine).text)
    # Against the defaults: their name, my email, my (unchanged) notes.
    picks = {"pick-name": "theirs", "pick-emails": "mine", "pick-notes": "mine"}
    saved = reader.post(url, url, {**mine, "overwrite_etag": shown["overwrite_etag"], **picks})
    assert saved.status_code == 303, saved.text
    data = services.contacts.get_one(reader.account_id(services), contact_id).data
    assert data["name"] == {"givenName": "Rae"}
    assert [e["value"] for e in data["emails"]] == ["rae@mine.test"]
    assert data["notes"] == "first"
    assert data["birthday"] == {"day": 3, "month": 4}


def test_a_change_meanwhile_shows_the_conflict_again(reader: Reader, services: Services) -> None:
    contact_id, url, form = _started(reader, {"name-givenName": "Lin", "notes": "one"})
    assert (
        reader.post(url, url, {**form, "name-givenName": "Lin", "notes": "two"}).status_code == 303
    )
    mine = {**form, "name-givenName": "Lina", "notes": "one"}
    first = _hidden(reader.post(url, url, mine).text)

    def third(c: Any) -> None:
        c.data = {**c.data, "notes": "three"}

    services.contacts.modify(reader.account_id(services), contact_id, third, expected_etag=None)
    again = reader.post(url, url, {**mine, "overwrite_etag": first["overwrite_etag"]})
    assert again.status_code == 409
    section = _conflict_section(again.text)
    assert "Changed by Rolodex itself on <strong>" in section
    assert "three" in section
    latest = services.contacts.get_one(reader.account_id(services), contact_id)
    assert _hidden(again.text)["overwrite_etag"] == latest.etag != first["overwrite_etag"]
    assert latest.data["notes"] == "three"
    assert latest.data["name"] == {"givenName": "Lin"}


def test_another_account_sees_no_conflict(
    reader: Reader, services: Services, client: TestClient
) -> None:
    _, url, form = _started(reader, {"name-givenName": "Secret", "notes": "private notes"})
    assert (
        reader.post(url, url, {**form, "name-givenName": "Secret", "notes": "v2"}).status_code
        == 303
    )
    stranger = new_browser(client)
    stranger.sign_up()
    page = stranger.get(url)
    assert page.status_code == 404
    token = re.search(r'name="csrf_token" value="([^"]+)"', stranger.get("/book/contacts/new").text)
    assert token
    posted: httpx2.Response = stranger.http.post(
        url,
        data={**form, "csrf_token": token.group(1), "name-givenName": "Mine now"},
        follow_redirects=False,
    )
    assert posted.status_code == 404
    assert "private notes" not in posted.text
    assert "v2" not in posted.text
    assert "Changed in the address book" not in posted.text


def test_without_the_version_in_the_history_it_says_only_when(
    reader: Reader, services: Services
) -> None:
    contact_id, url, form = _started(reader, {"name-givenName": "Kit", "notes": "one"})
    assert (
        reader.post(url, url, {**form, "name-givenName": "Kit", "notes": "two"}).status_code == 303
    )
    # Its kept versions gone (as when the retention purged them): nobody to name.
    services.history.leave_trash(reader.account_id(services), contact_id, [])
    response = reader.post(url, url, {**form, "name-givenName": "Kitty", "notes": "one"})
    assert response.status_code == 409
    section = _conflict_section(response.text)
    assert re.search(r"It was saved on <strong>\d{1,2} \w+ \d{4} at \d\d:\d\d UTC", section)
    assert "from another device, app or browser window" in section
    assert "Changed " not in section
