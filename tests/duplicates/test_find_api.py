"""`contacts.findDuplicates` over real HTTP, on both stores: what a client sees."""

from __future__ import annotations

from typing import Any

from rolodex.services import Services
from tests.conftest import ApiUser, MakeUser


def bob(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": {"givenName": "Bob", "familyName": "Smith"},
        "phoneNumbers": [{"type": "mobile", "value": "+1 415 555 0100"}],
    }
    data.update(extra)
    return data


def robert(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": {"givenName": "Robert", "familyName": "Smith"},
        "phoneNumbers": [{"type": "mobile", "value": "(415) 555-0100"}],
    }
    data.update(extra)
    return data


def ids(user: ApiUser, body: dict[str, Any] | None = None) -> list[list[str]]:
    return [d["contactIds"] for d in user.ok("contacts.findDuplicates", body or {})["duplicates"]]


def test_bob_and_robert_smith_are_suggested_with_reasons(user: ApiUser) -> None:
    first, second = user.create(bob()), user.create(robert())
    user.create({"name": {"givenName": "Alice", "familyName": "Jones"}})
    answer = user.ok("contacts.findDuplicates", {})
    assert answer == {
        "duplicates": [
            {
                "contactIds": sorted([first["contactId"], second["contactId"]]),
                "score": answer["duplicates"][0]["score"],
                "reasons": ["same mobile +1 415 555 0100", "names 'Bob Smith' and 'Robert Smith'"],
            }
        ]
    }
    assert 0.85 <= answer["duplicates"][0]["score"] <= 1


def test_an_edit_is_seen_at_once_and_a_deleted_contact_is_never_suggested(user: ApiUser) -> None:
    first, second = user.create(bob()), user.create({"name": {"givenName": "Robert"}})
    assert ids(user) == []
    user.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": second["contactId"],
                "etag": second["etag"],
                "contactData": robert(),
            }
        },
    )
    assert ids(user) == [sorted([first["contactId"], second["contactId"]])]
    user.ok("contacts.delete", {"contactId": first["contactId"], "etag": first["etag"]})
    assert ids(user) == []


def test_one_account_never_sees_another_accounts_suggestions(make_user: MakeUser) -> None:
    alice, mallory = make_user(), make_user()
    alice.create(bob())
    alice.create(robert())
    mallory.create(bob())
    assert len(ids(alice)) == 1
    assert ids(mallory) == []


def test_a_team_book_is_searched_by_its_members_only(
    make_user: MakeUser, services: Services
) -> None:
    owner, member, stranger = make_user(), make_user(), make_user()
    team = services.teams.create(owner.account_id, "Sales").team_id
    services.teams.add_member(team, member.account_id)
    made = [
        member.ok("contacts.create", {"contact": {"contactData": d}, "teamId": team})["contact"]
        for d in (bob(), robert())
    ]
    assert ids(owner, {"teamId": team}) == [sorted(c["contactId"] for c in made)]
    assert ids(member) == []
    refused = stranger.call("contacts.findDuplicates", {"teamId": team})
    assert refused.status_code == 404
    assert refused.json()["error"]["field"] == "teamId"


def test_finding_needs_the_read_scope(make_user: MakeUser) -> None:
    writer = make_user(frozenset({"contacts.write"}))
    assert writer.call("contacts.findDuplicates", {}).status_code == 403


def test_pages_follow_a_signed_cursor_bound_to_the_score(user: ApiUser) -> None:
    for n in range(3):
        phone = f"+1 415 555 01{n:02d}"
        for given in ("Bob", "Robert"):
            user.create(
                {
                    "name": {"givenName": given, "familyName": f"Smith{'e' * n}"},
                    "phoneNumbers": [{"type": "mobile", "value": phone}],
                }
            )
    first = user.ok("contacts.findDuplicates", {"size": 2})
    assert len(first["duplicates"]) == 2
    rest = user.ok("contacts.findDuplicates", {"size": 2, "cursor": first["cursor"]})
    assert len(rest["duplicates"]) == 1
    assert "cursor" not in rest
    seen = [d["contactIds"] for d in first["duplicates"] + rest["duplicates"]]
    assert len({tuple(s) for s in seen}) == 3
    other = user.call("contacts.findDuplicates", {"cursor": first["cursor"], "minScore": 0.6})
    assert other.status_code == 400
    assert other.json()["error"]["field"] == "cursor"


def test_bad_input_is_a_400_naming_the_field(user: ApiUser) -> None:
    for body, field in (
        ({"minScore": 1.5}, "minScore"),
        ({"minScore": 0.2}, "minScore"),
        ({"minScore": "high"}, "minScore"),
        ({"size": 0}, "size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"unknown": 1}, "unknown"),
    ):
        response = user.call("contacts.findDuplicates", body)
        assert response.status_code == 400, body
        assert response.json()["error"]["field"] == field, body


def test_a_chain_of_links_does_not_join_two_people(user: ApiUser) -> None:
    # Ann ~ Anne by phone, Anne ~ Anne by email; but Ann and the second Anne have two
    # different birthdays: they are two people, so Ann stays out of the Annes' group.
    ann = user.create(
        {
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "phoneNumbers": [{"type": "mobile", "value": "+1 415 555 0111"}],
            "birthday": {"year": 1980, "month": 1, "day": 1},
        }
    )
    anne = user.create(
        {
            "name": {"givenName": "Anne", "familyName": "Lee"},
            "phoneNumbers": [{"type": "mobile", "value": "415-555-0111"}],
            "emails": [{"value": "anne@lee.example"}],
        }
    )
    other = user.create(
        {
            "name": {"givenName": "Anne", "familyName": "Lee"},
            "emails": [{"value": "Anne@Lee.example"}],
            "birthday": {"year": 1990, "month": 5, "day": 5},
        }
    )
    groups = ids(user)
    assert groups == [sorted([anne["contactId"], other["contactId"]])]
    assert all(ann["contactId"] not in g for g in groups)
