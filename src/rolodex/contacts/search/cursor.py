"""Search cursors: opaque to clients; to the server, a place in the ranked order.

Results are ordered by (rank bucket, contact key), and a cursor holds the last pair a
page ended on, so the next page starts strictly after it (a keyset, not an offset): a
contact whose text does not change during the walk is seen exactly once. The cursor
also carries a fingerprint of the query and tag filter, so that a cursor is refused
(400) with any other search than the one that issued it. The token itself is made and
checked by the one cursor codec (contacts/cursors.py): signed, bound to the owner and to
`contacts.search`, unreadable to clients.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from rolodex.contacts.cursors import SEARCH, CursorCodec
from rolodex.errors import InvalidInput

FIELD = "searchCursor"


class SearchCursor:
    @staticmethod
    def fingerprint(query: str, tag_ids: Sequence[str]) -> str:
        digest = hashlib.sha256(query.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00" + "\x00".join(tag_ids).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:12]

    @staticmethod
    def encode(
        codec: CursorCodec, owner_id: str, bucket: int, after_pk: int, fingerprint: str
    ) -> str:
        return codec.encode(SEARCH, owner_id, bucket, after_pk, fingerprint)

    @staticmethod
    def decode(codec: CursorCodec, owner_id: str, cursor: str, fingerprint: str) -> tuple[int, int]:
        """(bucket, key) the page resumes after, or a 400 on `searchCursor`."""
        bucket, after, issued_for = codec.decode(cursor, SEARCH, owner_id, field=FIELD, shape="iis")
        if issued_for != fingerprint:
            raise InvalidInput(
                "this cursor belongs to another search: send the same searchQuery and tagIds",
                field=FIELD,
            )
        return int(bucket), int(after)
