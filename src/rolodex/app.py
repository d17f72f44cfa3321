"""The ASGI application: every API on one port, over one set of services."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from rolodex.api.carddav.routes import routes as carddav_routes
from rolodex.api.contactsplus.errors import error_response
from rolodex.api.contactsplus.photos import routes as contactsplus_photo_routes
from rolodex.api.contactsplus.routes import routes as contactsplus_routes
from rolodex.api.oauth.routes import routes as oauth_routes
from rolodex.api.openapi.routes import routes as openapi_routes
from rolodex.api.personal.routes import routes as personal_routes
from rolodex.api.photo_files import routes as photo_file_routes
from rolodex.api.rest.routes import routes as rest_routes
from rolodex.observability.access_log import RequestLogMiddleware
from rolodex.observability.line_writer import flush_all
from rolodex.observability.log_format import configure_logging
from rolodex.photos.malloc import return_large_blocks_to_the_os
from rolodex.ratelimit.middleware import RateLimitMiddleware
from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.web.routes import routes as web_routes
from rolodex.web.security_headers import SecurityHeadersMiddleware
from rolodex.webhooks.delivery import start_delivery_worker

log = logging.getLogger("rolodex")


async def healthz(request: Request) -> Response:
    # Served only once the lifespan has built the services, so 200 means ready.
    return JSONResponse({"status": "ok"})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, code, str(exc.detail), headers=headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    # A 5xx is always a bug: log it whole, tell the client nothing about internals.
    # This runs outside the request-log middleware, so the request id is passed on here.
    request_id = getattr(request.state, "request_id", None)
    log.exception(
        "unhandled error on %s %s",
        request.method,
        request.url.path,
        extra={"fields": {"request_id": request_id}},
    )
    response = error_response(500, "internal_error", "the server failed to answer; this is a bug")
    if request_id:
        response.headers["X-Request-Id"] = request_id
    return response


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    """The application; builds (and closes) its own services unless handed ready ones."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or Services.build(settings or Settings())
        # The store is synchronous, so each request's database work runs in a worker
        # thread. Many threads only fight over the GIL and the store's connections: a few
        # serve more requests per second, at a lower tail (docs/benchmarks.md).
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = app.state.services.settings.worker_threads
        if owned:
            # A server process: JSON log lines on stderr, secrets scrubbed (observability/).
            configure_logging()
            # Freed image pixels go back to the OS: the decode budget bounds the RSS.
            return_large_blocks_to_the_os()
            if not app.state.services.settings.access_log:
                logging.getLogger("rolodex.access").setLevel(logging.WARNING)
        if owned:
            # Everything built so far (modules, services, compiled statements) lives as long
            # as the process: out of the collector's sight, a full collection walks only
            # what requests allocate, and the pauses it adds to the tail are shorter.
            gc.freeze()
        # Webhook delivery runs beside the API unless ROLODEX_WEBHOOK_WORKER=false; it
        # resumes whatever was pending when the server last stopped (docs/webhooks.md).
        running: Services = app.state.services
        # It also runs the history purge (docs/history.md).
        worker = start_delivery_worker(
            running.store, running.settings.webhooks, [running.history_purge.run_due]
        )
        try:
            yield
        finally:
            if worker is not None:
                await run_in_threadpool(worker.stop)
            # This loop's PostgreSQL connections end with it, whoever owns the services.
            app.state.services.store.quick.close_loop()
            if owned:
                app.state.services.close()
                # The last lines queued by the log's background writer (line_writer.py).
                flush_all()

    # Plain Starlette: every route is a Starlette route, and FastAPI's layer (its exit
    # stack and telemetry hooks on each request) cost time on every call for no use.
    app = Starlette(
        lifespan=lifespan,
        exception_handlers={StarletteHTTPException: _http_error, Exception: _server_error},
    )
    if services is not None:
        app.state.services = services
    # Routing tries each route in turn, so the APIs (the hot paths) come before the pages,
    # and the Contacts+ methods first of all; no two routes match the same path.
    app.router.routes.append(Route("/healthz", healthz, methods=["GET", "HEAD"]))
    app.router.routes.extend(contactsplus_routes)
    app.router.routes.extend(contactsplus_photo_routes)
    app.router.routes.extend(oauth_routes)
    app.router.routes.extend(rest_routes)
    app.router.routes.extend(personal_routes)
    app.router.routes.extend(photo_file_routes)
    # CardDAV (docs/carddav.md): /dav/..., /.well-known/carddav, and PROPFIND of `/`,
    # before the pages, whose GET `/` is the web page.
    app.router.routes.extend(carddav_routes)
    # The OpenAPI documents and their pages (docs/openapi.md), then the web pages.
    app.router.routes.extend(openapi_routes)
    app.router.routes.extend(web_routes)
    # Outermost last: every answer (a 429 too) gets a request id, a log line and the
    # security headers; the limiter refuses before any routing or database work.
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestLogMiddleware)
    return app
