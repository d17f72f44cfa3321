"""Search cursors: opaque to clients; to the server, a place in the ranked order.

Results are ordered by (rank bucket, contact key), and a cursor holds the last pair a
page ended on, so the next page starts strictly after it (a keyset, not an offset): a
contact whose text does not change during the walk is seen exactly once. The cursor
also carries a fingerprint of the query and tag filter, so that a cursor is refused
(400) with any other search than the one that issued it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence

from rolodex.errors import InvalidInput

_VERSION = "q1"
FIELD = "searchCursor"


class SearchCursor:
    @staticmethod
    def fingerprint(query: str, tag_ids: Sequence[str]) -> str:
        digest = hashlib.sha256(query.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00" + "\x00".join(tag_ids).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:12]

    @staticmethod
    def encode(bucket: int, after_pk: int, fingerprint: str) -> str:
        raw = f"{_VERSION}:{bucket}:{after_pk}:{fingerprint}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def decode(cursor: str, fingerprint: str) -> tuple[int, int]:
        """(bucket, key) the page resumes after, or a 400 on `searchCursor`."""
        if len(cursor) > 128:
            raise InvalidInput("not a cursor this server issued", field=FIELD)
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            version, bucket, after, issued_for = raw.split(":")
            position = (int(bucket), int(after))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise InvalidInput("not a cursor this server issued", field=FIELD) from None
        if version != _VERSION or min(position) < 0:
            raise InvalidInput("not a cursor this server issued", field=FIELD)
        if issued_for != fingerprint:
            raise InvalidInput(
                "this cursor belongs to another search: send the same searchQuery and tagIds",
                field=FIELD,
            )
        return position
