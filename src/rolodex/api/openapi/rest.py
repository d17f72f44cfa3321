"""The REST contacts API as OpenAPI 3.1: `/v1/contacts`, authenticated with `x-api-key`.

Bodies are `rolodex.api.rest.contacts`' own models; the contact as shown is `to_rest`'s.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from rolodex.api.openapi import rest_transfer
from rolodex.api.openapi.common import STRING, Schema, document, model_schemas, obj, ref
from rolodex.api.openapi.resources import (
    ETAG_HEADER,
    IF_MATCH,
    NULLABLE_STRING,
    answer,
    int_query,
    links,
    operation,
    path_param,
    text_query,
)
from rolodex.api.rest import contacts as rest
from rolodex.contacts.mapping_rest import STAGES
from rolodex.contacts.model import MAX_TEXT
from rolodex.contacts.service import ContactLimits

ERROR = "Error"
# This API has no 401: a missing, unknown or revoked key is a 403 whose message starts
# "Forbidden" and says which (rolodex.api.rest.errors).
_FORBIDDEN = (
    'No API key (`{"message": "Forbidden: no x-api-key header ..."}`), or an unknown or '
    'revoked one (`{"message": "Forbidden: unknown API key ..."}`); '
    "or a key without the scope this operation needs"
)
KEY: list[dict[str, list[str]]] = [{"apiKey": []}]

_CONTACT = obj(
    {
        "id": STRING,
        "name": NULLABLE_STRING,
        "phoneNumber": NULLABLE_STRING,
        "location": {
            "anyOf": [obj({"id": STRING, "title": STRING}, ["id"], closed=False), {"type": "null"}]
        },
        "stage": {"anyOf": [{"enum": list(STAGES)}, {"type": "null"}]},
        "notes": NULLABLE_STRING,
        "customFields": {"type": "object", "additionalProperties": STRING},
        "tags": {"type": "array", "items": STRING},
    },
    ["id", "name", "phoneNumber", "location", "stage", "notes", "customFields", "tags"],
)


def _op(op_id: str, summary: str, scope: str, statuses: tuple[int, ...], **kw: Any) -> Any:
    # Every request can be refused for a bad or missing key (403), a NUL in the path or
    # query (400) or the rate limit (429).
    op = operation(
        op_id,
        summary,
        security=KEY,
        error=ERROR,
        statuses=(400, 403, 429, *statuses),
        scope=scope,
        **kw,
    )
    op["responses"]["403"]["description"] = _FORBIDDEN
    return op


def build() -> dict[str, Any]:
    """The document; a fresh copy each call, since callers (schemathesis) may change it."""
    return copy.deepcopy(_build())


@lru_cache(maxsize=1)
def _build() -> dict[str, Any]:
    refs, schemas = model_schemas([rest.RestContactBody, rest.TagsBody])
    one = answer("The contact", "RestContact", headers=ETAG_HEADER)
    by_id = [path_param("contactId")]
    follow = links(
        "$response.body#/id",
        "contactId",
        "getContact",
        "replaceContact",
        "deleteContact",
        "addTags",
        "removeTags",
    )
    body_errors = (404, 412, 413, 415)
    max_size = ContactLimits().max_page_size
    paths: dict[str, Any] = {
        "/v1/contacts": {
            "get": _op(
                "listContacts",
                "List contacts, filtered and paged",
                rest.READ,
                (),
                ok={"200": answer("A page of contacts", "RestContactList")},
                parameters=[
                    int_query("limit", 1, max_size, "Page size (default 100)"),
                    int_query("page", 1, rest.MAX_PAGE, "Page number from 1"),
                    text_query("tags", "Comma-separated tag names, all required", MAX_TEXT),
                    text_query("locationId", "Only contacts at this location", MAX_TEXT),
                    text_query("channel", "Only contacts from this source", MAX_TEXT),
                    text_query(
                        "searchText",
                        "Search words: each must start a word of the contact; quotes, OR, "
                        "NOT and `field:` as in Contacts+ `contacts.search`",
                        MAX_TEXT,
                    ),
                ],
            ),
            "post": _op(
                "createContact",
                "Create a contact (tags by name are made on first use)",
                rest.WRITE,
                (413, 415),
                ok={"200": one},
                body=refs["RestContactBody"],
                body_required=True,
                links=follow,
            ),
        },
        "/v1/contacts/{contactId}": {
            "get": _op(
                "getContact",
                "Read one contact",
                rest.READ,
                (404,),
                ok={"200": one},
                parameters=by_id,
            ),
            "put": _op(
                "replaceContact",
                "Change a contact (fields left out are unchanged)",
                rest.WRITE,
                body_errors,
                ok={"200": one},
                body=refs["RestContactBody"],
                body_required=True,
                parameters=[*by_id, IF_MATCH],
            ),
            "delete": _op(
                "deleteContact",
                "Delete a contact",
                rest.WRITE,
                # 409: the mass-deletion guard holds this key (docs/history.md).
                (404, 409, 412),
                ok={"200": answer("Deleted", "Success")},
                parameters=[*by_id, IF_MATCH],
            ),
        },
        "/v1/contacts/{contactId}/tags/add": {
            "post": _op(
                "addTags",
                "Add tags by name",
                rest.WRITE,
                body_errors,
                ok={"200": answer("The contact's tags now", "ContactTags")},
                body=refs["TagsBody"],
                body_required=True,
                parameters=[*by_id, IF_MATCH],
            )
        },
        "/v1/contacts/{contactId}/tags/remove": {
            "post": _op(
                "removeTags",
                "Remove tags by name",
                rest.WRITE,
                body_errors,
                ok={"200": answer("The contact's tags now", "ContactTags")},
                body=refs["TagsBody"],
                body_required=True,
                parameters=[*by_id, IF_MATCH],
            )
        },
    }
    paths.update(rest_transfer.paths(_op, rest.READ, rest.WRITE))
    answers: dict[str, Schema] = {
        **rest_transfer.SCHEMAS,
        "Error": obj({"message": STRING}, ["message"]),
        "RestContact": _CONTACT,
        "RestContactList": {"type": "array", "items": ref("RestContact")},
        "Success": obj({"success": {"const": True}}, ["success"]),
        "ContactTags": obj(
            {"id": STRING, "tags": {"type": "array", "items": STRING}}, ["id", "tags"]
        ),
    }
    return document(
        "Rolodex: REST contacts API",
        "1",
        "Contacts at `/v1/contacts`, authenticated with an API key in `x-api-key`. Errors: "
        '`{"message": "..."}`; a missing or bad key is a 403 whose message starts `Forbidden`.',
        servers=[{"url": "/"}],
        paths=paths,
        components={
            "schemas": {**schemas, **answers},
            "securitySchemes": {
                "apiKey": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "x-api-key",
                    "description": "An API key (rdx_key_...) from the API keys page",
                }
            },
        },
    )
