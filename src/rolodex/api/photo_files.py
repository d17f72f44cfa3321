"""Serving contact photos: `GET /photos/<photo id>` and `?size=thumb` for the thumbnail.

No bearer token: the URLs appear in `contactData.photos` and address books show them
with plain `<img>` tags, which cannot send one. The 128-bit random photo id is the
capability instead (docs/photos.md). The bytes at a URL never change (a new upload gets
a new id), so responses carry a strong ETag and may be cached for a year; `private`
keeps shared caches from holding someone's photos.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from rolodex.api.contactsplus.errors import domain_error_response, error_response
from rolodex.errors import NotFound
from rolodex.photos.urls import PREFIX, THUMB
from rolodex.services import Services

CACHE_CONTROL = "private, max-age=31536000, immutable"
_SIZES = {None: False, "full": False, THUMB: True}


def _matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison against each listed tag, or `*`."""
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


async def serve_photo(request: Request) -> Response:
    size = request.query_params.get("size")
    if size not in _SIZES:
        return error_response(
            400, "invalid_request", "size must be 'thumb' or 'full' (or left out)", field="size"
        )
    services: Services = request.app.state.services
    try:
        photo = await run_in_threadpool(
            services.photos.read, request.path_params["photo_id"], thumbnail=_SIZES[size]
        )
    except NotFound as exc:
        return domain_error_response(exc)
    etag = f'"{photo.etag}"'
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'",
    }
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    body = b"" if request.method == "HEAD" else photo.data
    headers["Content-Length"] = str(len(photo.data))
    return Response(body, media_type=photo.content_type, headers=headers)


routes = [Route(PREFIX + "{photo_id}", serve_photo, methods=["GET", "HEAD"])]
