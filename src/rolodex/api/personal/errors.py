"""The personal API's single error shape.

`{"errors": [{"code": "VALIDATE_FAILED", "message": "...", "detail": <field or null>}]}`
with the status that fits (docs/personal-api.md lists them).
"""

from __future__ import annotations

import orjson
from starlette.responses import Response

from rolodex.contacts.sync import UnknownSyncToken
from rolodex.errors import (
    Conflict,
    DomainError,
    EtagConflict,
    InvalidInput,
    LimitExceeded,
    MissingScope,
    NotFound,
    Unauthenticated,
)

# Domain error -> (status, code). The first match wins.
_KINDS: list[tuple[type[DomainError], int, str]] = [
    (InvalidInput, 400, "VALIDATE_FAILED"),
    (LimitExceeded, 400, "VALIDATE_FAILED"),
    (Unauthenticated, 401, "UNAUTHORIZED"),
    (MissingScope, 403, "FORBIDDEN"),
    (UnknownSyncToken, 403, "FORBIDDEN"),
    (NotFound, 404, "NOT_FOUND"),
    # If-Match names an etag that is not the current one (RFC 9110 §13.1.1).
    (EtagConflict, 412, "PRECONDITION_FAILED"),
    (Conflict, 409, "CONFLICT"),
]

# Codes of the shared request cycle (json_body, routing) in this dialect's words.
_CODES = {
    "invalid_request": "VALIDATE_FAILED",
    "invalid_json": "VALIDATE_FAILED",
    "body_too_large": "PAYLOAD_TOO_LARGE",
    "unsupported_media_type": "UNSUPPORTED_MEDIA_TYPE",
    "method_not_allowed": "METHOD_NOT_ALLOWED",
    "not_found": "NOT_FOUND",
    "internal_error": "INTERNAL_ERROR",
}


def error_response(status: int, code: str, message: str, detail: str | None) -> Response:
    body = {"errors": [{"code": _CODES.get(code, code), "message": message, "detail": detail}]}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def domain_error_response(exc: DomainError) -> Response:
    status, code = next(
        ((s, c) for kind, s, c in _KINDS if isinstance(exc, kind)), (400, "VALIDATE_FAILED")
    )
    response = error_response(status, code, exc.message, exc.field)
    if isinstance(exc, MissingScope):
        response.headers["WWW-Authenticate"] = (
            f'Bearer realm="rolodex", error="insufficient_scope", scope="{exc.scope}"'
        )
    return response


def unauthenticated_response(missing: bool) -> Response:
    """The 401 for a request without a usable token; `missing`: it sent none at all."""
    message = (
        "send an access token or API key: Authorization: Bearer <token>"
        if missing
        else "unknown, expired or revoked token"
    )
    response = error_response(401, "UNAUTHORIZED", message, "Authorization")
    # RFC 6750 §3: tell the client which scheme to use.
    response.headers["WWW-Authenticate"] = 'Bearer realm="rolodex"'
    return response
