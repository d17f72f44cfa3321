"""The REST API's endpoints: list (with filters), create, read, replace, delete, tag.

Each handler checks its scope, parses, calls the contact service (tags by name go
through `tag_names`) and renders. Writes use `ContactService.modify` with `apply_rest`,
so a PUT changes only what this API expresses (the fidelity rule, DESIGN.md).
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from starlette.responses import Response

from rolodex.api.query_numbers import int_param
from rolodex.api.resource_routes import ApiRequest
from rolodex.api.rest import tag_names
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
from rolodex.contacts.repository import ContactFilters
from rolodex.errors import InvalidInput
from rolodex.tags.model import MAX_NAME

READ = "contacts.read"
WRITE = "contacts.write"

DEFAULT_LIMIT = 100
# Keeps `(page - 1) * limit` inside a 64-bit offset.
MAX_PAGE = 1_000_000_000

Required = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
TagName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
# The fields `apply_rest` maps; `tags` is resolved here, `id` is read-only.
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


def _render(req: ApiRequest, found: list[Contact]) -> list[dict[str, Any]]:
    names = tag_names.names_by_id(req.services, req.owner_id, [t for c in found for t in c.tag_ids])
    return [to_rest(c, [names[t] for t in c.tag_ids if t in names]) for c in found]


def _one(req: ApiRequest, contact: Contact) -> Response:
    [body] = _render(req, [contact])
    return json_response(body, headers={"ETag": f'"{contact.etag}"'})


def _int_param(req: ApiRequest, name: str, default: int, low: int, high: int | None) -> int:
    return int_param(req.query, name, default=default, low=low, high=high)


def _text_param(req: ApiRequest, name: str) -> str | None:
    value = req.query.get(name)
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"must be at most {MAX_TEXT} characters", field=name)
    return value.strip()


def list_contacts(req: ApiRequest) -> Response:
    req.principal.require(READ)
    limit = _int_param(req, "limit", DEFAULT_LIMIT, 1, req.services.contacts.limits.max_page_size)
    page = _int_param(req, "page", 1, 1, MAX_PAGE)
    offset = (page - 1) * limit
    tag_param = _text_param(req, "tags")
    tag_ids: tuple[str, ...] = ()
    if tag_param is not None:
        # Comma-separated names; a contact must carry every one. A name no tag has
        # matches nothing.
        found = tag_names.existing_ids(req.services, req.owner_id, tag_param.split(","))
        if any(v is None for v in found.values()):
            return json_response([])
        tag_ids = tuple(v for v in found.values() if v is not None)
    location_id = _text_param(req, "locationId")
    source = _text_param(req, "channel")
    search_text = _text_param(req, "searchText")
    if search_text is not None:
        try:
            contacts = _search_page(req, search_text, offset, limit, tag_ids, location_id, source)
        except InvalidInput as exc:
            # The search parser names its own field; here the query is `searchText`.
            raise InvalidInput(exc.message, field="searchText") from None
        req.services.contacts.check_page_bytes(contacts, field="limit")
    else:
        filters = ContactFilters(tag_ids=tag_ids, location_id=location_id, source=source)
        contacts, _total = req.services.contacts.list_page(
            req.owner_id, offset=offset, limit=limit, filters=filters
        )
    return json_response(_render(req, contacts))


def _search_page(
    req: ApiRequest,
    text: str,
    offset: int,
    limit: int,
    tag_ids: tuple[str, ...],
    location_id: str | None,
    source: str | None,
) -> list[Contact]:
    """One page of `searchText` results (best first, as `contacts.search` ranks them).

    Without other filters this is the search's own offset page. With them, the ranked
    results (already narrowed to the tags) are walked and the location and channel
    conditions applied to each, the same conditions the plain listing applies in SQL.
    """
    search = req.services.search
    if not tag_ids and location_id is None and source is None:
        found, _total = search.search_offset(req.owner_id, text, offset=offset, limit=limit)
        return found

    def keep(contact: Contact) -> bool:
        location = contact.meta.get("location")
        if location_id is not None and not (
            isinstance(location, dict) and location.get("id") == location_id
        ):
            return False
        meta_source = contact.meta.get("source")
        return source is None or (
            isinstance(meta_source, str) and meta_source.lower() == source.lower()
        )

    matches: list[Contact] = []
    cursor: str | None = None
    size = req.services.contacts.limits.max_page_size
    while len(matches) < offset + limit:
        page = search.search(req.owner_id, text, size=size, cursor=cursor, tag_ids=list(tag_ids))
        matches.extend(c for c in page.contacts if keep(c))
        cursor = page.cursor
        if cursor is None:
            break
    return matches[offset : offset + limit]


def create_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    body: RestContactBody = _parse(RestContactBody, req)
    data, meta = apply_rest({}, {}, body.fields())
    tag_ids = tag_names.ensure_ids(req.services, req.owner_id, body.tags or [])
    contact = req.services.contacts.create(req.owner_id, data, meta, tag_ids=tag_ids)
    return _one(req, contact)


def get_contact(req: ApiRequest) -> Response:
    req.principal.require(READ)
    return _one(req, req.services.contacts.get_one(req.owner_id, req.path["contactId"]))


def replace_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    body: RestContactBody = _parse(RestContactBody, req)
    contact_id = req.path["contactId"]
    req.services.contacts.get_one(req.owner_id, contact_id)  # 404 before any tag is made
    fields = body.fields()
    tag_ids = None
    if "tags" in body.model_fields_set:
        tag_ids = tag_names.ensure_ids(req.services, req.owner_id, body.tags or [])

    def change(contact: Contact) -> None:
        contact.data, contact.meta = apply_rest(contact.data, contact.meta, fields)
        if tag_ids is not None:
            contact.tag_ids = sorted(tag_ids)

    contact = req.services.contacts.modify(
        req.owner_id, contact_id, change, expected_etag=req.if_match(), field="If-Match"
    )
    return _one(req, contact)


def delete_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    req.services.contacts.delete(req.owner_id, req.path["contactId"], etag=req.if_match())
    return json_response({"success": True})


def _retag(req: ApiRequest, *, add: bool) -> Response:
    req.principal.require(WRITE)
    body: TagsBody = _parse(TagsBody, req)
    contact_id = req.path["contactId"]
    req.services.contacts.get_one(req.owner_id, contact_id)  # 404 before any tag is made
    if add:
        named = set(tag_names.ensure_ids(req.services, req.owner_id, body.tags))
    else:
        found = tag_names.existing_ids(req.services, req.owner_id, body.tags)
        named = {v for v in found.values() if v is not None}

    def change(contact: Contact) -> None:
        now = set(contact.tag_ids)
        contact.tag_ids = sorted(now | named if add else now - named)

    contact = req.services.contacts.modify(
        req.owner_id, contact_id, change, expected_etag=req.if_match(), field="If-Match"
    )
    [shown] = _render(req, [contact])
    return json_response({"id": contact.contact_id, "tags": shown["tags"]})


def add_tags(req: ApiRequest) -> Response:
    return _retag(req, add=True)


def remove_tags(req: ApiRequest) -> Response:
    return _retag(req, add=False)
