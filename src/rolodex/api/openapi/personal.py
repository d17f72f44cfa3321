"""The personal contacts API as OpenAPI 3.1: `/api/user/contacts`, bearer token or API key.

The body is `rolodex.api.personal.contacts.PersonalContactBody`; the contact as shown is
`to_personal`'s, and sync answers are `rolodex.api.personal.sync`'s.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from rolodex.api.openapi.common import STRING, Schema, document, model_schemas, obj, ref
from rolodex.api.openapi.resources import (
    ETAG_HEADER,
    IF_MATCH,
    NULLABLE_STRING,
    answer,
    int_query,
    links,
    no_body,
    operation,
    path_param,
)
from rolodex.api.personal import contacts as personal
from rolodex.contacts.mapping_personal import WRITABLE_FIELDS

ERROR = "Error"
BEARER: list[dict[str, list[str]]] = [{"bearer": []}]

_FIELDS: dict[str, Schema] = {name: NULLABLE_STRING for name in WRITABLE_FIELDS}
_SHOWN = ["id", *WRITABLE_FIELDS, "sync_type", "favorite"]
_CONTACT = obj(
    {"id": STRING, **_FIELDS, "sync_type": NULLABLE_STRING, "favorite": {"type": "boolean"}},
    _SHOWN,
)
_CHANGE = obj(
    {
        "id": STRING,
        **_FIELDS,
        "sync_type": NULLABLE_STRING,
        "favorite": {"type": "boolean"},
        "change_type": {"enum": ["CREATED", "UPDATED", "DELETED"]},
    },
    [*_SHOWN, "change_type"],
)
_ERROR = obj(
    {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": obj(
                {"code": STRING, "message": STRING, "detail": NULLABLE_STRING},
                ["code", "message", "detail"],
            ),
        }
    },
    ["errors"],
)
# POST bodies these operations read but do not use: any JSON object (or none).
_IGNORED_BODY: Schema = {"type": "object"}


def _op(op_id: str, summary: str, scope: str, statuses: tuple[int, ...], **kw: Any) -> Any:
    # Every request: a NUL in the path or query or a bad body (400), no or a bad
    # credential (401), a missing scope (403), the rate limit (429).
    return operation(
        op_id,
        summary,
        security=BEARER,
        error=ERROR,
        statuses=(400, 401, 403, 429, *statuses),
        scope=scope,
        **kw,
    )


def build() -> dict[str, Any]:
    """The document; a fresh copy each call, since callers (schemathesis) may change it."""
    return copy.deepcopy(_build())


@lru_cache(maxsize=1)
def _build() -> dict[str, Any]:
    refs, schemas = model_schemas([personal.PersonalContactBody])
    by_id = [path_param("id")]
    by_id_if = [*by_id, IF_MATCH]
    changed = no_body("Changed (no body)", headers=ETAG_HEADER)
    post_errors = (404, 412, 413, 415)
    follow = links(
        "$response.body#/id",
        "id",
        "getContact",
        "updateContact",
        "destroyContact",
        "favoriteContact",
        "unfavoriteContact",
    )
    paths: dict[str, Any] = {
        "/api/user/contacts": {
            "get": _op(
                "listContacts",
                "List contacts",
                personal.READ,
                (),
                ok={"200": answer("A page of contacts and the total", "ContactPage")},
                parameters=[
                    int_query("skip", 0, personal.MAX_SKIP, "How many to skip (default 0)"),
                    int_query("top", 1, personal.MAX_TOP, "Page size (default 100)"),
                ],
            ),
            "post": _op(
                "createContact",
                "Create a contact",
                personal.WRITE,
                (413, 415),
                ok={
                    "201": answer(
                        "Created",
                        "NewId",
                        headers={
                            **ETAG_HEADER,
                            "Location": {"description": "The contact's URL", "schema": STRING},
                        },
                    )
                },
                body=refs["PersonalContactBody"],
                links=follow,
            ),
        },
        "/api/user/contacts/sync_tokens": {
            "post": _op(
                "createSyncToken",
                "Start syncing: a token for the changes from now on",
                personal.READ,
                (413, 415),
                ok={"201": answer("The token", "SyncToken")},
                body=_IGNORED_BODY,
                links={
                    "diff": {
                        "operationId": "syncDiff",
                        "parameters": {"token": "$response.body#/token"},
                    }
                },
            )
        },
        "/api/user/contacts/sync_tokens/{token}/diff": {
            "post": _op(
                "syncDiff",
                "What changed since the token (403 FORBIDDEN for an unknown token)",
                personal.READ,
                (413, 415),
                ok={"200": answer("The changes and the next token", "SyncDiff")},
                body=_IGNORED_BODY,
                parameters=[path_param("token")],
            )
        },
        "/api/user/contacts/{id}": {
            "get": _op(
                "getContact",
                "Read one contact",
                personal.READ,
                # 405: `sync_tokens` is not an id but the sync-token path, POST only.
                (404, 405),
                ok={"200": answer("The contact", "PersonalContact", headers=ETAG_HEADER)},
                parameters=by_id,
            ),
            "post": _op(
                "updateContact",
                "Change the fields named (null or empty clears one)",
                personal.WRITE,
                post_errors,
                ok={"200": changed},
                body=refs["PersonalContactBody"],
                parameters=by_id_if,
            ),
        },
        "/api/user/contacts/{id}/destroy": {
            "post": _op(
                "destroyContact",
                "Delete a contact",
                personal.WRITE,
                # 409: the mass-deletion guard holds this credential (docs/history.md).
                (*post_errors, 409),
                ok={"204": no_body("Deleted")},
                body=_IGNORED_BODY,
                parameters=by_id_if,
            )
        },
        "/api/user/contacts/{id}/favorite": {
            "post": _op(
                "favoriteContact",
                "Mark as a favorite",
                personal.WRITE,
                post_errors,
                ok={"200": changed},
                body=_IGNORED_BODY,
                parameters=by_id_if,
            )
        },
        "/api/user/contacts/{id}/unfavorite": {
            "post": _op(
                "unfavoriteContact",
                "Unmark as a favorite",
                personal.WRITE,
                post_errors,
                ok={"200": changed},
                body=_IGNORED_BODY,
                parameters=by_id_if,
            )
        },
    }
    answers: dict[str, Schema] = {
        "Error": _ERROR,
        "PersonalContact": _CONTACT,
        "ContactPage": obj(
            {
                "count": {"type": "integer", "minimum": 0},
                "items": {"type": "array", "items": ref("PersonalContact")},
            },
            ["count", "items"],
        ),
        "NewId": obj({"id": STRING}, ["id"]),
        "SyncToken": obj({"token": STRING}, ["token"]),
        "SyncDiff": obj(
            {"token": STRING, "items": {"type": "array", "items": ref("Change")}},
            ["token", "items"],
        ),
        "Change": _CHANGE,
    }
    return document(
        "Rolodex: personal contacts API",
        "1",
        "Contacts at `/api/user/contacts`, authenticated with `Authorization: Bearer` and an "
        "OAuth access token or an API key. Errors: "
        '`{"errors": [{"code", "message", "detail"}]}`.',
        servers=[{"url": "/"}],
        paths=paths,
        components={
            "schemas": {**schemas, **answers},
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An OAuth access token (rdx_at_...) or an API key (rdx_key_...)",
                }
            },
        },
    )
