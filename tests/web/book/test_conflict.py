"""The edit conflict page: who changed the contact and when, both versions side by side with a
choice per field, the defaults keeping everyone's changes, and the merge saved by etag."""

from __future__ import annotations

import re
from typing import Any

from rolodex.services import Services
from tests.web.book.conftest import Reader


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


def _checked(html: str, key: str) -> str:
    row = html[html.index(f'id="choice-{key}"') :]
    row = row[: row.index("</tr>")]
    match = re.search(r'name="pick-[^"]+" value="(mine|theirs)" checked', row)
    assert match, row
    return match.group(1)


def _conflict(reader: Reader, services: Services) -> tuple[str, str, dict[str, str], Any]:
    owner = reader.account_id(services)
    contact = services.contacts.create(
        owner,
        {
            "name": {"givenName": "Rae"},
            "emails": [{"type": "work", "value": "rae@old.test"}],
            "notes": "first notes",
        },
    )
    url = f"/book/contacts/{contact.contact_id}/edit"
    form = _hidden(reader.get(url).text)

    def someone_else(c: Any) -> None:
        c.data = {**c.data, "notes": "changed elsewhere", "emails": [{"value": "rae@new.test"}]}

    services.contacts.modify(owner, contact.contact_id, someone_else, expected_etag=None)
    mine = {
        "etag": form["etag"],
        **{k: v for k, v in form.items() if k.startswith("base-")},
        "name-givenName": "Rachel",
        "emails-0-type": "home",
        "emails-0-value": "rae@mine.test",
        "notes": "first notes",
    }
    return owner, contact.contact_id, mine, reader.post(url, url, mine)


def test_the_conflict_says_when_and_shows_both_sides(reader: Reader, services: Services) -> None:
    owner, contact_id, _, response = _conflict(reader, services)
    assert response.status_code == 409
    html = response.text
    latest = services.contacts.get_one(owner, contact_id)
    assert "changed by someone else meanwhile" in html
    # A write through the service itself, with no client stated: the system's.
    assert re.search(
        r"Changed by Rolodex itself on <strong>\d{1,2} \w+ \d{4} at \d\d:\d\d UTC</strong>", html
    )
    # Only the fields that differ, each with both versions.
    assert re.findall(r'id="choice-(\w+)"', html) == ["name", "emails", "notes"]
    emails = html[html.index('id="choice-emails"') :]
    emails = emails[: emails.index("</tr>")]
    assert "rae@mine.test" in emails
    assert "rae@new.test" in emails
    # Defaults: the person's own changes, and theirs where only they changed a field.
    assert _checked(html, "name") == "mine"
    assert _checked(html, "emails") == "mine"  # both changed it: the person decides
    assert _checked(html, "notes") == "theirs"  # only the other side changed it
    assert _hidden(html)["overwrite_etag"] == latest.etag


def test_saving_the_choices_merges_field_by_field(reader: Reader, services: Services) -> None:
    owner, contact_id, mine, response = _conflict(reader, services)
    url = f"/book/contacts/{contact_id}/edit"
    shown = _hidden(response.text)
    saved = reader.post(
        url,
        url,
        {
            **mine,
            "overwrite_etag": shown["overwrite_etag"],
            "pick-name": "mine",
            "pick-emails": "theirs",
            "pick-notes": "theirs",
            "overwrite": "1",
        },
    )
    assert saved.status_code == 303, saved.text
    assert services.contacts.get_one(owner, contact_id).data == {
        "name": {"givenName": "Rachel"},
        "emails": [{"value": "rae@new.test"}],
        "notes": "changed elsewhere",
    }


def test_a_third_change_meanwhile_is_a_conflict_again(reader: Reader, services: Services) -> None:
    owner, contact_id, mine, response = _conflict(reader, services)
    url = f"/book/contacts/{contact_id}/edit"
    shown = _hidden(response.text)

    def third(c: Any) -> None:
        c.data = {**c.data, "displayName": "Third"}

    services.contacts.modify(owner, contact_id, third, expected_etag=None)
    again = reader.post(
        url, url, {**mine, "overwrite_etag": shown["overwrite_etag"], "pick-name": "mine"}
    )
    assert again.status_code == 409
    assert services.contacts.get_one(owner, contact_id).data["displayName"] == "Third"
    assert "Rachel" not in str(services.contacts.get_one(owner, contact_id).data)
