"""Reading a JSON request body within limits; shared by every dialect that takes JSON.

Each dialect turns `BodyError` into its own error shape.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response


class JSONBytes(Response):
    """A 200 whose JSON is already encoded, its two headers written out directly.

    Starlette's `Response` works its headers out on every answer (charset, lengths,
    header names to encode); the answers of the busiest routes need none of that.
    """

    media_type = "application/json"

    def __init__(self, body: bytes) -> None:
        self.status_code = 200
        self.background = None
        self.body = body
        self.raw_headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ]


class BodyError(Exception):
    """The body cannot be read as the JSON object the call needs."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


async def read_limited(request: Request, max_bytes: int) -> bytes:
    """The raw body, refusing (413) anything over `max_bytes` without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > max_bytes:
                raise BodyError(413, "body_too_large", f"the body may be at most {max_bytes} bytes")
        except ValueError:
            raise BodyError(400, "invalid_request", "Content-Length is not a number") from None
    # Straight from the ASGI messages rather than `request.stream()`: an async generator
    # per request costs every call of every API, and no caller reads the body twice.
    receive = request.receive
    chunks: list[bytes] = []
    total = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > max_bytes:
            raise BodyError(413, "body_too_large", f"the body may be at most {max_bytes} bytes")
        if not message.get("more_body", False):
            if not chunks:
                return bytes(chunk)
            chunks.append(chunk)
            return b"".join(chunks)
        chunks.append(chunk)


def is_json_content_type(value: str | None) -> bool:
    if value is None:
        return False
    media = value.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def has_escaped_nul(raw: bytes) -> bool:
    """Whether a JSON text holds U+0000 in a string (only ever written as the escape \\u0000).

    A backslash before the escape's own backslash makes it literal text, so count them.
    """
    start = raw.find(b"\\u0000")
    while start != -1:
        backslashes = 0
        while start - backslashes - 1 >= 0 and raw[start - backslashes - 1] == 0x5C:
            backslashes += 1
        if backslashes % 2 == 0:
            return True
        start = raw.find(b"\\u0000", start + 1)
    return False


def parse_object(request: Request, raw: bytes, *, empty_is_object: bool) -> dict[str, Any]:
    """The body as a JSON object: 415 for another content type, 400 for anything not an object."""
    if not raw.strip():
        if empty_is_object:
            return {}
        raise BodyError(400, "invalid_request", "the body must be a JSON object")
    if not is_json_content_type(request.headers.get("content-type")):
        raise BodyError(415, "unsupported_media_type", "send the body as application/json")
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BodyError(400, "invalid_json", f"the body is not valid JSON: {exc}") from None
    if has_escaped_nul(raw):
        # PostgreSQL text cannot hold U+0000, and no contact field needs it: refuse it for
        # every store alike rather than fail on one of them.
        raise BodyError(400, "invalid_request", "text may not contain the NUL character (\\u0000)")
    if not isinstance(value, dict):
        raise BodyError(400, "invalid_request", "the body must be a JSON object")
    return value
