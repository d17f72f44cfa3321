"""The personal API's sync tokens: make one, then ask what changed since it."""

from __future__ import annotations

from starlette.responses import Response

from rolodex.api.personal.contacts import READ, json_response
from rolodex.api.resource_routes import ApiRequest
from rolodex.contacts.mapping_personal import to_personal

# The change log's words -> this API's.
_CHANGE_TYPES = {"created": "CREATED", "updated": "UPDATED", "deleted": "DELETED"}


def create_token(req: ApiRequest) -> Response:
    req.principal.require(READ)
    return json_response({"token": req.services.sync.start(req.owner_id)}, 201)


def diff(req: ApiRequest) -> Response:
    req.principal.require(READ)
    result = req.services.sync.diff(req.owner_id, req.path["token"])
    items = [
        {**to_personal(item.contact), "change_type": _CHANGE_TYPES[item.change]}
        for item in result.items
    ]
    return json_response({"token": result.token, "items": items})
