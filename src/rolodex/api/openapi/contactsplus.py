"""The Contacts+ API as OpenAPI 3.1: `POST /api/v1/<method>`, the OAuth token endpoints, photos.

Request bodies are the pydantic envelopes of `rolodex.api.contactsplus` (the METHODS
table's handlers parse with them); the answers are written out from
`rolodex/contactsplus_objects.py`, `webhooks.py` and `oauth/routes.py`.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from rolodex.api.contactsplus import account, contacts, contacts_search, duplicates, tags, teams
from rolodex.api.contactsplus import history as history_api
from rolodex.api.contactsplus import photos as photo_api
from rolodex.api.contactsplus import webhooks as webhooks_api
from rolodex.api.openapi.common import (
    STRING,
    Schema,
    document,
    errors,
    json_content,
    model_schemas,
    obj,
    ref,
    response,
)
from rolodex.api.openapi.contactsplus_answers import ANSWERS, EXTENSIONS
from rolodex.api.openapi.contactsplus_links import LINKS, links
from rolodex.api.openapi.history_answers import HISTORY_ANSWERS
from rolodex.oauth.scopes import SCOPES
from rolodex.photos.urls import PREFIX as PHOTO_PREFIX

ERROR = "Error"
BEARER: list[dict[str, list[str]]] = [{"bearer": []}, {"oauth2": []}]

# Statuses every method can answer: bad input or body, no/bad token, too big, wrong
# media type, rate limited.
_ALWAYS = (400, 401, 413, 415, 429)
# + 403 (scope) and 404 (a team the caller is not in, or an unknown object).
_SCOPED = (*_ALWAYS, 403, 404)
# + 409 (etag or name conflict).
_WRITES = (*_SCOPED, 409)

# method -> (envelope, scope text, answer schema name, error statuses)
_METHODS: dict[str, tuple[type[BaseModel], str, str, tuple[int, ...]]] = {
    "account.get": (account.AccountGet, "account.read", "AccountAnswer", (*_ALWAYS, 403)),
    "contacts.get": (contacts.ContactsGet, "contacts.read", "ContactList", _SCOPED),
    "contacts.scroll": (contacts.ContactsScroll, "contacts.read", "ContactPage", _SCOPED),
    "contacts.search": (contacts_search.ContactsSearch, "contacts.read", "ContactPage", _SCOPED),
    "contacts.create": (contacts.ContactsCreate, "contacts.write", "OneContact", _SCOPED),
    "contacts.update": (contacts.ContactsUpdate, "contacts.write", "OneContact", _WRITES),
    "contacts.delete": (contacts.ContactsDelete, "contacts.write", "Empty", _WRITES),
    "contacts.manageTags": (contacts.ContactsManageTags, "contacts.write", "ContactList", _SCOPED),
    "contacts.changeOwner": (
        contacts.ContactsChangeOwner,
        "teams.contacts.write",
        "ContactList",
        _SCOPED,
    ),
    # Rolodex's own (docs/history.md): marked `x-rolodex-extension` (EXTENSIONS).
    "contacts.getHistory": (history_api.GetHistory, "contacts.read", "HistoryPage", _SCOPED),
    "contacts.restoreVersion": (
        history_api.RestoreVersion,
        "contacts.write",
        "OneContact",
        _WRITES,
    ),
    "contacts.getTrash": (history_api.GetTrash, "contacts.read", "TrashPage", _SCOPED),
    "contacts.undelete": (history_api.Undelete, "contacts.write", "OneContact", _SCOPED),
    "contacts.undoCredential": (
        history_api.UndoCredential,
        "contacts.write",
        "UndoOutcome",
        _SCOPED,
    ),
    "contacts.findDuplicates": (
        duplicates.ContactsFindDuplicates,
        "contacts.read",
        "DuplicatePage",
        _SCOPED,
    ),
    "contacts.merge": (duplicates.ContactsMerge, "contacts.write", "MergeOutcome", _WRITES),
    "contacts.unmerge": (duplicates.ContactsUnmerge, "contacts.write", "ContactList", _WRITES),
    "teams.get": (teams.TeamsGet, "teams.read", "TeamList", (*_ALWAYS, 403)),
    "tags.get": (tags.TagsGet, "tags.read", "TagList", _SCOPED),
    "tags.scroll": (tags.TagsScroll, "tags.read", "TagPage", _SCOPED),
    "tags.create": (tags.TagsCreate, "tags.write", "OneTag", _WRITES),
    "tags.update": (tags.TagsUpdate, "tags.write", "OneTag", _WRITES),
    "tags.delete": (tags.TagsDelete, "tags.write", "Empty", _WRITES),
    "webhooks.getTriggers": (
        webhooks_api.WebhooksGetTriggers,
        "none",
        "TriggerList",
        _ALWAYS,
    ),
    "webhooks.create": (
        webhooks_api.WebhooksCreate,
        "the read scopes of the triggers' data",
        "OneNewWebhook",
        _SCOPED,
    ),
    "webhooks.get": (
        webhooks_api.WebhooksGet,
        "contacts.read or tags.read",
        "WebhookList",
        _SCOPED,
    ),
    "webhooks.search": (
        webhooks_api.WebhooksSearch,
        "contacts.read or tags.read",
        "WebhookList",
        _SCOPED,
    ),
    "webhooks.delete": (
        webhooks_api.WebhooksDelete,
        "the read scopes of the webhook's triggers",
        "Empty",
        _SCOPED,
    ),
    "webhooks.getBatches": (
        webhooks_api.WebhooksGetBatches,
        "the read scopes of the webhook's triggers",
        "BatchList",
        _SCOPED,
    ),
}

_TOKEN_FORM = obj(
    {
        name: STRING
        for name in (
            "grant_type",
            "client_id",
            "client_secret",
            "code",
            "redirect_uri",
            "code_verifier",
            "refresh_token",
            "scope",
        )
    },
    closed=False,
)

_OAUTH_ERRORS = {
    str(status): response(text, ref("OAuthError"))
    for status, text in (
        (400, "invalid_request, invalid_grant, unsupported_grant_type, invalid_scope"),
        (401, "invalid_client (or, for verifyAccessToken, invalid_token)"),
        (413, "The body is larger than the server accepts"),
        (429, "Too many requests (error slow_down); Retry-After says when to try again"),
    )
}


def _rpc_operation(name: str, body_ref: Schema, scope: str, answer: str, statuses: Any) -> Any:
    ok = response("The answer", ref(answer))
    if name in LINKS:
        ok["links"] = links(name)
    description = f"Scope: {scope}; with `teamId`, its `teams.*` counterpart."
    extension = EXTENSIONS.get(name)
    if extension is not None:
        description = f"{extension} {description}"
    operation: dict[str, Any] = {
        "post": {
            "operationId": name,
            "summary": name,
            "description": description,
            "tags": [name.split(".", 1)[0]],
            "security": BEARER,
            "requestBody": {"required": False, "content": json_content(body_ref)},
            "responses": {"200": ok, **errors(statuses, ERROR)},
        }
    }
    if extension is not None:
        operation["post"]["x-rolodex-extension"] = True
    return operation


def _token_operation(op_id: str, summary: str, answer: str) -> Any:
    return {
        "post": {
            "operationId": op_id,
            "summary": summary,
            "tags": ["oauth"],
            "security": [{}, {"clientBasic": []}],
            "requestBody": {
                "required": False,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": _TOKEN_FORM},
                    "application/json": {"schema": _TOKEN_FORM},
                },
            },
            "responses": {"200": response("The answer", ref(answer)), **_OAUTH_ERRORS},
        }
    }


def _photo_upload(target_ref: Schema) -> Any:
    return {
        "post": {
            "operationId": photo_api.METHOD,
            "summary": photo_api.METHOD,
            "description": (
                "Scope: contacts.write (teams.contacts.write with teamId). A multipart body: "
                "a `contact.json` part naming the contact and one image part."
            ),
            "tags": ["contacts"],
            "security": BEARER,
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": obj(
                            {
                                "contact.json": target_ref,
                                "photo": {"type": "string", "contentMediaType": "image/*"},
                            },
                            ["contact.json", "photo"],
                            closed=False,
                        ),
                        "encoding": {"contact.json": {"contentType": "application/json"}},
                    }
                },
            },
            "responses": {
                "200": response("The contact with its new photo", ref("OneContact")),
                **errors((*_WRITES,), ERROR),
            },
        }
    }


def _photo_read() -> Any:
    return {
        "get": {
            "operationId": "photos.read",
            "summary": "A contact photo (the id in its URL is the capability: no token)",
            "tags": ["photos"],
            "security": [{}],
            "parameters": [
                {"name": "photo_id", "in": "path", "required": True, "schema": STRING},
                {
                    "name": "size",
                    "in": "query",
                    "required": False,
                    "schema": {"enum": ["thumb", "full"]},
                },
            ],
            "responses": {
                "200": {
                    "description": "The image bytes (ETag, cached for a year)",
                    "content": {"image/*": {"schema": {"type": "string"}}},
                },
                "304": {"description": "If-None-Match matched the ETag"},
                **errors((400, 404, 429), ERROR),
            },
        }
    }


def build() -> dict[str, Any]:
    """The document; a fresh copy each call, since callers (schemathesis) may change it."""
    return copy.deepcopy(_build())


@lru_cache(maxsize=1)
def _build() -> dict[str, Any]:
    models: list[type[BaseModel]] = [m for m, _, _, _ in _METHODS.values()]
    models.append(photo_api.UploadPhoto)
    refs, schemas = model_schemas(models)
    paths: dict[str, Any] = {}
    for name, (model, scope, answer, statuses) in _METHODS.items():
        paths[f"/api/v1/{name}"] = _rpc_operation(
            name, refs[model.__name__], scope, answer, statuses
        )
    paths[f"/api/v1/{photo_api.METHOD}"] = _photo_upload(refs["UploadPhoto"])
    for prefix in ("/v3/", "/api/v1/"):
        tag = prefix.strip("/").replace("/", "-")
        paths[f"{prefix}oauth.exchangeAuthCode"] = _token_operation(
            f"oauth.exchangeAuthCode.{tag}", "Exchange an authorization code", "TokenSet"
        )
        paths[f"{prefix}oauth.refreshToken"] = _token_operation(
            f"oauth.refreshToken.{tag}",
            "Refresh an access token (and rotate the refresh token)",
            "TokenSet",
        )
        paths[f"{prefix}oauth.verifyAccessToken"] = _token_operation(
            f"oauth.verifyAccessToken.{tag}", "Is this access token live", "TokenInfo"
        )
    paths[PHOTO_PREFIX + "{photo_id}"] = _photo_read()
    return document(
        "Rolodex: Contacts+ API",
        "1",
        "Every method is `POST /api/v1/<method>` with a JSON object body (`{}` when empty) "
        'and a bearer token. Errors: `{"error": {code, message, field, details}}`. '
        "Each method needs the OAuth scope its description names.",
        servers=[{"url": "/"}],
        paths=paths,
        components={
            "schemas": {**schemas, **ANSWERS, **HISTORY_ANSWERS},
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An OAuth access token (rdx_at_...)",
                },
                "oauth2": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "/oauth/authorize",
                            "tokenUrl": "/v3/oauth.exchangeAuthCode",
                            "refreshUrl": "/v3/oauth.refreshToken",
                            "scopes": dict(SCOPES),
                        }
                    },
                },
                "clientBasic": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "client_id:client_secret (or send them in the form)",
                },
            },
        },
    )
