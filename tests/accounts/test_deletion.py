"""Deleting an account: everything it owns goes at once, and nobody else's data moves."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from rolodex.errors import Conflict
from rolodex.oauth.credentials import API_KEY
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.store.schema import (
    changes,
    contact_search,
    credentials,
    oauth_apps,
    photos,
    tags,
    team_members,
    teams,
    web_sessions,
    webhooks,
)
from tests.conftest import ApiUser
from tests.photos.factories import image_bytes

HOOK = "https://93.184.215.14/hooks/rolodex"


def _count(services: Services, table: object, *where: object) -> int:
    statement = select(func.count()).select_from(table)  # type: ignore[arg-type]
    for condition in where:
        statement = statement.where(condition)  # type: ignore[arg-type]
    with services.store.read() as conn:
        return int(conn.execute(statement).scalar_one())


def _upload(user: ApiUser, contact_id: str) -> str:
    files = {
        "contact.json": (None, orjson.dumps({"contactId": contact_id}), "application/json"),
        "image.png": ("image.png", image_bytes("PNG"), "application/octet-stream"),
    }
    response = user.client.post(
        "/api/v1/contacts.uploadPhoto",
        files=files,
        headers={"Authorization": f"Bearer {user.token}"},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["contact"]["contactData"]["photos"][0]["value"])


def test_deleting_an_account_removes_what_it_owns_and_revokes_every_credential(
    make_user: Any, services: Services
) -> None:
    doomed: ApiUser = make_user()
    other: ApiUser = make_user()
    mine = doomed.create({"name": {"givenName": "Gone"}, "emails": [{"value": "g@example.com"}]})
    theirs = other.create({"name": {"givenName": "Stays"}})
    doomed.ok("tags.create", {"tag": {"tagData": {"name": "Doomed"}}})
    doomed.ok("webhooks.create", {"url": HOOK, "triggerIds": ["contact.added"]})
    photo = _upload(doomed, mine["contactId"])
    assert doomed.client.get(photo).status_code == 200
    key = services.credentials.issue(doomed.account_id, ALL_SCOPES, kind=API_KEY).secret
    app = services.apps.create(doomed.account_id, "Doomed app", ["https://app.example.com/cb"])
    # Another account's token given to the doomed account's app stops working too.
    given = services.credentials.issue(
        other.account_id, ALL_SCOPES, client_id=app.app.client_id
    ).secret
    services.sessions.start(doomed.account_id, "test browser")
    solo = services.teams.create(doomed.account_id, "Solo team")
    shared = services.teams.create(other.account_id, "Shared team")
    services.teams.add_member(shared.team_id, doomed.account_id, "admin")
    team_contact = doomed.ok(
        "contacts.create",
        {"contact": {"contactData": {"name": {"givenName": "Team"}}}, "teamId": solo.team_id},
    )["contact"]
    assert team_contact["contactId"]

    gone = services.account_deletion.delete(doomed.account_id)

    assert gone.contacts == 2
    assert gone.teams_deleted == [solo.team_id]
    assert gone.teams_left == [shared.team_id]
    bearer = {"Authorization": f"Bearer {doomed.token}"}
    client = doomed.client
    assert client.post("/api/v1/contacts.scroll", json={}, headers=bearer).status_code == 401
    assert client.get("/api/user/contacts", headers=bearer).status_code == 401
    assert (
        client.get("/api/user/contacts", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )
    assert client.get("/v1/contacts", headers={"x-api-key": key}).status_code == 403
    assert (
        client.post(
            "/api/v1/account.get", json={}, headers={"Authorization": f"Bearer {given}"}
        ).status_code
        == 401
    )
    assert client.get(photo).status_code == 404
    for table, column in [
        (credentials, credentials.c.account_id),
        (oauth_apps, oauth_apps.c.account_id),
        (web_sessions, web_sessions.c.account_id),
        (team_members, team_members.c.account_id),
    ]:
        assert _count(services, table, column == doomed.account_id) == 0
    for owner in (doomed.account_id, solo.team_id):
        for table, column in [
            (tags, tags.c.owner_id),
            (webhooks, webhooks.c.owner_id),
            (photos, photos.c.owner_id),
            (changes, changes.c.owner_id),
            (contact_search, contact_search.c.owner_id),
        ]:
            assert _count(services, table, column == owner) == 0
    assert _count(services, teams, teams.c.team_id == solo.team_id) == 0
    # The other account: its contact, its search and its team are as they were.
    assert (
        other.ok("contacts.get", {"contactIds": [theirs["contactId"]]})["contacts"][0]["etag"]
        == theirs["etag"]
    )
    found = other.ok("contacts.search", {"searchQuery": "Stays"})["contacts"]
    assert [c["contactId"] for c in found] == [theirs["contactId"]]
    assert [m.account_id for m in services.teams.get(shared.team_id).members] == [other.account_id]


def test_the_only_owner_of_a_team_with_members_cannot_be_deleted(
    make_user: Any, services: Services
) -> None:
    owner: ApiUser = make_user()
    member: ApiUser = make_user()
    team = services.teams.create(owner.account_id, "Busy team")
    services.teams.add_member(team.team_id, member.account_id)
    contact = owner.create({"name": {"givenName": "Kept"}})
    with pytest.raises(Conflict) as refused:
        services.account_deletion.delete(owner.account_id)
    assert team.team_id in refused.value.message
    # Nothing changed: the account, its token and its contact are all still there.
    assert owner.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"]
