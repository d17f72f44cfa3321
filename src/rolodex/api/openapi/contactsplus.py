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

from rolodex.api.contactsplus import account, contacts, contacts_search, tags, teams
from rolodex.api.contactsplus import photos as photo_api
from rolodex.api.contactsplus import webhooks as webhooks_api
from rolodex.api.openapi.common import (
    STRING,
    TIMESTAMP,
    Schema,
    document,
    errors,
    json_content,
    model_schemas,
    obj,
    ref,
    response,
)
from rolodex.oauth.scopes import SCOPES
from rolodex.photos.urls import PREFIX as PHOTO_PREFIX

ERROR = "Error"
BEARER: list[dict[str, list[str]]] = [{"bearer": []}, {"oauth2": []}]

_ERROR_SCHEMA = obj(
    {
        "error": obj(
            {
                "code": STRING,
                "message": STRING,
                "field": STRING,
                "details": {
                    "type": "array",
                    "items": obj({"field": STRING, "problem": STRING}, ["field", "problem"]),
                },
            },
            ["code", "message"],
        )
    },
    ["error"],
)

_CONTACT = obj(
    {
        "contactId": STRING,
        "etag": STRING,
        "created": TIMESTAMP,
        "updated": TIMESTAMP,
        "teamId": STRING,
        "deleted": {"const": True},
        "contactData": ref("ContactData"),
        "contactMetadata": obj(
            {
                "tagIds": {"type": "array", "items": STRING},
                "companyContact": {"type": "boolean"},
                "sharedBy": {"type": "array", "items": STRING},
                "ownedBy": STRING,
            },
            ["tagIds", "companyContact"],
            closed=False,
        ),
    },
    ["contactId", "etag", "created", "updated", "contactData", "contactMetadata"],
)

_TAG = obj(
    {
        "tagId": STRING,
        "created": TIMESTAMP,
        "updated": TIMESTAMP,
        "etag": STRING,
        "tagData": obj({"name": STRING}, ["name"]),
        "deleted": {"const": True},
    },
    ["tagId", "created", "updated", "etag", "tagData"],
)

_TEAM = obj(
    {
        "teamId": STRING,
        "created": TIMESTAMP,
        "updated": TIMESTAMP,
        "teamData": obj({"name": STRING}, ["name"]),
        "teamMembers": {
            "type": "array",
            "items": obj(
                {
                    "accountId": STRING,
                    "name": {"type": ["string", "null"]},
                    "email": STRING,
                    "role": STRING,
                },
                ["accountId", "name", "email", "role"],
            ),
        },
    },
    ["teamId", "created", "updated", "teamData", "teamMembers"],
)

_WEBHOOK_PROPS: dict[str, Schema] = {
    "webhookId": STRING,
    "url": STRING,
    "triggers": {"type": "array", "items": STRING},
    "created": TIMESTAMP,
    "accountId": STRING,
    "status": {"enum": ["active", "disabled"]},
    "teamId": STRING,
    "disabled": TIMESTAMP,
    "disabledReason": STRING,
}
_WEBHOOK_REQUIRED = ["webhookId", "url", "triggers", "created", "accountId", "status"]
_WEBHOOK = obj(_WEBHOOK_PROPS, _WEBHOOK_REQUIRED)
_NEW_WEBHOOK = obj({**_WEBHOOK_PROPS, "secret": STRING}, [*_WEBHOOK_REQUIRED, "secret"])

_BATCH = obj(
    {
        "batchId": STRING,
        "webhookId": STRING,
        "status": STRING,
        "created": TIMESTAMP,
        "attempts": {"type": "integer"},
        "lastAttempt": TIMESTAMP,
        "lastResponseCode": {"type": "integer"},
        "lastError": STRING,
        "nextAttempt": TIMESTAMP,
        "delivered": TIMESTAMP,
        "events": {"type": "array", "items": {"type": "object"}},
    },
    ["batchId", "webhookId", "status", "created", "attempts", "events"],
)

_ACCOUNT = obj(
    {
        "account": obj(
            {
                "accountId": STRING,
                "created": TIMESTAMP,
                "updated": TIMESTAMP,
                "profileData": obj(
                    {
                        "emails": {
                            "type": "array",
                            "items": obj({"type": STRING, "value": STRING}, ["type", "value"]),
                        },
                        "name": obj({"givenName": STRING, "familyName": STRING}, ["givenName"]),
                    },
                    ["emails"],
                ),
            },
            ["accountId", "created", "updated", "profileData"],
        )
    },
    ["account"],
)


def _list(key: str, item: str, *, cursor: bool = False) -> Schema:
    props: dict[str, Schema] = {key: {"type": "array", "items": ref(item)}}
    if cursor:
        props["cursor"] = STRING
    return obj(props, [key])


