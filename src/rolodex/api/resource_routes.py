"""The request cycle the two resource-style dialects share (REST and personal).

Each path is one Starlette route whose endpoint dispatches on the HTTP method, so that a
method a path does not serve is a 405 in the dialect's own error shape (Starlette's
router would answer it in the app-wide one). Authentication, parsing, the service call
and rendering run in one worker thread, since the store is synchronous; the body is read
first, within the size limit, on the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response

from rolodex.actors import acting_as
from rolodex.api.json_body import BodyError, parse_object, read_limited
from rolodex.errors import DomainError
from rolodex.oauth.actor_names import actor_of
from rolodex.oauth.credentials import Principal
from rolodex.services import Services

log = logging.getLogger("rolodex")

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_READS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One authenticated request, as a handler sees it."""

    services: Services
    principal: Principal
    path: Mapping[str, str]
    query: QueryParams
    headers: Headers
    body: dict[str, Any]

    @property
    def owner_id(self) -> str:
        return self.principal.account_id

    def if_match(self) -> str | None:
        """The etag of `If-Match` (RFC 9110 §13.1.1), or None when absent or `*`."""
        value = self.headers.get("if-match")
        if value is None:
            return None
        value = value.strip()
        if value == "*" or not value:
            return None
        value = value.split(",", 1)[0].strip()
        value = value.removeprefix("W/")
        return value.strip('"')


Handler = Callable[[ApiRequest], Response]


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one API authenticates and shows its errors."""

    # The presented secret, or None when the request carries none.
    secret: Callable[[Request], str | None]
    credential_kinds: tuple[str, ...]
    # (status, code, message, field) -> response, in the dialect's error shape.
    error: Callable[[int, str, str, str | None], Response]
    domain_error: Callable[[DomainError], Response]
    # (whether the secret was missing, rather than unknown) -> the dialect's refusal.
    unauthenticated: Callable[[bool], Response]


class _Unauthenticated(Exception):
    pass


def _answer(
    dialect: Dialect,
    handler: Handler,
    services: Services,
    secret: str,
    request: Request,
    raw: bytes,
) -> Response:
    """Run `handler` for the principal `secret` names (`_Unauthenticated` if none)."""
    principal = services.credentials.resolve(secret, kinds=dialect.credential_kinds)
    if principal is None:
        raise _Unauthenticated
    body: dict[str, Any] = {}
    if request.method in _BODY_METHODS:
        body = parse_object(request, raw, empty_is_object=True)
    if request.method in _READS:
        return _handled(handler, services, principal, request, body)
    # Whatever the request writes, its versions name this credential (docs/history.md).
    with acting_as(actor_of(services.store, principal)):
        return _handled(handler, services, principal, request, body)


def _handled(
    handler: Handler,
    services: Services,
    principal: Principal,
    request: Request,
    body: dict[str, Any],
) -> Response:
    return handler(
        ApiRequest(
            services=services,
            principal=principal,
            path=request.path_params,
            query=request.query_params,
            headers=request.headers,
            body=body,
        )
    )


def _field_with_nul(request: Request) -> str | None:
    """The first path or query parameter holding NUL: PostgreSQL text cannot hold it, so
    it is refused before it would reach a query."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if "\x00" in value:
            return name
    return None


def endpoint(
    dialect: Dialect, handlers: Mapping[str, Handler]
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of one path: `handlers` maps HTTP methods to handlers."""
    allowed = ", ".join(sorted(handlers))

    async def serve(request: Request) -> Response:
        if request.method not in handlers:
            response = dialect.error(405, "method_not_allowed", f"use {allowed} here", None)
            response.headers["Allow"] = allowed
            return response
        nul_field = _field_with_nul(request)
        if nul_field is not None:
            message = "may not contain the NUL character (\\u0000)"
            return dialect.error(400, "invalid_request", message, nul_field)
        services: Services = request.app.state.services
        secret = dialect.secret(request)
        if secret is None:
            return dialect.unauthenticated(True)
        try:
            raw = b""
            if request.method in _BODY_METHODS:
                raw = await read_limited(request, services.settings.max_body_bytes)
            handler = handlers[request.method]
            return await run_in_threadpool(
                _answer, dialect, handler, services, secret, request, raw
            )
        except _Unauthenticated:
            return dialect.unauthenticated(False)
        except BodyError as exc:
            return dialect.error(exc.status, exc.code, exc.message, None)
        except DomainError as exc:
            return dialect.domain_error(exc)
        except Exception:
            # A 5xx is always a bug: log it whole, tell the client nothing about internals.
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            return dialect.error(
                500, "internal_error", "the server failed to answer; this is a bug", None
            )

    return serve


def not_found_endpoint(dialect: Dialect) -> Callable[[Request], Awaitable[Response]]:
    """For paths under a dialect's prefix that name nothing: a 404 in its shape."""

    async def serve(request: Request) -> Response:
        return dialect.error(404, "not_found", "there is nothing at this path", None)

    return serve
