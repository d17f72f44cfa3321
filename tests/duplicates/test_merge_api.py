"""`contacts.merge` and `contacts.unmerge` over real HTTP, on both stores."""

from __future__ import annotations

from typing import Any

from rolodex.contacts.versions import Snapshot
from rolodex.services import Services
from tests.api.personal.test_sync import diff, new_token
from tests.conftest import ApiUser, MakeUser
from tests.dialects import personal_for
from tests.history.clients import app_client

ANN = {
    "name": {"givenName": "Ann", "familyName": "Lee"},
    "emails": [{"type": "work", "value": "Ann@Example.com"}],
    "notes": "met at the fair",
}
ANNIE = {
    "name": {"givenName": "Ann", "middleName": "B", "familyName": "Lee"},
    "emails": [{"type": "home", "value": "ann@example.com"}, {"value": "ann@home.example"}],
    "phoneNumbers": [{"type": "mobile", "value": "+1 415 555 0100"}],
    "notes": "likes tea",
}


def stored(services: Services, owner_id: str, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    """Each contact's data, metadata and tags as stored, and whether it is deleted."""
    with services.store.read() as conn:
        found = services.contacts.repo.by_ids_with_tombstones(conn, owner_id, ids)
    out = {}
    for cid, contact in found.items():
        snap = Snapshot.of(contact)
        out[cid] = (snap.data_json, snap.meta_json, snap.tag_ids, contact.deleted)
    return out


def two(user: ApiUser) -> tuple[dict[str, Any], dict[str, Any]]:
    tag = user.ok("tags.create", {"tag": {"tagData": {"name": "Friends"}}})["tag"]
    first = user.create(ANN)
    second = user.create(ANNIE)
    second = user.ok(
        "contacts.manageTags", {"contactIds": [second["contactId"]], "addTagIds": [tag["tagId"]]}
    )["contacts"][0]
    return first, second


def test_merge_then_unmerge_puts_everything_back(services: Services, user: ApiUser) -> None:
    first, second = two(user)
    ids = [first["contactId"], second["contactId"]]
    before = stored(services, user.account_id, ids)
    answer = user.ok("contacts.merge", {"contactIds": ids})
    merged = answer["contact"]
    assert merged["contactId"] == first["contactId"]
    data = merged["contactData"]
    assert data["name"]["middleName"] == "B"
    assert [e["value"] for e in data["emails"]] == ["Ann@Example.com", "ann@home.example"]
    assert data["phoneNumbers"] == ANNIE["phoneNumbers"]
    assert data["notes"] == "met at the fair\n\nlikes tea"
    assert merged["contactMetadata"]["tagIds"] == second["contactMetadata"]["tagIds"]
    got = user.ok("contacts.get", {"contactIds": ids})["contacts"]
    assert [c["contactId"] for c in got] == [first["contactId"]]
    history = user.ok("contacts.getHistory", {"contactId": second["contactId"]})["versions"]
    assert history[0]["replacedBy"]["kind"] == "merge"

    back = user.ok("contacts.unmerge", {"mergeId": answer["mergeId"]})["contacts"]
    assert [c["contactId"] for c in back] == ids
    assert stored(services, user.account_id, ids) == before
    again = user.call("contacts.unmerge", {"mergeId": answer["mergeId"]})
    assert again.status_code == 409


def test_a_merge_is_one_update_and_deletions_to_personal_sync(user: ApiUser) -> None:
    api = personal_for(user)
    first, second = two(user)
    third = user.create({"name": {"givenName": "Ann", "familyName": "Lee"}})
    token = new_token(api)
    ids = [first["contactId"], second["contactId"], third["contactId"]]
    user.ok("contacts.merge", {"contactIds": ids, "survivorId": second["contactId"]})
    items = {i["id"]: i["change_type"] for i in diff(api, token)["items"]}
    assert items == {
        second["contactId"]: "UPDATED",
        first["contactId"]: "DELETED",
        third["contactId"]: "DELETED",
    }


def test_unmerge_after_the_survivor_changed_is_409_unless_forced(
    services: Services, user: ApiUser
) -> None:
    first, second = two(user)
    ids = [first["contactId"], second["contactId"]]
    before = stored(services, user.account_id, ids)
    answer = user.ok("contacts.merge", {"contactIds": ids})
    survivor = answer["contact"]
    user.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": survivor["contactId"],
                "etag": survivor["etag"],
                "contactData": {"notes": "edited"},
            }
        },
    )
    refused = user.call("contacts.unmerge", {"mergeId": answer["mergeId"]})
    assert refused.status_code == 409
    assert refused.json()["error"]["field"] == "mergeId"
    assert stored(services, user.account_id, ids)[second["contactId"]][3] is True
    user.ok("contacts.unmerge", {"mergeId": answer["mergeId"], "force": True})
    assert stored(services, user.account_id, ids) == before


