"""The mass-deletion guard: a client deleting most of a book is held until a person confirms."""

from __future__ import annotations

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import personal_for
from tests.history.clients import app_client, credential_of, rest_client

BOOK = 60


def _book(services: Services, owner: str) -> list[tuple[str, str]]:
    with services.store.write(owner_id=owner) as conn:
        made = services.contacts.create_many_in(
            conn, owner, [{"notes": str(n)} for n in range(BOOK)]
        )
    return [(c.contact_id, c.etag) for c in made]


def test_the_guard_trips_past_half_the_book_and_releases_on_confirmation(
    services: Services, user: ApiUser
) -> None:
    book = _book(services, user.account_id)
    phone = app_client(services, user, "Phone")
    for contact_id, etag in book[: BOOK // 2]:
        phone.ok("contacts.delete", {"contactId": contact_id, "etag": etag})
    contact_id, etag = book[BOOK // 2]
    refused = phone.call("contacts.delete", {"contactId": contact_id, "etag": etag})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "deletions_held"
    assert services.contacts.count_live(user.account_id) == BOOK // 2
    [hold] = services.history.holds(user.account_id)
    assert hold.name == "Phone"
    # Held until confirmed, however few it deletes next.
    assert phone.call("contacts.delete", {"contactId": contact_id, "etag": etag}).status_code == 409
    # A person is not held: the address book, the CLI, another client.
    user.ok("contacts.delete", {"contactId": book[-1][0], "etag": book[-1][1]})

    assert services.history.release(user.account_id, credential_of(services, phone))
    assert services.history.holds(user.account_id) == []
    phone.ok("contacts.delete", {"contactId": contact_id, "etag": etag})


def test_the_rest_api_answers_a_held_deletion_with_409(services: Services, user: ApiUser) -> None:
    book = _book(services, user.account_id)
    rest = rest_client(services, user, "bulk tool")
    statuses = [rest.request("DELETE", f"/{contact_id}").status_code for contact_id, _ in book]
    assert statuses[: BOOK // 2] == [200] * (BOOK // 2)
    assert set(statuses[BOOK // 2 :]) == {409}
    assert rest.request("DELETE", f"/{book[-1][0]}").json()["message"]


def test_a_small_book_is_not_guarded(services: Services, user: ApiUser) -> None:
    phone = app_client(services, user, "Phone")
    made = [user.create({"notes": str(n)}) for n in range(5)]
    for contact in made:
        phone.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    assert services.history.holds(user.account_id) == []


def test_the_personal_api_answers_a_held_deletion_with_409(
    services: Services, user: ApiUser
) -> None:
    book = _book(services, user.account_id)
    api = personal_for(app_client(services, user, "Personal sync"))
    statuses = [api.request("POST", f"/{contact_id}/destroy").status_code for contact_id, _ in book]
    assert statuses[: BOOK // 2] == [204] * (BOOK // 2)
    assert set(statuses[BOOK // 2 :]) == {409}
