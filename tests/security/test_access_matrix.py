"""Who may reach whose data: every operation of every API, for every kind of caller.

The operations are read from the three OpenAPI documents, so a new endpoint fails
`test_every_operation_is_in_the_matrix` until it has a row here. Each row names its
request with a victim's ids; each cell sends it as one kind of caller:

- `other_account`: another account with every scope, using the victim's ids. The answer
  must be exactly the answer to the same request with ids that exist nowhere (the ids
  themselves masked), so it says nothing about whether the victim's objects exist.
- `non_member`: that account naming the victim's team (`teamId`, Contacts+): the same
  answer as for a team that does not exist.
- `missing_scope`: the victim's own credential without the scope: 401 or 403.
- `revoked`: the victim's own revoked token (or API key, for REST): 401 or 403.
- `no_credential`: 401 or 403.

In every cell no answer holds the victim's data, and afterwards everything the victim
holds (contacts, tags, webhooks, the team's data, the photo) is exactly as it was.
The team-by-team matrix for Contacts+ callers (members, removed members, ...) is
tests/api/contactsplus/test_team_access_matrix.py; this one covers the other callers,
every operation of the REST and personal APIs, the photo upload, webhooks and tags.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from rolodex.api.openapi.routes import DOCUMENTS
from rolodex.oauth.credentials import API_KEY
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.transfer.uids import derived_uid
from tests.photos.factories import image_bytes

SECRET_NAME = "Ottoline Vashti"
SECRET_TAG = "Crown-Jewels"
VICTIM_EMAIL_PREFIX = "victim-"
HOOK_URL = "https://93.184.215.14/hooks/access-matrix"
# A credential of the victim's that can do nothing but read the account (or, for
# `account.get` itself, nothing but read contacts).
NARROW = frozenset({"account.read"})
NARROW_FOR_ACCOUNT = frozenset({"contacts.read"})

# Operations this matrix does not cover, and why.
EXEMPT = {
    ("GET", "/photos/{photo_id}"): "the random photo id is the capability (docs/photos.md)",
    **{
        ("POST", f"{prefix}oauth.{name}"): "client-authenticated token endpoint (tests/oauth/)"
        for prefix in ("/v3/", "/api/v1/")
        for name in ("exchangeAuthCode", "refreshToken", "verifyAccessToken")
    },
}
# Operations that need no scope: a narrow credential may call them.
NO_SCOPE = {("POST", "/api/v1/webhooks.getTriggers")}


@dataclass(frozen=True)
class Ids:
    contact: str
    etag: str
    tag: str
    tag_etag: str
    webhook: str
    team: str
    team_contact: str
    sync_token: str

    def values(self) -> list[str]:
        return [
            self.contact,
            self.tag,
            self.webhook,
            self.team,
            self.team_contact,
            self.sync_token,
        ]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    kwargs: dict[str, Any]


def _json(method: str, path: str, body: Any = None) -> Request:
    return Request(method, path, {} if body is None else {"json": body})


def _rpc(name: str, body: Callable[[Ids], dict[str, Any]]) -> Callable[[Ids], Request]:
    return lambda ids: _json("POST", f"/api/v1/{name}", body(ids))


def _upload(ids: Ids, team: bool = False) -> Request:
    target: dict[str, Any] = {"contactId": ids.team_contact if team else ids.contact}
    if team:
        target["teamId"] = ids.team
    files: dict[str, tuple[str, str | bytes, str]] = {
        "contact.json": ("contact.json", orjson.dumps(target), "application/json"),
        "photo": ("p.png", image_bytes("PNG"), "image/png"),
    }
    return Request("POST", "/api/v1/contacts.uploadPhoto", {"files": files})


REST = "/v1/contacts"
PERSONAL = "/api/user/contacts"

# (method, documented path) -> the request with the victim's ids.
ROWS: dict[tuple[str, str], Callable[[Ids], Request]] = {
    ("POST", "/api/v1/account.get"): _rpc("account.get", lambda i: {}),
    ("POST", "/api/v1/contacts.get"): _rpc("contacts.get", lambda i: {"contactIds": [i.contact]}),
    ("POST", "/api/v1/contacts.scroll"): _rpc(
        "contacts.scroll", lambda i: {"includeDeletedContacts": True}
    ),
    ("POST", "/api/v1/contacts.search"): _rpc(
        "contacts.search", lambda i: {"searchQuery": "Ottoline", "tagIds": [i.tag]}
    ),
    ("POST", "/api/v1/contacts.findDuplicates"): _rpc(
        "contacts.findDuplicates", lambda i: {"minScore": 0.5}
    ),
    ("POST", "/api/v1/contacts.merge"): _rpc(
        "contacts.merge", lambda i: {"contactIds": [i.contact, i.team_contact]}
    ),
    ("POST", "/api/v1/contacts.unmerge"): _rpc(
        "contacts.unmerge", lambda i: {"mergeId": "m_unknown", "force": True}
    ),
    ("POST", "/api/v1/contacts.create"): _rpc(
        "contacts.create", lambda i: {"contact": {"contactData": {"notes": "new"}}}
    ),
    ("POST", "/api/v1/contacts.update"): _rpc(
        "contacts.update",
        lambda i: {
            "contact": {"contactId": i.contact, "etag": i.etag, "contactData": {"notes": "pwned"}}
        },
    ),
    ("POST", "/api/v1/contacts.delete"): _rpc(
        "contacts.delete", lambda i: {"contactId": i.contact, "etag": i.etag}
    ),
    ("POST", "/api/v1/contacts.getHistory"): _rpc(
        "contacts.getHistory", lambda i: {"contactId": i.contact}
    ),
    ("POST", "/api/v1/contacts.restoreVersion"): _rpc(
        "contacts.restoreVersion",
        lambda i: {"contactId": i.contact, "versionId": "1", "etag": i.etag, "force": True},
    ),
    ("POST", "/api/v1/contacts.getTrash"): _rpc("contacts.getTrash", lambda i: {}),
    ("POST", "/api/v1/contacts.undelete"): _rpc(
        "contacts.undelete", lambda i: {"contactId": i.contact}
    ),
    ("POST", "/api/v1/contacts.undoCredential"): _rpc(
        "contacts.undoCredential",
        lambda i: {"credentialName": "address book", "since": "2000-01-01T00:00:00Z"},
    ),
    ("POST", "/api/v1/contacts.manageTags"): _rpc(
        "contacts.manageTags", lambda i: {"contactIds": [i.contact], "removeTagIds": [i.tag]}
    ),
    ("POST", "/api/v1/contacts.changeOwner"): _rpc(
        "contacts.changeOwner",
        lambda i: {"contactIds": [i.team_contact], "ownerId": None, "teamId": i.team},
    ),
    ("POST", "/api/v1/contacts.uploadPhoto"): _upload,
    ("POST", "/api/v1/teams.get"): _rpc("teams.get", lambda i: {}),
    ("POST", "/api/v1/tags.get"): _rpc("tags.get", lambda i: {"tagIds": [i.tag]}),
    ("POST", "/api/v1/tags.scroll"): _rpc("tags.scroll", lambda i: {"includeDeletedTags": True}),
    ("POST", "/api/v1/tags.create"): _rpc(
        "tags.create", lambda i: {"tag": {"tagData": {"name": "brand new"}}}
    ),
    ("POST", "/api/v1/tags.update"): _rpc(
        "tags.update",
        lambda i: {"tag": {"tagId": i.tag, "etag": i.tag_etag, "tagData": {"name": "pwned"}}},
    ),
    ("POST", "/api/v1/tags.delete"): _rpc(
        "tags.delete", lambda i: {"tagId": i.tag, "etag": i.tag_etag}
    ),
    ("POST", "/api/v1/webhooks.getTriggers"): _rpc("webhooks.getTriggers", lambda i: {}),
    ("POST", "/api/v1/webhooks.create"): _rpc(
        "webhooks.create", lambda i: {"url": HOOK_URL, "triggerIds": ["contact.added"]}
    ),
    ("POST", "/api/v1/webhooks.get"): _rpc("webhooks.get", lambda i: {"webhookIds": [i.webhook]}),
    ("POST", "/api/v1/webhooks.search"): _rpc("webhooks.search", lambda i: {"url": HOOK_URL}),
    ("POST", "/api/v1/webhooks.delete"): _rpc(
        "webhooks.delete", lambda i: {"webhookId": i.webhook}
    ),
    ("POST", "/api/v1/webhooks.getBatches"): _rpc(
        "webhooks.getBatches", lambda i: {"webhookId": i.webhook}
    ),
    ("GET", REST): lambda i: Request("GET", REST, {"params": {"searchText": "Ottoline"}}),
    ("POST", REST): lambda i: _json("POST", REST, {"name": "New", "phoneNumber": "1"}),
    ("GET", REST + "/{contactId}"): lambda i: _json("GET", f"{REST}/{i.contact}"),
    ("PUT", REST + "/{contactId}"): lambda i: _json(
        "PUT", f"{REST}/{i.contact}", {"name": "pwned", "phoneNumber": "0"}
    ),
    ("DELETE", REST + "/{contactId}"): lambda i: _json("DELETE", f"{REST}/{i.contact}"),
    ("POST", REST + "/{contactId}/tags/add"): lambda i: _json(
        "POST", f"{REST}/{i.contact}/tags/add", {"tags": ["pwned"]}
    ),
    ("POST", REST + "/{contactId}/tags/remove"): lambda i: _json(
        "POST", f"{REST}/{i.contact}/tags/remove", {"tags": [SECRET_TAG]}
    ),
    # A card naming the victim's contact by its exported UID, sent as a file.
    ("POST", REST + "/import"): lambda i: Request(
        "POST",
        REST + "/import?format=jsonl",
        {
            "content": orjson.dumps(
                {"contactData": {"notes": "pwned"}, "uid": derived_uid(i.contact)}
            )
        },
    ),
    ("GET", REST + "/export"): lambda i: _json("GET", REST + "/export?format=jsonl"),
    ("GET", PERSONAL): lambda i: _json("GET", PERSONAL),
    ("POST", PERSONAL): lambda i: _json("POST", PERSONAL, {"name": "New"}),
    ("POST", PERSONAL + "/sync_tokens"): lambda i: _json("POST", PERSONAL + "/sync_tokens"),
    ("POST", PERSONAL + "/sync_tokens/{token}/diff"): lambda i: _json(
        "POST", f"{PERSONAL}/sync_tokens/{i.sync_token}/diff"
    ),
    ("GET", PERSONAL + "/{id}"): lambda i: _json("GET", f"{PERSONAL}/{i.contact}"),
    ("POST", PERSONAL + "/{id}"): lambda i: _json(
        "POST", f"{PERSONAL}/{i.contact}", {"name": "pwned"}
    ),
    ("POST", PERSONAL + "/{id}/destroy"): lambda i: _json(
        "POST", f"{PERSONAL}/{i.contact}/destroy"
    ),
    ("POST", PERSONAL + "/{id}/favorite"): lambda i: _json(
        "POST", f"{PERSONAL}/{i.contact}/favorite"
    ),
    ("POST", PERSONAL + "/{id}/unfavorite"): lambda i: _json(
        "POST", f"{PERSONAL}/{i.contact}/unfavorite"
    ),
}

KINDS = ["other_account", "non_member", "missing_scope", "revoked", "no_credential"]


def _api(path: str) -> str:
    if path.startswith(REST):
        return "rest"
    if path.startswith(PERSONAL):
        return "personal"
    return "contactsplus"


def _takes_team(key: tuple[str, str]) -> bool:
    """Whether the documented request body has a `teamId` (Contacts+ only)."""
    method, path = key
    doc = DOCUMENTS["contactsplus"]()
    op = doc["paths"].get(path, {}).get(method.lower())
    if op is None:
        return False
    if path.endswith("uploadPhoto"):
        return True
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    return "teamId" in doc["components"]["schemas"][name].get("properties", {})


def test_every_operation_is_in_the_matrix() -> None:
    documented = {
        (method.upper(), path)
        for build in DOCUMENTS.values()
        for path, item in build()["paths"].items()
        for method in item
    }
    assert documented - EXEMPT.keys() == set(ROWS)


@dataclass
class Cast:
    client: TestClient
    services: Services
    victim: str
    ids: Ids
    photo_id: str
    # api -> headers, per kind of caller
    headers: dict[str, dict[str, dict[str, str]]]


def _issue(services: Services, account_id: str, scopes: frozenset[str], kind: str = "") -> str:
    if kind:
        return services.credentials.issue(account_id, scopes, kind=kind).secret
    return services.credentials.issue(account_id, scopes).secret


def _revoked(services: Services, account_id: str, kind: str = "access_token") -> str:
    issued = services.credentials.issue(account_id, ALL_SCOPES, kind=kind)
    assert services.credentials.revoke(account_id, issued.credential_id)
    return issued.secret


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture(scope="module")
def cast(client: TestClient, services: Services) -> Cast:
    """The victim's data and every caller's credentials, made once per module and store.

    No cell may change the victim's data, and each cell checks that it did not; so the
    cells can share it (an account costs an argon2 hash).
    """
    victim = services.accounts.create(
        f"{VICTIM_EMAIL_PREFIX}{secrets.token_hex(6)}@example.com", "correct horse battery", "V"
    ).account_id
    other = services.accounts.create(
        f"other-{secrets.token_hex(6)}@example.com", "correct horse battery", "O"
    ).account_id
    token = _issue(services, victim, ALL_SCOPES)

    def ok(method: str, body: dict[str, Any]) -> dict[str, Any]:
        response = client.post(f"/api/v1/{method}", json=body, headers=_bearer(token))
        assert response.status_code == 200, response.text
        return dict(response.json())

    data = {"displayName": SECRET_NAME, "notes": f"{SECRET_NAME}'s secrets"}
    contact = ok("contacts.create", {"contact": {"contactData": data}})["contact"]
    tag = ok("tags.create", {"tag": {"tagData": {"name": SECRET_TAG}}})["tag"]
    ok("contacts.manageTags", {"contactIds": [contact["contactId"]], "addTagIds": [tag["tagId"]]})
    files: dict[str, tuple[str, str | bytes, str]] = {
        "contact.json": (
            "contact.json",
            f'{{"contactId": "{contact["contactId"]}"}}',
            "application/json",
        ),
        "photo": ("p.png", image_bytes("PNG"), "image/png"),
    }
    uploaded = client.post("/api/v1/contacts.uploadPhoto", files=files, headers=_bearer(token))
    assert uploaded.status_code == 200, uploaded.text
    contact = uploaded.json()["contact"]
    photo_url = contact["contactData"]["photos"][0]["value"]
    webhook = ok("webhooks.create", {"url": HOOK_URL, "triggerIds": ["contact.added", "tag.added"]})
    team = services.teams.create(victim, "Victim team").team_id
    team_contact = ok(
        "contacts.create",
        {"contact": {"contactData": {"displayName": SECRET_NAME}}, "teamId": team},
    )["contact"]
    ids = Ids(
        contact=contact["contactId"],
        etag=contact["etag"],
        tag=tag["tagId"],
        tag_etag=tag["etag"],
        webhook=webhook["webhook"]["webhookId"],
        team=team,
        team_contact=team_contact["contactId"],
        sync_token=services.sync.start(victim),
    )
    other_token = _bearer(_issue(services, other, ALL_SCOPES))
    other_key = {"x-api-key": _issue(services, other, ALL_SCOPES, API_KEY)}
    narrow_token = _issue(services, victim, NARROW)
    narrow_key = _issue(services, victim, NARROW, API_KEY)
    headers = {
        "contactsplus": {
            "other_account": other_token,
            "missing_scope": _bearer(narrow_token),
            "missing_scope_account": _bearer(_issue(services, victim, NARROW_FOR_ACCOUNT)),
            "revoked": _bearer(_revoked(services, victim)),
            "no_credential": {},
        },
        "rest": {
            "other_account": other_key,
            "missing_scope": {"x-api-key": narrow_key},
            "revoked": {"x-api-key": _revoked(services, victim, API_KEY)},
            "no_credential": {},
        },
        "personal": {
            "other_account": other_token,
            "missing_scope": _bearer(narrow_key),
            "revoked": _bearer(_revoked(services, victim, API_KEY)),
            "no_credential": {},
        },
    }
    return Cast(client, services, victim, ids, photo_url.rsplit("/", 1)[-1].split("?")[0], headers)


def snapshot(cast: Cast) -> tuple[Any, ...]:
    """Everything the victim holds, with versions: any write would change it."""
    services = cast.services
    out: list[Any] = []
    for owner in (cast.victim, cast.ids.team):
        contacts = services.contacts.scroll(owner, size=1000, include_deleted=True).contacts
        tags = services.tags.scroll(owner, size=1000, include_deleted=True).tags
        out.append(
            [(c.contact_id, c.etag, c.deleted_at, c.tag_ids, c.meta, c.data) for c in contacts]
        )
        out.append([(t.tag_id, t.etag, t.name, t.deleted_at) for t in tags])
        out.append(
            [(w.webhook_id, w.url, w.triggers) for w in services.webhooks.search(owner).webhooks]
        )
    out.append(services.photos.read(cast.photo_id).etag)
    return tuple(out)


def _missing(value: str) -> str:
    """An id of the same shape that exists nowhere."""
    prefix, sep, rest = value.partition("_")
    if not sep:
        return secrets.token_urlsafe(len(value))[: len(value)]
    return prefix + sep + secrets.token_urlsafe(len(rest))[: len(rest)]


def _send(cast: Cast, request: Request, headers: dict[str, str]) -> Any:
    kwargs = dict(request.kwargs)
    return cast.client.request(request.method, request.path, headers=headers, **kwargs)


def _masked(response: Any, ids: Ids) -> tuple[int, str]:
    text = response.text
    for value in ids.values():
        text = text.replace(value, "<id>")
    return response.status_code, text


def _assert_no_leak(response: Any, ids: Ids) -> None:
    text = response.text
    assert SECRET_NAME not in text, text
    assert SECRET_TAG not in text, text
    assert VICTIM_EMAIL_PREFIX not in text, text
    for value in (ids.contact, ids.tag, ids.webhook, ids.team_contact):
        # An id appears only where the caller sent it and the answer names what was asked.
        assert value not in text or response.status_code >= 400, text


# `non_member` only where the request can name a team.
CELLS = [
    (key, kind)
    for key in sorted(ROWS)
    for kind in KINDS
    if kind != "non_member" or _takes_team(key)
]


@pytest.mark.parametrize(("key", "kind"), CELLS, ids=[f"{k[0]} {k[1]}-{c}" for k, c in CELLS])
def test_access(cast: Cast, key: tuple[str, str], kind: str) -> None:
    api = _api(key[1])
    before = snapshot(cast)
    build = ROWS[key]
    ids = cast.ids
    if kind in ("other_account", "non_member"):
        headers = cast.headers[api]["other_account"]
        if kind == "non_member":
            request = _with_team(build(ids), ids.team)
            missing_request = _with_team(build(ids), _missing(ids.team))
            missing_ids = replace(ids, team=_missing(ids.team))
        else:
            missing_ids = Ids(**{f: _missing(v) for f, v in vars(ids).items()})
            request = build(ids)
            missing_request = build(missing_ids)
        foreign = _send(cast, request, headers)
        _assert_no_leak(foreign, ids)
        assert foreign.status_code < 500
        if repr(request) != repr(missing_request):
            # The request names the victim's objects: its answer must be the missing one's.
            absent = _send(cast, missing_request, headers)
            assert _masked(foreign, ids) == _masked(absent, missing_ids), (
                foreign.text,
                absent.text,
            )
    else:
        if kind == "missing_scope" and key == ("POST", "/api/v1/account.get"):
            headers = cast.headers[api]["missing_scope_account"]
        else:
            headers = cast.headers[api][kind]
        response = _send(cast, build(ids), headers)
        _assert_no_leak(response, ids)
        if not (kind == "missing_scope" and key in NO_SCOPE):
            assert response.status_code in (401, 403), response.text
    assert snapshot(cast) == before, f"{kind} changed the victim's data with {key}"


def _with_team(request: Request, team: str) -> Request:
    """The request naming `team` as its `teamId` (in the JSON body or `contact.json`)."""
    kwargs = dict(request.kwargs)
    if "json" in kwargs:
        kwargs["json"] = {**kwargs["json"], "teamId": team}
    else:
        name, raw, media = kwargs["files"]["contact.json"]
        kwargs["files"] = {
            **kwargs["files"],
            "contact.json": (name, orjson.dumps({**orjson.loads(raw), "teamId": team}), media),
        }
    return Request(request.method, request.path, kwargs)
