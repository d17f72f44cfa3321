"""Who may reach a team's data: every endpoint that takes `teamId`, for every kind of caller.

Each cell builds a fresh team (owner, a contact, a tag), calls one endpoint as one kind of
caller, and checks the answer and that the team's data is exactly as it was unless the
caller was allowed to write. No cell may leak the team's data in its answer.

The accounts (one per kind of caller) are made once per module and store: an account
costs an argon2 hash, and 400-odd of them made this file take minutes. Every cell still
builds its own team, contact, tag and webhook, and sets its caller's membership of that
team itself, so no cell sees or depends on another's data.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.api.contactsplus.routes import METHODS
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from tests.conftest import ApiUser

SECRET_NAME = "Zebulon Quixote"
SECRET_TAG = "Vault-7"
# A public address needs no DNS; nothing is delivered to it in these tests.
HOOK_URL = "https://93.184.215.14/hooks/matrix"
PERSONAL_ONLY = frozenset(s for s in ALL_SCOPES if not s.startswith("teams."))


@dataclass
class World:
    team_id: str
    owner: ApiUser
    contact: dict[str, Any]
    tag: dict[str, Any]
    webhook: dict[str, Any]


Body = Callable[[World], dict[str, Any]]

# endpoint -> (request body naming the team, is it a write)
ENDPOINTS: dict[str, tuple[Body, bool]] = {
    "contacts.get": (lambda w: {"contactIds": [w.contact["contactId"]]}, False),
    "contacts.scroll": (lambda w: {"includeDeletedContacts": True}, False),
    "contacts.search": (lambda w: {"searchQuery": "Zebulon", "tagIds": [w.tag["tagId"]]}, False),
    "contacts.findDuplicates": (lambda w: {"minScore": 0.5}, False),
    "contacts.create": (lambda w: {"contact": {"contactData": {"notes": "new"}}}, True),
    "contacts.update": (
        lambda w: {
            "contact": {
                "contactId": w.contact["contactId"],
                "etag": w.contact["etag"],
                "contactData": {"notes": "changed"},
            }
        },
        True,
    ),
    "contacts.delete": (
        lambda w: {"contactId": w.contact["contactId"], "etag": w.contact["etag"]},
        True,
    ),
    "contacts.manageTags": (
        lambda w: {"contactIds": [w.contact["contactId"]], "removeTagIds": [w.tag["tagId"]]},
        True,
    ),
    "contacts.changeOwner": (
        lambda w: {"contactIds": [w.contact["contactId"]], "ownerId": w.owner.account_id},
        True,
    ),
    "tags.get": (lambda w: {"tagIds": [w.tag["tagId"]]}, False),
    "tags.scroll": (lambda w: {"includeDeletedTags": True}, False),
    "tags.create": (lambda w: {"tag": {"tagData": {"name": "brand new"}}}, True),
    "tags.update": (
        lambda w: {
            "tag": {"tagId": w.tag["tagId"], "etag": w.tag["etag"], "tagData": {"name": "x"}}
        },
        True,
    ),
    "tags.delete": (lambda w: {"tagId": w.tag["tagId"], "etag": w.tag["etag"]}, True),
    "webhooks.get": (lambda w: {"webhookIds": [w.webhook["webhookId"]]}, False),
    "webhooks.search": (lambda w: {"url": HOOK_URL}, False),
    "webhooks.getBatches": (lambda w: {"webhookId": w.webhook["webhookId"]}, False),
    "webhooks.create": (lambda w: {"url": HOOK_URL, "triggerIds": ["contact.added"]}, True),
    "webhooks.delete": (lambda w: {"webhookId": w.webhook["webhookId"]}, True),
}
# Answers that may hold nothing: no batch was sent yet; the team's one contact has no duplicate
# (tests/duplicates/test_find_api.py reads a team's duplicates).
MAY_BE_EMPTY = {"webhooks.getBatches", "contacts.findDuplicates"}

CALLERS = ["owner", "member", "other_account", "non_member", "missing_scope", "removed_member"]


@pytest.fixture(scope="module")
def cast(client: TestClient, services: Services) -> dict[str, ApiUser]:
    """One account per kind of caller (the team owner included), for this module and store."""

    def account(scopes: frozenset[str]) -> ApiUser:
        email = f"matrix-{secrets.token_hex(6)}@example.com"
        made = services.accounts.create(email, "correct horse battery", "Matrix")
        issued = services.credentials.issue(made.account_id, scopes)
        return ApiUser(client, made.account_id, email, issued.secret)

    kinds = {kind: ALL_SCOPES for kind in CALLERS}
    kinds["missing_scope"] = PERSONAL_ONLY
    return {kind: account(scopes) for kind, scopes in kinds.items()}


def build_world(services: Services, owner: ApiUser) -> World:
    team_id = services.teams.create(owner.account_id, "Matrix").team_id
    tag = owner.ok("tags.create", {"tag": {"tagData": {"name": SECRET_TAG}}, "teamId": team_id})
    contact = owner.ok(
        "contacts.create",
        {"contact": {"contactData": {"name": {"givenName": SECRET_NAME}}}, "teamId": team_id},
    )["contact"]
    tagged = owner.ok(
        "contacts.manageTags",
        {
            "contactIds": [contact["contactId"]],
            "addTagIds": [tag["tag"]["tagId"]],
            "teamId": team_id,
        },
    )["contacts"][0]
    webhook = owner.ok(
        "webhooks.create",
        {"url": HOOK_URL, "triggerIds": ["contact.added", "tag.added"], "teamId": team_id},
    )["webhook"]
    return World(team_id, owner, tagged, tag["tag"], webhook)


def snapshot(services: Services, team_id: str) -> tuple[Any, ...]:
    """Everything the team holds, with versions: any write would change it."""
    contacts = services.contacts.scroll(team_id, size=1000, include_deleted=True).contacts
    tags = services.tags.scroll(team_id, size=1000, include_deleted=True).tags
    webhooks = services.webhooks.search(team_id).webhooks
    return (
        [(c.contact_id, c.etag, c.deleted_at, c.tag_ids, c.meta, c.data) for c in contacts],
        [(t.tag_id, t.etag, t.name, t.deleted_at) for t in tags],
        [(w.webhook_id, w.url, w.triggers, w.disabled_at) for w in webhooks],
    )


def caller(
    kind: str, world: World, services: Services, cast: dict[str, ApiUser]
) -> tuple[ApiUser, str | None]:
    """The caller of this kind, and the teamId it sends (None: it calls without one)."""
    if kind == "owner":
        return world.owner, world.team_id
    if kind == "other_account":
        # Another account, using the team's ids as if they were its own (no teamId).
        return cast[kind], None
    if kind == "non_member":
        return cast[kind], world.team_id
    member = cast[kind]
    services.teams.add_member(world.team_id, member.account_id)
    if kind == "removed_member":
        services.teams.remove_member(world.team_id, member.account_id)
    return member, world.team_id


def assert_no_leak(response: Any, world: World) -> None:
    text = response.text
    assert SECRET_NAME not in text, text
    assert SECRET_TAG not in text, text
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
    else:
        ids = {
            item.get("contactId") or item.get("tagId") or item.get("webhookId")
            for key in ("contacts", "tags", "webhooks")
            for item in response.json().get(key, [])
        }
        team_ids = {world.contact["contactId"], world.tag["tagId"], world.webhook["webhookId"]}
        assert not ids & team_ids
        assert "batches" not in response.json()


@pytest.mark.parametrize("kind", CALLERS)
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_team_access(
    endpoint: str, kind: str, services: Services, cast: dict[str, ApiUser]
) -> None:
    assert endpoint in METHODS, f"{endpoint} is in the matrix but not served"
    body_of, is_write = ENDPOINTS[endpoint]
    world = build_world(services, cast["owner"])
    who, team_id = caller(kind, world, services, cast)
    before = snapshot(services, world.team_id)
    body = body_of(world)
    if team_id is not None:
        body["teamId"] = team_id
    response = who.call(endpoint, body)
    after = snapshot(services, world.team_id)

    if kind in ("owner", "member"):
        assert response.status_code == 200, response.text
        if is_write:
            assert after != before
        else:
            assert after == before
            found = [v for k, v in response.json().items() if k != "cursor" and v]
            assert found or endpoint in MAY_BE_EMPTY, "a member reads the team's data"
        return

    assert after == before, f"{kind} changed the team's data through {endpoint}"
    assert_no_leak(response, world)
    if kind == "missing_scope":
        assert response.status_code == 403
        assert "teams." in response.headers["www-authenticate"]
    elif kind in ("non_member", "removed_member"):
        assert response.status_code == 404
        assert response.json()["error"]["field"] == "teamId"
    else:
        assert response.status_code in (200, 400, 404), response.text
