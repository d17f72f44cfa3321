"""Two accounts never see or touch each other's contacts: foreign ids behave as missing ones."""

from __future__ import annotations

from tests.conftest import ApiUser, MakeUser


def test_accounts_cannot_see_or_touch_each_others_contacts(make_user: MakeUser) -> None:
    ann: ApiUser = make_user()
    bob: ApiUser = make_user()
    secret = ann.create({"name": {"givenName": "Secret"}, "notes": "ann's"})
    cid, etag = secret["contactId"], secret["etag"]

    assert bob.ok("contacts.get", {"contactIds": [cid]}) == {"contacts": []}
    assert bob.ok("contacts.scroll", {"includeDeletedContacts": True}) == {"contacts": []}

    update = bob.call(
        "contacts.update", {"contact": {"contactId": cid, "etag": etag, "contactData": {}}}
    )
    missing = bob.call(
        "contacts.update", {"contact": {"contactId": "c_missing", "etag": etag, "contactData": {}}}
    )
    assert update.status_code == missing.status_code == 404
    assert update.json() == missing.json()

    forced = bob.call(
        "contacts.update",
        {"contact": {"contactId": cid, "contactData": {}}, "resolveConflicts": True},
    )
    assert forced.status_code == 404

    delete = bob.call("contacts.delete", {"contactId": cid, "etag": etag})
    assert delete.status_code == 404

    assert ann.ok("contacts.get", {"contactIds": [cid]})["contacts"] == [secret]
