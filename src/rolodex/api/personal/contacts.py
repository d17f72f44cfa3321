"""The personal API's contact endpoints: list, create, read, update, destroy, favorite.

Each handler checks its scope, parses, makes one service call and renders. Writes go
through `ContactService.modify` with `apply_personal`, so an update changes only the
fields the request names (the fidelity rule, DESIGN.md).
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from starlette.responses import Response

from rolodex.api.query_numbers import int_param
from rolodex.api.resource_routes import ApiRequest
from rolodex.contacts.mapping_personal import WRITABLE_FIELDS, apply_personal, to_personal
from rolodex.contacts.model import EMAIL_RULE, PHONE_RULE, Contact, invalid_from

READ = "contacts.read"
WRITE = "contacts.write"

MAX_TOP = 100
# Inside a 64-bit offset, and far past any real address book.
MAX_SKIP = 1_000_000_000_000

# Field limits as the spec gives them (docs/limits.md).
Name = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Short = Annotated[str, StringConstraints(max_length=128)]
# The same rules as every other way in (contacts/model.py, docs/api-notes.md).
EmailText = Annotated[Short, *EMAIL_RULE]
PhoneText = Annotated[Short, *PHONE_RULE]
Notes = Annotated[str, StringConstraints(max_length=1024)]


class PersonalContactBody(BaseModel):
    """The body of create and update. A field left out is unchanged; `null` or `""` clears it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: Name | None = None
    email: EmailText | None = None
    company: Short | None = None
    title: Short | None = None
    business: PhoneText | None = None
    business2: PhoneText | None = None
    mobile_phone: PhoneText | None = None
    mobile_phone2: PhoneText | None = None
    home_phone: PhoneText | None = None
    home_phone2: PhoneText | None = None
    other: PhoneText | None = None
    business_fax: PhoneText | None = None
    home_fax: PhoneText | None = None
    address: Short | None = None
    notes: Notes | None = None
    # Read-only fields of a contact as this API shows it: accepted and ignored, so a
    # client can send back what it read.
    id: Any = None
    sync_type: Any = None
    favorite: Any = None

    def changes(self) -> dict[str, str | None]:
        return {f: getattr(self, f) for f in WRITABLE_FIELDS if f in self.model_fields_set}


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(value), status_code=status, media_type="application/json", headers=headers
    )


def _etag_header(contact: Contact) -> dict[str, str]:
    return {"ETag": f'"{contact.etag}"'}


def _parse_body(req: ApiRequest) -> PersonalContactBody:
    try:
        return PersonalContactBody.model_validate(req.body)
    except ValidationError as exc:
        raise invalid_from(exc, "") from None


def _int_param(req: ApiRequest, name: str, default: int, low: int, high: int | None) -> int:
    return int_param(req.query, name, default=default, low=low, high=high)


def list_contacts(req: ApiRequest) -> Response:
    req.principal.require(READ)
    skip = _int_param(req, "skip", 0, 0, MAX_SKIP)
    top = _int_param(req, "top", MAX_TOP, 1, MAX_TOP)
    found, total = req.services.contacts.list_page(
        req.owner_id, offset=skip, limit=top, field="top"
    )
    return json_response({"count": total, "items": [to_personal(c) for c in found]})


def create_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    body = _parse_body(req)
    data = apply_personal({}, body.changes())
    contact = req.services.contacts.create(req.owner_id, data)
    headers = {**_etag_header(contact), "Location": f"/api/user/contacts/{contact.contact_id}"}
    return json_response({"id": contact.contact_id}, 201, headers)


def get_contact(req: ApiRequest) -> Response:
    req.principal.require(READ)
    contact = req.services.contacts.get_one(req.owner_id, req.path["id"])
    return json_response(to_personal(contact), headers=_etag_header(contact))


def update_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    changes = _parse_body(req).changes()

    def change(contact: Contact) -> None:
        contact.data = apply_personal(contact.data, changes)

    contact = req.services.contacts.modify(
        req.owner_id, req.path["id"], change, expected_etag=req.if_match(), field="If-Match"
    )
    return Response(status_code=200, headers=_etag_header(contact))


def destroy_contact(req: ApiRequest) -> Response:
    req.principal.require(WRITE)
    req.services.contacts.delete(req.owner_id, req.path["id"], etag=req.if_match())
    return Response(status_code=204)


def _set_favorite(req: ApiRequest, favorite: bool) -> Response:
    req.principal.require(WRITE)

    def change(contact: Contact) -> None:
        contact.meta["favorite"] = favorite

    contact = req.services.contacts.modify(
        req.owner_id, req.path["id"], change, expected_etag=req.if_match(), field="If-Match"
    )
    return Response(status_code=200, headers=_etag_header(contact))


def favorite_contact(req: ApiRequest) -> Response:
    return _set_favorite(req, True)


def unfavorite_contact(req: ApiRequest) -> Response:
    return _set_favorite(req, False)
