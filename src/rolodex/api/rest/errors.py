"""The REST API's single error shape: `{"message": "..."}` with the status that fits.

A missing or bad `x-api-key` is exactly `403 {"message": "Forbidden"}`, as the original
service answers (DESIGN.md).
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


def forbidden_response() -> Response:
    return error_response(403, "forbidden", "Forbidden", None)
