"""Identifiers: random, URL-safe, unguessable, so that ids never leak counts or order."""

from __future__ import annotations

import base64
import secrets

_ID_BYTES = 16
_ETAG_BYTES = 8


def new_id(prefix: str = "") -> str:
    """A fresh 128-bit random identifier, URL-safe, with an optional readable prefix."""
    return prefix + secrets.token_urlsafe(_ID_BYTES)


def new_etag() -> str:
    """A fresh etag; random rather than a counter so that it says nothing about history."""
    return secrets.token_hex(_ETAG_BYTES)


def new_ids(prefix: str, count: int) -> list[str]:
    """`count` ids as `new_id` makes them, from one draw of the system's randomness.

    A bulk import names thousands of contacts per batch: one read of the random source
    per batch instead of one per id.
    """
    pool = secrets.token_bytes(_ID_BYTES * count)
    return [
        prefix + base64.urlsafe_b64encode(pool[i : i + _ID_BYTES]).rstrip(b"=").decode()
        for i in range(0, len(pool), _ID_BYTES)
    ]


def new_etags(count: int) -> list[str]:
    """`count` etags as `new_etag` makes them, from one draw of the system's randomness."""
    pool = secrets.token_bytes(_ETAG_BYTES * count).hex()
    step = 2 * _ETAG_BYTES
    return [pool[i : i + step] for i in range(0, len(pool), step)]
