"""The "Merge & fix" page: suggestions side by side with the merge, merged, and undone."""

from __future__ import annotations

from rolodex.services import Services
from tests.web.book.conftest import Reader


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
