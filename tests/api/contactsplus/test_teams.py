"""teams.get, team contacts and tags through teamId, and contacts.changeOwner."""

from __future__ import annotations

from typing import Any

from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.store.changelog import ChangeLog
from tests.conftest import ApiUser, MakeUser

PERSONAL_ONLY = frozenset(s for s in ALL_SCOPES if not s.startswith("teams."))


def make_team(services: Services, owner: ApiUser, *members: ApiUser, name: str = "Sales") -> str:
    team = services.teams.create(owner.account_id, name)
    for member in members:
        services.teams.add_member(team.team_id, member.account_id)
    return team.team_id


def error(response: Any) -> dict[str, Any]:
    return dict(response.json()["error"])


# -- teams.get ---------------------------------------------------------------------------


def test_teams_get_lists_the_callers_teams_with_members(
    make_user: MakeUser, services: Services
) -> None:
    owner, member, stranger = make_user(name="Olive Owner"), make_user(), make_user()
    team_id = make_team(services, owner, member, name="Sales")
    services.teams.add_member(
        services.teams.create(stranger.account_id, "Elsewhere").team_id, member.account_id, "admin"
    )
    teams = owner.ok("teams.get", {})["teams"]
    assert len(teams) == 1
    team = teams[0]
    assert team["teamId"] == team_id
    assert team["teamId"].startswith("t_")
    assert team["teamData"] == {"name": "Sales"}
    assert set(team) == {"teamId", "created", "updated", "teamData", "teamMembers"}
    assert team["teamMembers"] == [
        {
            "accountId": owner.account_id,
            "name": "Olive Owner",
            "email": owner.email,
            "role": "owner",
        },
        {
            "accountId": member.account_id,
            "name": "Test User",
            "email": member.email,
            "role": "member",
        },
    ]
    assert sorted(t["teamData"]["name"] for t in member.ok("teams.get")["teams"]) == [
        "Elsewhere",
        "Sales",
    ]
    assert stranger.ok("teams.get")["teams"][0]["teamData"] == {"name": "Elsewhere"}
    assert make_user().ok("teams.get") == {"teams": []}


def test_teams_get_needs_teams_read(make_user: MakeUser) -> None:
    response = make_user(PERSONAL_ONLY).call("teams.get", {})
    assert response.status_code == 403
    assert "teams.read" in response.headers["www-authenticate"]
    assert error(make_user().call("teams.get", {"teamId": "x"}))["field"] == "teamId"


# -- team contacts -----------------------------------------------------------------------


def test_team_contacts_are_shared_by_their_creator_and_visible_to_members(
    make_user: MakeUser, services: Services
) -> None:
    owner, member = make_user(), make_user()
    team_id = make_team(services, owner, member)
    made = member.ok(
        "contacts.create",
        {"contact": {"contactData": {"name": {"givenName": "Tess"}}}, "teamId": team_id},
    )["contact"]
    assert made["teamId"] == team_id
    assert made["contactMetadata"] == {
        "tagIds": [],
        "companyContact": False,
        "sharedBy": [member.account_id],
    }
    seen = owner.ok("contacts.get", {"contactIds": [made["contactId"]], "teamId": team_id})
    assert seen["contacts"] == [made]
    assert owner.ok("contacts.scroll", {"teamId": team_id})["contacts"] == [made]
    # Team contacts are not the members' personal contacts, and the other way round.
    assert owner.ok("contacts.scroll", {})["contacts"] == []
    assert owner.ok("contacts.get", {"contactIds": [made["contactId"]]})["contacts"] == []
    personal = owner.create({"name": {"givenName": "Mine"}})
    assert "teamId" not in personal
    assert "sharedBy" not in personal["contactMetadata"]
    assert owner.ok("contacts.get", {"contactIds": [personal["contactId"]], "teamId": team_id}) == {
        "contacts": []
    }


def test_members_update_and_delete_team_contacts(make_user: MakeUser, services: Services) -> None:
    owner, member = make_user(), make_user()
    team_id = make_team(services, owner, member)
    made = owner.ok("contacts.create", {"contact": {"contactData": {}}, "teamId": team_id})[
        "contact"
    ]
    body = {
        "contact": {
            "contactId": made["contactId"],
            "etag": made["etag"],
            "contactData": {"notes": "n"},
        },
        "teamId": team_id,
    }
    updated = member.ok("contacts.update", body)["contact"]
    assert updated["contactData"] == {"notes": "n"}
    assert updated["contactMetadata"]["sharedBy"] == [owner.account_id]
    assert member.call("contacts.update", body).status_code == 409
    # Without teamId the same ids name nothing of the caller's.
    gone = {"contactId": made["contactId"], "etag": updated["etag"]}
    assert member.call("contacts.delete", gone).status_code == 404
    assert member.ok("contacts.delete", {**gone, "teamId": team_id}) == {}
    assert owner.ok("contacts.scroll", {"teamId": team_id}) == {"contacts": []}
    tomb = owner.ok("contacts.scroll", {"teamId": team_id, "includeDeletedContacts": True})[
        "contacts"
    ]
    assert tomb[0]["deleted"] is True
    assert tomb[0]["teamId"] == team_id


