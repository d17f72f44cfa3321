"""Multistatus answers (RFC 4918 §13): one `<response>` per resource, streamed.

A response lists the properties found under 200 and those the resource lacks under 404,
each in its own propstat. `stream` makes the 207 from an iterator of responses, so a
Depth 1 of a million cards is written a page at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from starlette.responses import Response, StreamingResponse

from rolodex.api.carddav import props
from rolodex.api.carddav.resources import Dav, Resource
from rolodex.api.carddav.xml import (
    DAV,
    MULTISTATUS_END,
    element,
    href,
    multistatus_start,
    tag,
)

XML_TYPE = "application/xml; charset=utf-8"
OK = "HTTP/1.1 200 OK"
NOT_FOUND = "HTTP/1.1 404 Not Found"
FORBIDDEN = "HTTP/1.1 403 Forbidden"
INSUFFICIENT = "HTTP/1.1 507 Insufficient Storage"

# What a request asks of each resource: named properties, every one (`allprop`), or
# their names (`propname`).
PROP = "prop"
ALLPROP = "allprop"
PROPNAME = "propname"


def href_of(path: str) -> str:
    return href(path)


def status(line: str) -> str:
    return element(tag(DAV, "status"), line)


def propstat(found: list[str], line: str) -> str:
    return element(tag(DAV, "propstat"), element(tag(DAV, "prop"), "".join(found)) + status(line))


def response(path: str, found: list[str], missing: list[str]) -> str:
    """One resource's `<response>`: `found` and `missing` are property elements (XML)."""
    parts = [href(path)]
    if found or not missing:
        parts.append(propstat(found, OK))
    if missing:
        parts.append(propstat(missing, NOT_FOUND))
    return element(tag(DAV, "response"), "".join(parts))


def status_response(path: str, line: str) -> str:
    """A `<response>` of a resource with a status and no properties (a deleted card)."""
    return element(tag(DAV, "response"), href(path) + status(line))


def properties(
    dav: Dav, res: Resource, mode: str, wanted: list[str], extra: dict[str, str] | None = None
) -> str:
    """The `<response>` of one resource for a PROPFIND or REPORT's `<prop>`.

    `extra`: values answered by the method itself (a REPORT's `address-data`).
    """
    if mode == PROPNAME:
        return response(res.href, [element(n) for n in props.names(dav, res)], [])
    names = props.ALLPROP.get(res.kind, []) if mode == ALLPROP else wanted
    if mode == ALLPROP:
        names = [*names, *(n for n in wanted if n not in names)]
    found: list[str] = []
    missing: list[str] = []
    for name in names:
        got = extra[name] if extra and name in extra else props.value(dav, res, name)
        if got is None:
            missing.append(element(name))
        else:
            found.append(element(name, got))
    return response(res.href, found, missing)


def _chunks(parts: Iterable[str]) -> Iterator[bytes]:
    yield multistatus_start().encode()
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= 64 * 1024:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    buffer.append(MULTISTATUS_END)
    yield "".join(buffer).encode()


def stream(parts: Iterable[str], headers: dict[str, str] | None = None) -> Response:
    """A 207 whose body is written as `parts` come (in a worker thread)."""
    return StreamingResponse(_chunks(parts), status_code=207, media_type=XML_TYPE, headers=headers)


def whole(parts: Iterable[str]) -> Response:
    """A 207 written at once (a few responses)."""
    return Response(b"".join(_chunks(parts)), status_code=207, media_type=XML_TYPE)
