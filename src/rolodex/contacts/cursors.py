"""Scroll cursors: opaque to clients, a position in the contact key order to the server."""

from __future__ import annotations

import base64
import binascii

from rolodex.errors import InvalidInput

_VERSION = "s1"


class ScrollCursor:
    """Encodes 'after key K' so that a walk resumes exactly after the last contact it saw."""

    @staticmethod
    def encode(after_pk: int) -> str:
        raw = f"{_VERSION}:{after_pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def decode(cursor: str, *, field: str = "scrollCursor") -> int:
        if len(cursor) > 128:
            raise InvalidInput("not a cursor this server issued", field=field)
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            version, _, value = raw.partition(":")
            after = int(value)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise InvalidInput("not a cursor this server issued", field=field) from None
        if version != _VERSION or after < 0:
            raise InvalidInput("not a cursor this server issued", field=field)
        return after