def test_team_writes_are_logged_under_the_team(make_user: MakeUser, services: Services) -> None:
    owner = make_user()
    team_id = make_team(services, owner)
    made = owner.ok("contacts.create", {"contact": {"contactData": {}}, "teamId": team_id})[
        "contact"
    ]
    tag = owner.ok("tags.create", {"tag": {"tagData": {"name": "t"}}, "teamId": team_id})["tag"]
    with services.store.read() as conn:
        team_changes = ChangeLog.since(conn, team_id, 0)
        personal = ChangeLog.since(conn, owner.account_id, 0)
    assert [(c.entity, c.entity_id, c.action) for c in team_changes] == [
        ("contact", made["contactId"], "created"),
        ("tag", tag["tagId"], "created"),
    ]
    assert personal == []


# -- team tags ---------------------------------------------------------------------------


def test_team_tags_belong_to_the_team(make_user: MakeUser, services: Services) -> None:
    owner, member = make_user(), make_user()
    team_id = make_team(services, owner, member)
    tag = member.ok("tags.create", {"tag": {"tagData": {"name": "Lead"}}, "teamId": team_id})["tag"]
    personal_tag = owner.ok("tags.create", {"tag": {"tagData": {"name": "Lead"}}})["tag"]
    assert personal_tag["tagId"] != tag["tagId"]
    assert (
        owner.ok("tags.create", {"tag": {"tagData": {"name": "lead"}}, "teamId": team_id})["tag"]
        == tag
    )
    assert owner.ok("tags.scroll", {"teamId": team_id})["tags"] == [tag]
    assert owner.ok("tags.get", {"tagIds": [tag["tagId"]]}) == {"tags": []}
    contact = owner.ok("contacts.create", {"contact": {"contactData": {}}, "teamId": team_id})[
        "contact"
    ]
    # A personal tag cannot go on a team contact, nor a team tag on a personal contact.
    wrong = owner.call(
        "contacts.manageTags",
        {
            "contactIds": [contact["contactId"]],
            "addTagIds": [personal_tag["tagId"]],
            "teamId": team_id,
        },
    )
    assert wrong.status_code == 400
    assert error(wrong)["field"] == "addTagIds"
    mine = owner.create({})
    wrong = owner.call(
        "contacts.manageTags", {"contactIds": [mine["contactId"]], "addTagIds": [tag["tagId"]]}
    )
    assert wrong.status_code == 400
    tagged = member.ok(
        "contacts.manageTags",
        {"contactIds": [contact["contactId"]], "addTagIds": [tag["tagId"]], "teamId": team_id},
    )["contacts"]
    assert tagged[0]["contactMetadata"]["tagIds"] == [tag["tagId"]]
    assert tagged[0]["teamId"] == team_id
    renamed = owner.ok(
        "tags.update",
        {
            "tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": "Hot lead"}},
            "teamId": team_id,
        },
    )["tag"]
    assert (
        member.ok(
            "tags.delete", {"tagId": tag["tagId"], "etag": renamed["etag"], "teamId": team_id}
        )
        == {}
    )
    after = owner.ok("contacts.get", {"contactIds": [contact["contactId"]], "teamId": team_id})[
        "contacts"
    ]
    assert after[0]["contactMetadata"]["tagIds"] == []
    assert after[0]["etag"] != tagged[0]["etag"]


# -- contacts.changeOwner ----------------------------------------------------------------


