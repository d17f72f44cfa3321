"""The REST API's paths, all under `/v1/contacts`, authenticated with `x-api-key`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from rolodex.api.resource_routes import Dialect, Handler, endpoint, not_found_endpoint
from rolodex.api.rest import contacts, transfer
from rolodex.api.rest.errors import domain_error_response, error_response, forbidden_response
from rolodex.oauth.credentials import API_KEY

_ALL_HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def api_key(request: Request) -> str | None:
    value = request.headers.get("x-api-key")
    return value.strip() if value and value.strip() else None


DIALECT = Dialect(
    secret=api_key,
    credential_kinds=(API_KEY,),
    error=error_response,
    domain_error=domain_error_response,
    unauthenticated=forbidden_response,
)

BASE = "/v1/contacts"


def _route(path: str, **handlers: Handler) -> Route:
    return Route(BASE + path, endpoint(DIALECT, handlers), methods=_ALL_HTTP_METHODS)


routes = [
    _route("", GET=contacts.list_contacts, POST=contacts.create_contact),
    # Before `/{contactId}`, which would otherwise take these names for ids.
    Route(BASE + "/import", transfer.import_contacts, methods=_ALL_HTTP_METHODS),
    Route(BASE + "/export", transfer.export_contacts, methods=_ALL_HTTP_METHODS),
    _route(
        "/{contactId}",
        GET=contacts.get_contact,
        PUT=contacts.replace_contact,
        DELETE=contacts.delete_contact,
    ),
    _route("/{contactId}/tags/add", POST=contacts.add_tags),
    _route("/{contactId}/tags/remove", POST=contacts.remove_tags),
    Route(BASE + "/{rest:path}", not_found_endpoint(DIALECT), methods=_ALL_HTTP_METHODS),
]
