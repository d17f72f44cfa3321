"""The personal API's paths. `sync_tokens` comes before `{id}` so it is never read as an id."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from rolodex.api.personal import contacts, sync
from rolodex.api.personal.errors import (
    domain_error_response,
    error_response,
    unauthenticated_response,
)
from rolodex.api.resource_routes import Dialect, Handler, endpoint, not_found_endpoint
from rolodex.oauth.credentials import ACCESS_TOKEN, API_KEY

_ALL_HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


# An OAuth access token or an API key, both as `Authorization: Bearer` (issue 8).
DIALECT = Dialect(
    secret=bearer_secret,
    credential_kinds=(ACCESS_TOKEN, API_KEY),
    error=error_response,
    domain_error=domain_error_response,
    unauthenticated=unauthenticated_response,
)

BASE = "/api/user/contacts"


def _route(path: str, **handlers: Handler) -> Route:
    return Route(BASE + path, endpoint(DIALECT, handlers), methods=_ALL_HTTP_METHODS)


routes = [
    _route("", GET=contacts.list_contacts, POST=contacts.create_contact),
    _route("/sync_tokens", POST=sync.create_token),
    _route("/sync_tokens/{token}/diff", POST=sync.diff),
    _route("/{id}", GET=contacts.get_contact, POST=contacts.update_contact),
    _route("/{id}/destroy", POST=contacts.destroy_contact),
    _route("/{id}/favorite", POST=contacts.favorite_contact),
    _route("/{id}/unfavorite", POST=contacts.unfavorite_contact),
    Route(BASE + "/{rest:path}", not_found_endpoint(DIALECT), methods=_ALL_HTTP_METHODS),
]
