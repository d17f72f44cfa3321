"""Who may find, merge and unmerge: the scopes (`contacts.read` to find, `contacts.write`
to merge), a team's book for its members, and another account's ids, which give 404 or
403 and change nothing. Over real HTTP, on both stores."""

from __future__ import annotations

from typing import Any

from rolodex.services import Services
from tests.conftest import ApiUser, MakeUser
from tests.duplicates.test_merge_api import ANN, ANNIE, stored

READ = frozenset({"contacts.read"})
WRITE = frozenset({"contacts.write"})


def _token(services: Services, user: ApiUser, scopes: frozenset[str]) -> ApiUser:
    """The same account, with another token of only these scopes."""
    issued = services.credentials.issue(user.account_id, scopes)
    return ApiUser(user.client, user.account_id, user.email, issued.secret)


def _pair(user: ApiUser, team: str | None = None) -> list[str]:
    body: dict[str, Any] = {"teamId": team} if team else {}
    return [
        user.ok("contacts.create", {"contact": {"contactData": d}, **body})["contact"]["contactId"]
        for d in (ANN, ANNIE)
    ]


def test_reading_finds_and_only_writing_merges(services: Services, user: ApiUser) -> None:
    ids = _pair(user)
    before = stored(services, user.account_id, ids)
    reader, writer = _token(services, user, READ), _token(services, user, WRITE)
    assert len(reader.ok("contacts.findDuplicates", {})["duplicates"]) == 1
    assert writer.call("contacts.findDuplicates", {}).status_code == 403
    for body in ({"contactIds": ids}, {"contactIds": ids, "dryRun": True}):
        refused = reader.call("contacts.merge", body)
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "insufficient_scope"
    assert stored(services, user.account_id, ids) == before
    merge_id = writer.ok("contacts.merge", {"contactIds": ids})["mergeId"]
    for body in ({"mergeId": merge_id}, {"mergeId": merge_id, "force": True}):
        assert reader.call("contacts.unmerge", body).status_code == 403
    assert stored(services, user.account_id, ids)[ids[1]][3] is True
    writer.ok("contacts.unmerge", {"mergeId": merge_id})
    assert stored(services, user.account_id, ids) == before


def test_a_teams_book_needs_the_team_scopes(
    services: Services, make_user: MakeUser, user: ApiUser
) -> None:
    team = services.teams.create(user.account_id, "Sales").team_id
    ids = _pair(user, team)
    before = stored(services, team, ids)
    personal = _token(services, user, READ | WRITE)
    team_reader = _token(services, user, frozenset({"teams.contacts.read"}))
    assert personal.call("contacts.findDuplicates", {"teamId": team}).status_code == 403
    assert len(team_reader.ok("contacts.findDuplicates", {"teamId": team})["duplicates"]) == 1
    for caller in (personal, team_reader):
        refused = caller.call("contacts.merge", {"contactIds": ids, "teamId": team})
        assert refused.status_code == 403, refused.text
    # The team's contacts are not in the account's own book.
    assert personal.call("contacts.merge", {"contactIds": ids}).status_code == 404
    assert stored(services, team, ids) == before
    merge_id = user.ok("contacts.merge", {"contactIds": ids, "teamId": team})["mergeId"]
    # Nor is the team's merge the account's own.
    own = user.call("contacts.unmerge", {"mergeId": merge_id, "force": True})
    assert own.status_code == 404
    assert own.json()["error"]["field"] == "mergeId"
    assert personal.call("contacts.unmerge", {"mergeId": merge_id, "teamId": team}).status_code == (
        403
    )
    user.ok("contacts.unmerge", {"mergeId": merge_id, "teamId": team})
    assert stored(services, team, ids) == before


def test_another_accounts_ids_change_nothing(services: Services, make_user: MakeUser) -> None:
    alice, mallory = make_user(), make_user()
    theirs = _pair(alice)
    mine = _pair(mallory)
    before = {**stored(services, alice.account_id, theirs)}
    own_before = stored(services, mallory.account_id, mine)
    attempts: list[dict[str, Any]] = [
        {"contactIds": theirs},
        {"contactIds": [mine[0], theirs[0]]},
        {"contactIds": [mine[0], theirs[0]], "survivorId": theirs[0]},
        {"contactIds": [mine[0], theirs[0]], "dryRun": True},
        {"contactIds": [theirs[0], mine[0]], "contactData": {"notes": "taken"}},
    ]
    for body in attempts:
        refused = mallory.call("contacts.merge", body)
        assert refused.status_code == 404, (body, refused.text)
        assert refused.json()["error"]["field"] == "contactIds"
    assert stored(services, alice.account_id, theirs) == before
    assert stored(services, mallory.account_id, mine) == own_before
    # Another team's book: a stranger naming it is 404 (not a member), as is its merge.
    team = services.teams.create(alice.account_id, "Family").team_id
    ids = _pair(alice, team)
    answer = alice.ok("contacts.merge", {"contactIds": ids, "teamId": team})
    calls: list[tuple[str, dict[str, Any]]] = [
        ("contacts.findDuplicates", {"teamId": team}),
        ("contacts.merge", {"contactIds": ids, "teamId": team}),
        ("contacts.unmerge", {"mergeId": answer["mergeId"], "teamId": team, "force": True}),
    ]
    for method, body in calls:
        refused = mallory.call(method, body)
        assert refused.status_code == 404, (method, refused.text)
        assert refused.json()["error"]["field"] == "teamId"
    assert mallory.call("contacts.unmerge", {"mergeId": answer["mergeId"]}).status_code == 404
    assert stored(services, team, ids)[ids[1]][3] is True
