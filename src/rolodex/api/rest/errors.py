"""The REST API's single error shape: `{"message": "..."}` with the status that fits.

A missing or bad `x-api-key` is a 403 whose message starts `Forbidden`, as the original
service answers (DESIGN.md), and then says which: no key, or a key unknown here
(docs/rest-api.md). Clients that test the status, or that the message starts with
"Forbidden", see no difference.
"""

from __future__ import annotations

import orjson
from starlette.responses import Response

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

_STATUS: list[tuple[type[DomainError], int]] = [
    (InvalidInput, 400),
    (LimitExceeded, 400),
    (Unauthenticated, 403),
    (MissingScope, 403),
    (NotFound, 404),
    # If-Match names an etag that is not the current one (RFC 9110 §13.1.1).
    (EtagConflict, 412),
    (Conflict, 409),
]


def error_response(status: int, code: str, message: str, field: str | None) -> Response:
    if field and not message.startswith(field):
        message = f"{field}: {message}"
    return Response(
        orjson.dumps({"message": message}), status_code=status, media_type="application/json"
    )


def domain_error_response(exc: DomainError) -> Response:
    status = next((s for kind, s in _STATUS if isinstance(exc, kind)), 400)
    return error_response(status, exc.code, exc.message, exc.field)


FORBIDDEN_NO_KEY = "Forbidden: no x-api-key header (send an API key in it)"
FORBIDDEN_UNKNOWN_KEY = "Forbidden: unknown API key (revoked, or never made here)"


def forbidden_response(missing: bool) -> Response:
    """The 403 for a request without a usable key; `missing`: it sent none at all."""
    return error_response(
        403, "forbidden", FORBIDDEN_NO_KEY if missing else FORBIDDEN_UNKNOWN_KEY, None
    )
