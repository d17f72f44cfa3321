"""The "Merge & fix" page: suggestions side by side with the merge, merged, and undone."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

from starlette.testclient import TestClient

from rolodex.actors import APP_PASSWORD, Actor, acting_as
from rolodex.services import Services
from tests.web.book.conftest import Reader
from tests.web.browser import new_browser


def _person(reader: Reader, given: str, phone: str, note: str) -> str:
    return reader.create(
        {
            "name-givenName": given,
            "name-familyName": "Smith",
            "phoneNumbers-0-type": "mobile",
            "phoneNumbers-0-value": phone,
            "notes": note,
        }
    )


def test_a_group_is_shown_merged_and_undone(services: Services, reader: Reader) -> None:
    bob = _person(reader, "Bob", "+1 415 555 0100", "from the phone")
    robert = _person(reader, "Robert", "(415) 555-0100", "from Google")
    owner = reader.account_id(services)
    page = reader.get("/book/duplicates")
    assert page.status_code == 200
    assert "same mobile +1 415 555 0100" in page.text
    assert (
        "from the phone\n\nfrom Google" in page.text or "from Google\n\nfrom the phone" in page.text
    )
    assert services.contacts.count_live(owner) == 2

    merged = reader.post("/book/duplicates", "/book/duplicates/merge", {"contact_ids": ""})
    assert merged.status_code == 400
    done = reader.post(
        "/book/duplicates", "/book/duplicates/merge", {"contact_ids": f"{bob},{robert}"}
    )
    assert done.status_code == 303, done.text
    assert services.contacts.count_live(owner) == 1
    after = reader.get(done.headers["location"])
    assert "No likely duplicates." in after.text
    assert 'id="undo-merge"' in after.text

    undone = reader.post(
        done.headers["location"],
        "/book/duplicates/unmerge",
        {"merge_ids": after.text.split('name="merge_ids" value="')[1].split('"')[0]},
    )
    assert undone.status_code == 303
    assert services.contacts.count_live(owner) == 2
    [first, second] = services.contacts.get_many(owner, [bob, robert])
    assert first.data["notes"] == "from the phone"
    assert second.data["notes"] == "from Google"


def _merged(reader: Reader, *groups: str) -> list[str]:
    """Merge the groups from the page; the merge ids its Undo carries."""
    done = reader.post("/book/duplicates", "/book/duplicates/merge", {"contact_ids": list(groups)})
    assert done.status_code == 303, done.text
    undo = parse_qs(urlsplit(done.headers["location"]).query)["undo"][0]
    return undo.split(",")


def _edit_on_the_phone(services: Services, owner: str, contact_id: str, notes: str) -> None:
    def edit(contact: Any) -> None:
        contact.data = {**contact.data, "notes": notes}

    with acting_as(Actor(kind=APP_PASSWORD, name="iPhone", account_id=owner)):
        services.contacts.modify(owner, contact_id, edit, expected_etag=None)


def test_undo_after_the_survivor_changed_says_who_and_can_be_forced(
    services: Services, reader: Reader
) -> None:
    bob = _person(reader, "Bob", "+1 415 555 0100", "from the phone")
    robert = _person(reader, "Robert", "(415) 555-0100", "from Google")
    owner = reader.account_id(services)
    [merge_id] = _merged(reader, f"{bob},{robert}")
    _edit_on_the_phone(services, owner, bob, "edited after the merge")

    refused = reader.post("/book/duplicates", "/book/duplicates/unmerge", {"merge_ids": merge_id})
    assert refused.status_code == 409, refused.text
    html = refused.text
    section = html[html.index('id="unmerge-conflict"') :]
    assert "The merge was not undone: 1 of its contacts changed after it." in section
    change = section[section.index(f'id="changed-{bob}"') : section.index("</li>")]
    assert re.search(
        r"Changed by “iPhone” \(app password\) on <strong>\d{1,2} \w+ \d{4} at \d\d:\d\d UTC",
        change,
    ), change
    assert f"/book/contacts/{bob}/history" in change
    assert services.contacts.count_live(owner) == 1
    assert 'name="force" value="yes"' in section
    assert f'name="merge_ids" value="{merge_id}"' in section

    # "Undo anyway" is a form like the others: without the CSRF token it does nothing.
    forged = reader.browser.http.post(
        "/book/duplicates/unmerge",
        data={"csrf_token": "forged", "merge_ids": merge_id, "force": "yes"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert services.contacts.count_live(owner) == 1

    forced = reader.post(
        "/book/duplicates", "/book/duplicates/unmerge", {"merge_ids": merge_id, "force": "yes"}
    )
    assert forced.status_code == 303, forced.text
    [first, second] = services.contacts.get_many(owner, [bob, robert])
    assert first.data["notes"] == "from the phone"
    assert second.data["notes"] == "from Google"
    # The change the undo replaced is kept in the survivor's history.
    versions = services.history.history(owner, bob).items
    assert any(
        v.state.data_json and "edited after the merge" in v.state.data_json for v in versions
    )


def test_undo_of_merge_all_stops_at_the_changed_merge_and_says_so(
    services: Services, reader: Reader
) -> None:
    bob = _person(reader, "Bob", "+1 415 555 0100", "one")
    robert = _person(reader, "Robert", "(415) 555-0100", "two")
    liz = _person(reader, "Liz", "+1 212 555 0199", "three")
    beth = _person(reader, "Elizabeth", "212-555-0199", "four")
    owner = reader.account_id(services)
    first, second = _merged(reader, f"{bob},{robert}", f"{liz},{beth}")
    _edit_on_the_phone(services, owner, bob, "edited")

    refused = reader.post(
        "/book/duplicates", "/book/duplicates/unmerge", {"merge_ids": f"{first},{second}"}
    )
    assert refused.status_code == 409
    assert "1 merge(s) were undone; the next was not: 1 of its contacts" in refused.text
    # The newest merge was undone; the one left is offered alone.
    assert services.contacts.count_live(owner) == 3
    assert f'name="merge_ids" value="{first}"' in refused.text
    forced = reader.post(
        "/book/duplicates", "/book/duplicates/unmerge", {"merge_ids": first, "force": "yes"}
    )
    assert forced.status_code == 303
    assert services.contacts.count_live(owner) == 4


def test_any_recent_merge_can_be_undone_from_the_page(services: Services, reader: Reader) -> None:
    bob = _person(reader, "Bob", "+1 415 555 0100", "one")
    robert = _person(reader, "Robert", "(415) 555-0100", "two")
    owner = reader.account_id(services)
    [merge_id] = _merged(reader, f"{bob},{robert}")
    page = reader.get("/book/duplicates")
    recent = page.text[page.text.index('id="recent-merges"') :]
    assert f'id="merge-{merge_id}"' in recent
    assert "Bob Smith</a>: 2 contacts merged on" in recent
    undone = reader.post("/book/duplicates", "/book/duplicates/unmerge", {"merge_ids": merge_id})
    assert undone.status_code == 303
    assert services.contacts.count_live(owner) == 2
    assert 'id="recent-merges"' not in reader.get("/book/duplicates").text


def test_another_accounts_contacts_and_merges_are_404_and_unchanged(
    services: Services, reader: Reader, client: TestClient
) -> None:
    bob = _person(reader, "Bob", "+1 415 555 0100", "one")
    robert = _person(reader, "Robert", "(415) 555-0100", "two")
    owner = reader.account_id(services)
    browser = new_browser(client)
    browser.sign_up()
    mallory = Reader(browser)
    taken = mallory.post(
        "/book/duplicates", "/book/duplicates/merge", {"contact_ids": f"{bob},{robert}"}
    )
    assert taken.status_code == 404
    assert services.contacts.count_live(owner) == 2
    [merge_id] = _merged(reader, f"{bob},{robert}")
    for force in ("", "yes"):
        stolen = mallory.post(
            "/book/duplicates",
            "/book/duplicates/unmerge",
            {"merge_ids": merge_id, "force": force},
        )
        assert stolen.status_code == 404
    assert services.contacts.count_live(owner) == 1
    assert f'id="merge-{merge_id}"' not in mallory.get("/book/duplicates").text


def test_a_teams_duplicates_are_merged_in_the_teams_book(
    services: Services, reader: Reader, client: TestClient
) -> None:
    owner = reader.account_id(services)
    team = services.teams.create(owner, "Sales").team_id
    ann = reader.create(
        {"name-givenName": "Ann", "name-familyName": "Lee", "emails-0-value": "ann@x.example"},
        team=team,
    )
    anne = reader.create(
        {"name-givenName": "Ann", "name-familyName": "Lee", "emails-0-value": "ANN@x.example"},
        team=team,
    )
    assert "No likely duplicates." in reader.get("/book/duplicates").text
    page = f"/book/duplicates?team={team}"
    assert f"{ann},{anne}" in reader.get(page).text or f"{anne},{ann}" in reader.get(page).text
    done = reader.post(
        page, f"/book/duplicates/merge?team={team}", {"contact_ids": f"{ann},{anne}"}
    )
    assert done.status_code == 303, done.text
    assert services.contacts.count_live(team) == 1
    browser = new_browser(client)
    browser.sign_up()
    assert browser.get(page).status_code == 404


def test_a_new_contact_that_may_be_a_duplicate_says_so(reader: Reader) -> None:
    _person(reader, "Bob", "+1 415 555 0100", "one")
    fields = {
        "name-givenName": "Robert",
        "name-familyName": "Smith",
        "phoneNumbers-0-type": "mobile",
        "phoneNumbers-0-value": "(415) 555-0100",
    }
    made = reader.post("/book/contacts/new", "/book/contacts/new", fields)
    assert made.status_code == 303
    notice = unquote_plus(made.headers["location"])
    assert "Contact created. It may be the same person as 1 other contact here:" in notice
    other = reader.post(
        "/book/contacts/new", "/book/contacts/new", {"name-givenName": "Carol", "notes": "x"}
    )
    assert unquote_plus(other.headers["location"]).endswith("notice=Contact created.")