def _one(key: str, item: str) -> Schema:
    return obj({key: ref(item)}, [key])


_EMPTY = obj({})

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

_ANSWERS: dict[str, Schema] = {
    "Error": _ERROR_SCHEMA,
    "Contact": _CONTACT,
    "Tag": _TAG,
    "Team": _TEAM,
    "Webhook": _WEBHOOK,
    "NewWebhook": _NEW_WEBHOOK,
    "Batch": _BATCH,
    "AccountAnswer": _ACCOUNT,
    "ContactList": _list("contacts", "Contact"),
    "ContactPage": _list("contacts", "Contact", cursor=True),
    "OneContact": _one("contact", "Contact"),
    "TeamList": _list("teams", "Team"),
    "TagList": _list("tags", "Tag"),
    "TagPage": _list("tags", "Tag", cursor=True),
    "OneTag": _one("tag", "Tag"),
    "TriggerList": obj({"triggers": {"type": "array", "items": STRING}}, ["triggers"]),
    "OneNewWebhook": _one("webhook", "NewWebhook"),
    "WebhookList": _list("webhooks", "Webhook"),
    "BatchList": _list("batches", "Batch"),
    "Empty": _EMPTY,
    "TokenSet": obj(
        {
            "access_token": STRING,
            "access_token_expiration": {"type": "integer"},
            "access_token_expiration_date": TIMESTAMP,
            "refresh_token": STRING,
            "refresh_token_expiration": {"type": "integer"},
            "refresh_token_expiration_date": TIMESTAMP,
            "scope": STRING,
            "token_type": {"const": "Bearer"},
            "expires_in": {"type": "integer", "minimum": 0},
        },
        [
            "access_token",
            "access_token_expiration",
            "access_token_expiration_date",
            "scope",
            "token_type",
            "expires_in",
        ],
    ),
    "TokenInfo": obj(
        {
            "valid": {"const": True},
            "accountId": STRING,
            "clientId": {"type": ["string", "null"]},
            "scope": STRING,
            "access_token_expiration": {"type": "integer"},
            "access_token_expiration_date": TIMESTAMP,
        },
        ["valid", "accountId", "clientId", "scope"],
    ),
    "OAuthError": obj(
        {"error": STRING, "error_description": STRING}, ["error", "error_description"]
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


_CONTACT_ID = "$response.body#/contact/contactId"
_CONTACT_ETAG = "$response.body#/contact/etag"
_TAG_ID = "$response.body#/tag/tagId"
_TAG_ETAG = "$response.body#/tag/etag"
_WEBHOOK_ID = "$response.body#/webhook/webhookId"

# OpenAPI links (with runtime expressions in the request body): from a method that
# makes an object to the methods that take its id. The stateful fuzzer follows them.
_LINKS: dict[str, dict[str, dict[str, Any]]] = {
    "contacts.create": {
        "contacts.get": {"contactIds": [_CONTACT_ID]},
        "contacts.update": {
            "contact": {
                "contactId": _CONTACT_ID,
                "etag": _CONTACT_ETAG,
                "contactData": {"notes": "changed"},
            }
        },
        "contacts.delete": {"contactId": _CONTACT_ID, "etag": _CONTACT_ETAG},
    },
    "tags.create": {
        "tags.get": {"tagIds": [_TAG_ID]},
        "tags.update": {
            "tag": {"tagId": _TAG_ID, "etag": _TAG_ETAG, "tagData": {"name": "renamed"}}
        },
        "tags.delete": {"tagId": _TAG_ID, "etag": _TAG_ETAG},
    },
    "webhooks.create": {
        "webhooks.get": {"webhookIds": [_WEBHOOK_ID]},
        "webhooks.getBatches": {"webhookId": _WEBHOOK_ID},
        "webhooks.delete": {"webhookId": _WEBHOOK_ID},
    },
}


def _links(name: str) -> dict[str, Any]:
    return {
        target: {"operationId": target, "requestBody": body}
        for target, body in _LINKS.get(name, {}).items()
    }


def _rpc_operation(name: str, body_ref: Schema, scope: str, answer: str, statuses: Any) -> Any:
    ok = response("The answer", ref(answer))
    if name in _LINKS:
        ok["links"] = _links(name)
    return {
        "post": {
            "operationId": name,
            "summary": name,
            "description": f"Scope: {scope}; with `teamId`, its `teams.*` counterpart.",
            "tags": [name.split(".", 1)[0]],
            "security": BEARER,
            "requestBody": {"required": False, "content": json_content(body_ref)},
            "responses": {"200": ok, **errors(statuses, ERROR)},
        }
    }


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
            "schemas": {**schemas, **_ANSWERS},
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