def test_a_dry_run_writes_nothing(services: Services, user: ApiUser) -> None:
    first, second = two(user)
    ids = [first["contactId"], second["contactId"]]
    before = stored(services, user.account_id, ids)
    answer = user.ok("contacts.merge", {"contactIds": ids, "dryRun": True})
    assert "mergeId" not in answer
    assert answer["contact"]["contactData"]["name"]["middleName"] == "B"
    assert stored(services, user.account_id, ids) == before


def test_the_callers_contact_data_is_stored(user: ApiUser) -> None:
    first, second = two(user)
    ids = [first["contactId"], second["contactId"]]
    body = {"contactIds": ids, "contactData": {"name": {"givenName": "Annabel"}}}
    merged = user.ok("contacts.merge", body)["contact"]
    assert merged["contactData"] == {"name": {"givenName": "Annabel"}}


def test_bad_requests_are_4xx_naming_the_field(user: ApiUser) -> None:
    first, second = two(user)
    cases = [
        ({"contactIds": [first["contactId"]]}, 400, "contactIds"),
        ({"contactIds": [first["contactId"], first["contactId"]]}, 400, "contactIds"),
        ({"contactIds": [first["contactId"], "c_nobody"]}, 404, "contactIds"),
        (
            {"contactIds": [first["contactId"], second["contactId"]], "survivorId": "c_x"},
            400,
            "survivorId",
        ),
        (
            {
                "contactIds": [first["contactId"], second["contactId"]],
                "contactData": {"emails": [{"value": "no at sign"}]},
            },
            400,
            "contactData.emails.0.value",
        ),
    ]
    for body, status, field in cases:
        response = user.call("contacts.merge", body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["error"]["field"] == field
    assert user.call("contacts.unmerge", {"mergeId": "m_nothing"}).status_code == 404
    assert len(user.ok("contacts.get", {"contactIds": [first["contactId"]]})["contacts"]) == 1


def test_another_accounts_contacts_and_merges_are_404(make_user: MakeUser) -> None:
    alice, mallory = make_user(), make_user()
    first, second = two(alice)
    ids = [first["contactId"], second["contactId"]]
    assert mallory.call("contacts.merge", {"contactIds": ids}).status_code == 404
    mine = mallory.create({"notes": "mine"})
    mixed = mallory.call("contacts.merge", {"contactIds": [mine["contactId"], ids[0]]})
    assert mixed.status_code == 404
    merge_id = alice.ok("contacts.merge", {"contactIds": ids})["mergeId"]
    stolen = mallory.call("contacts.unmerge", {"mergeId": merge_id, "force": True})
    assert stolen.status_code == 404
    assert len(alice.ok("contacts.get", {"contactIds": ids})["contacts"]) == 1


def test_a_team_book_is_merged_by_its_members_only(make_user: MakeUser, services: Services) -> None:
    owner, member, stranger = make_user(), make_user(), make_user()
    team = services.teams.create(owner.account_id, "Sales").team_id
    services.teams.add_member(team, member.account_id)
    ids = [
        member.ok("contacts.create", {"contact": {"contactData": d}, "teamId": team})["contact"][
            "contactId"
        ]
        for d in (ANN, ANNIE)
    ]
    refused = stranger.call("contacts.merge", {"contactIds": ids, "teamId": team})
    assert refused.status_code == 404
    assert refused.json()["error"]["field"] == "teamId"
    assert member.call("contacts.merge", {"contactIds": ids}).status_code == 404
    answer = member.ok("contacts.merge", {"contactIds": ids, "teamId": team})
    back = owner.ok("contacts.unmerge", {"mergeId": answer["mergeId"], "teamId": team})
    assert [c["contactId"] for c in back["contacts"]] == ids


def test_a_big_merge_by_an_app_does_not_trip_the_deletion_guard(
    services: Services, user: ApiUser
) -> None:
    # 40 of a book of 60 deleted at once: past the guard's share, were they deletions.
    with services.store.write(owner_id=user.account_id) as conn:
        made = services.contacts.create_many_in(
            conn, user.account_id, [{"notes": str(n)} for n in range(60)]
        )
    app = app_client(services, user, "Cleaner")
    ids = [c.contact_id for c in made[:41]]
    app.ok("contacts.merge", {"contactIds": ids})
    assert services.history.holds(user.account_id) == []
    assert services.contacts.count_live(user.account_id) == 20
    last = made[-1]
    app.ok("contacts.delete", {"contactId": last.contact_id, "etag": last.etag})