def test_change_owner_sets_and_clears_the_owner(make_user: MakeUser, services: Services) -> None:
    owner, member = make_user(), make_user()
    team_id = make_team(services, owner, member)
    one = owner.ok("contacts.create", {"contact": {"contactData": {}}, "teamId": team_id})[
        "contact"
    ]
    two = owner.ok("contacts.create", {"contact": {"contactData": {}}, "teamId": team_id})[
        "contact"
    ]
    ids = [one["contactId"], two["contactId"]]
    with services.store.read() as conn:
        mark = ChangeLog.last_seq(conn, team_id)
    owned = owner.ok(
        "contacts.changeOwner", {"contactIds": ids, "ownerId": member.account_id, "teamId": team_id}
    )
    assert [c["contactId"] for c in owned["contacts"]] == ids
    for before, after in zip([one, two], owned["contacts"], strict=True):
        assert after["contactMetadata"]["ownedBy"] == member.account_id
        assert after["contactMetadata"]["sharedBy"] == [owner.account_id]
        assert after["etag"] != before["etag"]
        assert after["updated"] != before["updated"]
    with services.store.read() as conn:
        changes = ChangeLog.since(conn, team_id, mark)
    assert [(c.entity_id, c.action) for c in changes] == [(i, "updated") for i in ids]
    assert owner.ok("contacts.get", {"contactIds": ids, "teamId": team_id}) == owned
    cleared = member.ok(
        "contacts.changeOwner", {"contactIds": ids[:1], "ownerId": None, "teamId": team_id}
    )
    assert "ownedBy" not in cleared["contacts"][0]["contactMetadata"]
    # Setting the owner a contact already has writes nothing.
    again = member.ok(
        "contacts.changeOwner",
        {"contactIds": ids[1:], "ownerId": member.account_id, "teamId": team_id},
    )
    assert again["contacts"] == owned["contacts"][1:]


def test_change_owner_refusals_change_nothing(make_user: MakeUser, services: Services) -> None:
    owner, outsider = make_user(), make_user()
    team_id = make_team(services, owner)
    made = owner.ok("contacts.create", {"contact": {"contactData": {}}, "teamId": team_id})[
        "contact"
    ]
    personal = owner.create({})
    ids = [made["contactId"]]
    cases = [
        ({"contactIds": ids, "ownerId": outsider.account_id, "teamId": team_id}, "ownerId"),
        ({"contactIds": ids, "ownerId": "a_nobody", "teamId": team_id}, "ownerId"),
        (
            {"contactIds": [*ids, "c_nope"], "ownerId": owner.account_id, "teamId": team_id},
            "contactIds",
        ),
        (
            {
                "contactIds": [*ids, personal["contactId"]],
                "ownerId": owner.account_id,
                "teamId": team_id,
            },
            "contactIds",
        ),
        ({"contactIds": ids, "ownerId": owner.account_id}, "teamId"),
        ({"contactIds": [], "ownerId": owner.account_id, "teamId": team_id}, "contactIds"),
        ({"contactIds": ids, "ownerId": 7, "teamId": team_id}, "ownerId"),
    ]
    for body, field in cases:
        response = owner.call("contacts.changeOwner", body)
        assert response.status_code == 400, (body, response.text)
        assert error(response)["field"] == field
    assert "c_nope" in error(owner.call("contacts.changeOwner", cases[2][0]))["message"]
    assert owner.ok("contacts.get", {"contactIds": ids, "teamId": team_id})["contacts"] == [made]
    assert owner.ok("contacts.get", {"contactIds": [personal["contactId"]]})["contacts"] == [
        personal
    ]


# -- membership --------------------------------------------------------------------------


def test_a_removed_member_loses_access_at_once(make_user: MakeUser, services: Services) -> None:
    owner, member = make_user(), make_user()
    team_id = make_team(services, owner, member)
    made = member.ok("contacts.create", {"contact": {"contactData": {}}, "teamId": team_id})[
        "contact"
    ]
    assert member.ok("contacts.scroll", {"teamId": team_id})["contacts"] == [made]
    services.teams.remove_member(team_id, member.account_id)
    response = member.call("contacts.scroll", {"teamId": team_id})
    assert response.status_code == 404
    assert error(response)["field"] == "teamId"
    assert member.ok("teams.get") == {"teams": []}
    # The contact stays the team's, still shared by its creator.
    assert owner.ok("contacts.scroll", {"teamId": team_id})["contacts"] == [made]


def test_a_non_member_gets_the_answer_an_unknown_team_gets(
    make_user: MakeUser, services: Services
) -> None:
    owner, outsider = make_user(), make_user()
    team_id = make_team(services, owner)
    real = outsider.call("contacts.scroll", {"teamId": team_id})
    fake = outsider.call("contacts.scroll", {"teamId": "t_doesnotexist"})
    assert real.status_code == fake.status_code == 404
    assert real.json() == fake.json()
    assert real.headers.get("www-authenticate") == fake.headers.get("www-authenticate")
