"""The history extension methods on a team's book: the team scopes, membership, the shapes."""

from __future__ import annotations

from typing import Any

from rolodex.services import Services
from tests.conftest import MakeUser


def test_a_member_sees_and_restores_the_team_trash(make_user: MakeUser, services: Services) -> None:
    owner, member = make_user(), make_user()
    team = services.teams.create(owner.account_id, "Sales").team_id
    services.teams.add_member(team, member.account_id)
    made = owner.ok(
        "contacts.create", {"contact": {"contactData": {"notes": "lead"}}, "teamId": team}
    )["contact"]
    owner.ok(
        "contacts.delete", {"contactId": made["contactId"], "etag": made["etag"], "teamId": team}
    )
    [trashed] = member.ok("contacts.getTrash", {"teamId": team})["contacts"]
    assert trashed["contactId"] == made["contactId"]
    assert member.ok("contacts.getTrash")["contacts"] == []
    back = member.ok("contacts.undelete", {"contactId": made["contactId"], "teamId": team})
    assert back["contact"]["teamId"] == team
    versions = member.ok("contacts.getHistory", {"contactId": made["contactId"], "teamId": team})
    # The deleted version (replaced by the undelete), then the live one (by the delete).
    assert [v["deleted"] for v in versions["versions"]] == [True, False]
    assert [v["contactData"] for v in versions["versions"]] == [{"notes": "lead"}] * 2


def test_the_team_methods_need_the_team_scopes_and_membership(
    make_user: MakeUser, services: Services
) -> None:
    owner, stranger = make_user(), make_user()
    team = services.teams.create(owner.account_id, "Ops").team_id
    personal_only = make_user(frozenset({"contacts.read", "contacts.write"}))
    services.teams.add_member(team, personal_only.account_id)
    calls: list[tuple[str, dict[str, Any]]] = [
        ("contacts.getTrash", {"teamId": team}),
        ("contacts.getHistory", {"contactId": "c_x", "teamId": team}),
        ("contacts.undelete", {"contactId": "c_x", "teamId": team}),
        ("contacts.undoCredential", {"credentialName": "x", "since": "2026-01-01", "teamId": team}),
    ]
    for method, body in calls:
        assert personal_only.call(method, body).status_code == 403, method
        refused = stranger.call(method, body)
        assert refused.status_code == 404, method
        assert refused.json()["error"]["field"] == "teamId"
