"""Recent activity: a person sees what a client did, undoes it in one click, allows a hold."""

from __future__ import annotations

from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.history.clients import app_client
from tests.web.book.conftest import Reader


def _phone(services: Services, reader: Reader) -> ApiUser:
    account_id = reader.account_id(services)
    issued = services.credentials.issue(account_id, ALL_SCOPES)
    user = ApiUser(reader.browser.http, account_id, reader.browser.email, issued.secret)
    return app_client(services, user, "Wiping phone")


def test_a_wipe_shows_by_client_and_one_click_undoes_it(services: Services, reader: Reader) -> None:
    ids = [reader.create({"name-givenName": f"Person {n}"}) for n in range(3)]
    phone = _phone(services, reader)
    for contact_id in ids:
        [contact] = phone.ok("contacts.get", {"contactIds": [contact_id]})["contacts"]
        phone.ok("contacts.delete", {"contactId": contact_id, "etag": contact["etag"]})
    page = reader.get("/book/activity")
    assert page.status_code == 200
    assert "Wiping phone" in page.text
    since = services.history.activity(reader.account_id(services), 0)
    phone_row = next(a for a in since if a.source.name == "Wiping phone")
    assert phone_row.deleted == 3
    book_row = next(a for a in since if a.source.kind == "address_book")
    assert (book_row.source.name, book_row.created) == ("address book", 3)
    done = reader.post(
        "/book/activity",
        "/book/activity/undo",
        {
            "credential_id": phone_row.source.credential_id or "",
            "name": "Wiping phone",
            "since": str(phone_row.first_at),
        },
    )
    assert done.status_code == 303
    assert "Undid+3" in done.headers["location"]
    assert services.contacts.count_live(reader.account_id(services)) == 3


def test_a_held_client_is_allowed_on_the_activity_page(services: Services, reader: Reader) -> None:
    owner = reader.account_id(services)
    with services.store.write(owner_id=owner) as conn:
        made = services.contacts.create_many_in(conn, owner, [{"notes": str(n)} for n in range(60)])
    phone = _phone(services, reader)
    statuses = [
        phone.call("contacts.delete", {"contactId": c.contact_id, "etag": c.etag}).status_code
        for c in made[:31]
    ]
    assert statuses[-1] == 409
    [hold] = services.history.holds(owner)
    page = reader.get("/book/activity")
    assert "Deletions held" in page.text
    allowed = reader.post(
        "/book/activity", "/book/activity/release", {"credential_id": hold.credential_id}
    )
    assert allowed.status_code == 303
    assert services.history.holds(owner) == []
    last = made[30]
    assert (
        phone.call("contacts.delete", {"contactId": last.contact_id, "etag": last.etag}).status_code
        == 200
    )


def test_the_trash_page_restores_and_empties(services: Services, reader: Reader) -> None:
    kept, gone = (reader.create({"name-givenName": name}) for name in ("Kept", "Gone"))
    phone = _phone(services, reader)
    for contact_id in (kept, gone):
        [contact] = phone.ok("contacts.get", {"contactIds": [contact_id]})["contacts"]
        phone.ok("contacts.delete", {"contactId": contact_id, "etag": contact["etag"]})
    page = reader.get("/book/trash")
    assert page.status_code == 200
    assert "Kept" in page.text
    assert "Wiping phone" in page.text
    restored = reader.post("/book/trash", "/book/trash/restore", {"contact_id": kept})
    assert restored.status_code == 303
    assert kept in restored.headers["location"]
    emptied = reader.post("/book/trash", "/book/trash/empty", {})
    assert emptied.status_code == 303
    assert "Gone" not in reader.get("/book/trash").text
    owner = reader.account_id(services)
    assert services.contacts.count_live(owner) == 1
    assert services.history.trash(owner).items == []


def test_the_history_page_shows_each_change_and_restores_a_version(
    services: Services, reader: Reader
) -> None:
    contact_id = reader.create({"name-givenName": "Before", "notes": "old note"})
    phone = _phone(services, reader)
    [contact] = phone.ok("contacts.get", {"contactIds": [contact_id]})["contacts"]
    body = {"contactId": contact_id, "etag": contact["etag"], "contactData": {"notes": "new"}}
    phone.ok("contacts.update", {"contact": body})
    page = reader.get(f"/book/contacts/{contact_id}/history")
    assert page.status_code == 200
    assert "Wiping phone" in page.text
    assert "removed <code>name</code>" in page.text
    [version] = services.history.history(reader.account_id(services), contact_id).items
    done = reader.post(
        f"/book/contacts/{contact_id}/history",
        f"/book/contacts/{contact_id}/history/restore",
        {
            "version_id": str(version.version_id),
            "etag": phone.ok("contacts.get", {"contactIds": [contact_id]})["contacts"][0]["etag"],
        },
    )
    assert done.status_code == 303
    [back] = phone.ok("contacts.get", {"contactIds": [contact_id]})["contacts"]
    assert back["contactData"]["name"] == {"givenName": "Before"}
