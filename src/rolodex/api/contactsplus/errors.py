"""The Contacts+ dialect's single error shape.

`{"error": {"code": ..., "message": ..., "field": ..., "details": [{"field", "problem"}]}}`,
with the status that fits (docs/api-notes.md lists them).
"""

from __future__ import annotations

from typing import Any

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
    (Unauthenticated, 401),
    (MissingScope, 403),
    (NotFound, 404),
    (EtagConflict, 409),
    (Conflict, 409),
    (LimitExceeded, 400),
]


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    if details:
        body["details"] = details
    return Response(
        orjson.dumps({"error": body}),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def domain_error_response(exc: DomainError) -> Response:
    status = next((s for kind, s in _STATUS if isinstance(exc, kind)), 400)
    headers = None
    if isinstance(exc, Unauthenticated):
        # RFC 6750 §3: tell the client which scheme to use.
        headers = {"WWW-Authenticate": 'Bearer realm="rolodex", error="invalid_token"'}
    if isinstance(exc, MissingScope):
        headers = {
            "WWW-Authenticate": f'Bearer realm="rolodex", error="insufficient_scope", scope="{exc.scope}"'
        }
    details = exc.details if isinstance(exc, InvalidInput) else None
    return error_response(
        status, exc.code, exc.message, field=exc.field, details=details, headers=headers
    )
