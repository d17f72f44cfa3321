"""Request ids and the access log: one structured line per request.

Every response carries `X-Request-Id`: the client's own when it sent a sane one (so a
request can be followed through proxies), otherwise a fresh random id. The id is in
every log line written while the request is served, and in its access line, which holds
only what is safe to keep: method, path and query with secrets redacted (redaction.py),
status, duration, client address. Never a header, a cookie or a body.
"""

from __future__ import annotations

import logging
import os
import random
import re
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rolodex.observability.access_line import access_fields, access_line, direct_handler
from rolodex.observability.log_format import REQUEST_ID
from rolodex.observability.origin import client_address, header

access_log = logging.getLogger("rolodex.access")

# Letters, digits and a little punctuation, at most 128: anything else (an attempt to
# forge log lines, a huge value) is replaced with an id of our own.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")


# Request ids need to be unique, not secret: a generator seeded once from the OS is enough,
# and a system call for fresh randomness on every request was a measurable share of the
# cheapest requests (docs/benchmarks.md).
_IDS = random.Random(secrets.randbits(128))
# A forked worker process must not repeat its parent's ids.
os.register_at_fork(after_in_child=lambda: _IDS.seed(secrets.randbits(128)))


def new_request_id() -> str:
    return f"{_IDS.getrandbits(128):032x}"


def request_id_from(incoming: str | None) -> str:
    if incoming is not None and _SANE_ID.match(incoming):
        return incoming
    return new_request_id()


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = header(scope, b"x-request-id")
        request_id = request_id_from(incoming)
        scope.setdefault("state", {})["request_id"] = request_id
        token = REQUEST_ID.set(request_id)
        status = 500
        raw_id = request_id.encode("latin-1")

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", raw_id))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                self._log(scope, request_id, request_id is not incoming, status, started)
            REQUEST_ID.reset(token)

    @staticmethod
    def _log(scope: Scope, request_id: str, own_id: bool, status: int, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        services = getattr(scope["app"].state, "services", None)
        trust = bool(services is not None and services.settings.trust_proxy_headers)
        method: str = scope["method"]
        path: str = scope["path"]
        query: bytes = scope.get("query_string", b"")
        agent = header(scope, b"user-agent")
        client = client_address(scope, trust)
        handler = direct_handler()
        if handler is None:
            fields, _ = access_fields(method, path, query, agent, client, status, duration_ms)
            access_log.info("request", extra={"fields": fields})
            return
        try:
            line = access_line(
                request_id, own_id, method, path, query, agent, client, status, duration_ms
            )
            handler.lines.write(line)
        except Exception:
            handler.handleError(
                access_log.makeRecord(access_log.name, logging.INFO, "", 0, "request", (), None)
            )
