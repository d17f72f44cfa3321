"""The REST API's endpoints: list (with filters), create, read, replace, delete, tag.

Each handler checks its scope, parses, makes one service call and renders. Tags are
named, not given by id, so contacts go through `TagsByName` (rolodex/tags/by_name.py),
which makes a write's new tags inside the write's own transaction. A PUT changes only
what this API expresses (`apply_rest`: the fidelity rule, DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from starlette.responses import Response

from rolodex.api.query_numbers import int_param
from rolodex.api.resource_routes import ApiRequest
from rolodex.contacts.mapping_rest import Stage, apply_rest, to_rest
from rolodex.contacts.model import (
    MAX_ITEMS,
    MAX_LIST,
    MAX_NOTES,
    MAX_TEXT,
    PHONE_RULE,
    Contact,
    invalid_from,
)
from rolodex.errors import InvalidInput
from rolodex.tags.by_name import ContactQuery, NamedContact
from rolodex.tags.model import MAX_NAME

READ = "contacts.read"
WRITE = "contacts.write"

DEFAULT_LIMIT = 100
# Keeps `(page - 1) * limit` inside a 64-bit offset.
MAX_PAGE = 1_000_000_000

Required = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
TagName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
# The fields `apply_rest` maps; `tags` goes to the tag service, `id` is read-only.
_MAPPED = ("name", "phoneNumber", "stage", "notes", "customFields", "location")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Location(_Strict):
    id: Required
    title: Text | None = None


class RestContactBody(_Strict):
    """The body of create and PUT: `name` and `phoneNumber` required; a field left out is unchanged."""

    id: Any = None
    name: Required
    phoneNumber: Annotated[Required, *PHONE_RULE]
    stage: Stage | None = None
    notes: Annotated[str, StringConstraints(max_length=MAX_NOTES)] | None = None
    customFields: Annotated[dict[Required, Text | None], Field(max_length=MAX_ITEMS)] | None = None
    location: Location | None = None
    tags: Annotated[list[TagName], Field(max_length=MAX_LIST)] | None = None

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in _MAPPED:
            if key in self.model_fields_set:
                value = getattr(self, key)
                if isinstance(value, BaseModel):
                    value = value.model_dump(exclude_none=True)
                out[key] = value
        return out


class TagsBody(_Strict):
    tags: Annotated[list[TagName], Field(max_length=MAX_LIST)]


def json_response(value: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(value), media_type="application/json", headers=headers)


def _parse(model: type[RestContactBody] | type[TagsBody], req: ApiRequest) -> Any:
    try:
        return model.model_validate(req.body)
    except ValidationError as exc:
        raise invalid_from(exc, "") from None


def _render(named: NamedContact) -> dict[str, Any]:
    return to_rest(named.contact, named.tag_names)


def _one(named: NamedContact) -> Response:
    return json_response(_render(named), headers={"ETag": f'"{named.contact.etag}"'})


def _int_param(req: ApiRequest, name: str, default: int, low: int, high: int | None) -> int:
    return int_param(req.query, name, default=default, low=low, high=high)


def _text_param(req: ApiRequest, name: str) -> str | None:
    value = req.query.get(name)
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"must be at most {MAX_TEXT} characters", field=name)
    return value.strip()


def _query(req: ApiRequest) -> ContactQuery:
    """The filters of a listing; `tags` holds comma-separated names."""
    tags = _text_param(req, "tags")
    return ContactQuery(
        tag_names=() if tags is None else tuple(tags.split(",")),
        location_id=_text_param(req, "locationId"),
        source=_text_param(req, "channel"),
        search_text=_text_param(req, "searchText"),
    )


def list_contacts(req: ApiRequest) -> Response:
    req.principal.require(READ)
    limit = _int_param(req, "limit", DEFAULT_LIMIT, 1, req.services.contacts.limits.max_page_size)
    page = _int_param(req, "page", 1, 1, MAX_PAGE)
    found = req.services.tags_by_name.list_page(
        req.owner_id,
        offset=(page - 1) * limit,
        limit=limit,
        query=_query(req),
        search_field="searchText",
    )
    return json_response([_render(named) for named in found])


def create_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    body: RestContactBody = _parse(RestContactBody, req)
    data, meta = apply_rest({}, {}, body.fields())
    return _one(req.services.tags_by_name.create(req.owner_id, data, meta, body.tags or []))


def get_contact(req: ApiRequest) -> Response:
    req.principal.require(READ)
    return _one(req.services.tags_by_name.get(req.owner_id, req.path["contactId"]))


def replace_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    body: RestContactBody = _parse(RestContactBody, req)
    fields = body.fields()

    def change(contact: Contact) -> None:
        contact.data, contact.meta = apply_rest(contact.data, contact.meta, fields)

    named = req.services.tags_by_name.modify(
        req.owner_id,
        req.path["contactId"],
        change,
        tag_names=(body.tags or []) if "tags" in body.model_fields_set else None,
        expected_etag=req.if_match(),
        field="If-Match",
    )
    return _one(named)


def delete_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    req.services.contacts.delete(req.owner_id, req.path["contactId"], etag=req.if_match())
    return json_response({"success": True})


def _tags_only(named: NamedContact) -> Response:
    return json_response({"id": named.contact.contact_id, "tags": _render(named)["tags"]})


def add_tags(req: ApiRequest) -> Response:
    return _change_tags(req, req.services.tags_by_name.add)


def remove_tags(req: ApiRequest) -> Response:
    return _change_tags(req, req.services.tags_by_name.remove)


def _change_tags(req: ApiRequest, change: Callable[..., NamedContact]) -> Response:
    """`tags/add` and `tags/remove`: the same body, etag rule and answer."""
    req.principal.require(WRITE)
    body: TagsBody = _parse(TagsBody, req)
    named = change(
        req.owner_id,
        req.path["contactId"],
        body.tags,
        expected_etag=req.if_match(),
        field="If-Match",
    )
    return _tags_only(named)
