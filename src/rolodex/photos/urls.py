"""The URLs photos are served at, and reading a photo id back out of one.

URLs are root-relative (`/photos/<id>`): they work behind any host name or proxy
without Rolodex knowing its public address, and a browser resolves them against the
server the address book was loaded from.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

PREFIX = "/photos/"
THUMB = "thumb"

_PHOTO_ID = re.compile(r"^p_[A-Za-z0-9_-]{16,60}$")


def is_photo_id(value: str) -> bool:
    return bool(_PHOTO_ID.match(value))


def photo_url(photo_id: str) -> str:
    return PREFIX + photo_id


def thumb_url(photo_id: str) -> str:
    return f"{PREFIX}{photo_id}?size={THUMB}"


def photo_id_from_url(url: str) -> str | None:
    """The photo id in a URL of ours (root-relative or absolute), or None for any other URL."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    if not path.startswith(PREFIX):
        return None
    candidate = path[len(PREFIX) :]
    return candidate if is_photo_id(candidate) else None
