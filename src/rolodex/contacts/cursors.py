"""Paging cursors: opaque to clients, authenticated, and bound to what they page.

Every API that pages with a cursor (`contacts.scroll`, `contacts.search`, `tags.scroll`,
the address book's `after`) hands out tokens made here, and reads them back here, so a
cursor is checked before any query runs. A token is

    base64url(tag || payload XOR keystream(tag))

where `payload` is the position (ASCII fields joined by `:`), `tag` is the first 16 bytes
of HMAC-SHA256 over (kind, owner id, payload) under a key derived from the server's
secret key, and the keystream is HMAC-SHA256 of (tag, block number) under a second
derived key. The tag authenticates the cursor and binds it to its kind and owner: a
cursor of another API, another account, or one changed by a single bit is refused with
a 400, as is one that was never issued. Using the tag as the keystream's nonce (a
synthetic IV, as in RFC 5297's SIV mode) keeps the position itself unreadable: the
internal keys, which grow with every contact the server stores, do not leak.

Cursors made with another server key (a cursor from before this scheme, or from a
server whose key changed) are refused the same way (docs/api-notes.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from typing import Any

from rolodex.errors import InvalidInput

TAG_BYTES = 16
# Longest token accepted, checked before any decoding: the API fields allow 256
# characters (docs/limits.md); the address book's `after` holds a sort key (at most 200
# characters, 800 bytes), hence the larger bound.
MAX_TOKEN = 1200
INT64_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")
NOT_ISSUED = "not a cursor this server issued for this request"

# The kinds of cursor, each bound into its tag: one kind's cursor is refused by another.
SCROLL = "contacts.scroll"
SEARCH = "contacts.search"
TAGS = "tags.scroll"
BOOK = "book"


def _derive(server_key: str, label: bytes) -> bytes:
    """A sub-key for one use, so the session cookies' key signs nothing else directly."""
    return hmac.new(server_key.encode(), b"rolodex cursors v1 " + label, hashlib.sha256).digest()


def parse_int64(value: str) -> int | None:
    """`value` as a non-negative integer if it is 1-19 ASCII digits within int64, else None.

    `int()` alone would accept full-width or Devanagari digits, `1_000`, ` 1` and values that overflow the
    stores' 64-bit integers.
    """
    if _DIGITS.fullmatch(value) is None:
        return None
    number = int(value)
    return number if number <= INT64_MAX else None


class CursorCodec:
    """Makes and checks cursors under keys derived from the server's secret key.

    `server_key` is called on first use (the key may live in the database, which a
    process must not read before it has migrated).
    """

    def __init__(self, server_key: Callable[[], str] | None = None) -> None:
        # Without a server key (a service built alone, say by a tool), a random one: its
        # cursors are valid in this process only.
        self._server_key = server_key or (lambda: secrets.token_urlsafe(32))
        self._keys: tuple[bytes, bytes] | None = None

    def _key_pair(self) -> tuple[bytes, bytes]:
        if self._keys is None:
            key = self._server_key()
            self._keys = (_derive(key, b"mac"), _derive(key, b"stream"))
        return self._keys

    @staticmethod
    def _masked(key: bytes, tag: bytes, data: bytes) -> bytes:
        """`data` XOR the keystream of `tag`: hides a payload, and shows a hidden one."""
        blocks = [
            hmac.new(key, tag + n.to_bytes(4, "big"), hashlib.sha256).digest()
            for n in range((len(data) + 31) // 32)
        ]
        stream = b"".join(blocks)[: len(data)]
        mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
        return mixed.to_bytes(len(data), "big")

    @staticmethod
    def _tag(key: bytes, kind: str, owner_id: str, payload: bytes) -> bytes:
        # Each part after its length, so that no two (kind, owner, payload) sign alike.
        parts = (kind.encode(), owner_id.encode("utf-8", "surrogatepass"), payload)
        signed = b"".join(len(p).to_bytes(4, "big") + p for p in parts)
        return hmac.new(key, signed, hashlib.sha256).digest()[:TAG_BYTES]

    def encode(self, kind: str, owner_id: str, *fields: int | str) -> str:
        """A token for `fields` (integers, or text; only the last may contain `:`)."""
        mac_key, stream_key = self._key_pair()
        payload = ":".join(str(f) for f in fields).encode("utf-8", "surrogatepass")
        tag = self._tag(mac_key, kind, owner_id, payload)
        hidden = self._masked(stream_key, tag, payload)
        return base64.urlsafe_b64encode(tag + hidden).decode().rstrip("=")

    def decode(self, token: str, kind: str, owner_id: str, *, field: str, shape: str) -> list[Any]:
        """The fields of a token this server issued for `kind` and `owner_id`, else a 400.

        `shape` gives each field's type: `i` a non-negative 64-bit integer, `s` text.
        Every check (length, MAC, kind, owner, the fields' form and ranges) happens here,
        before the caller queries anything.
        """
        if len(token) > MAX_TOKEN or not token.isascii():
            raise InvalidInput(NOT_ISSUED, field=field)
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            raise InvalidInput(NOT_ISSUED, field=field) from None
        if len(raw) <= TAG_BYTES:
            raise InvalidInput(NOT_ISSUED, field=field)
        mac_key, stream_key = self._key_pair()
        tag, hidden = raw[:TAG_BYTES], raw[TAG_BYTES:]
        payload = self._masked(stream_key, tag, hidden)
        if not hmac.compare_digest(tag, self._tag(mac_key, kind, owner_id, payload)):
            raise InvalidInput(NOT_ISSUED, field=field)
        # Authentic: only this server could have made it, so what follows guards against
        # the server's own mistakes as much as anything.
        try:
            parts = payload.decode("utf-8", "surrogatepass").split(":", len(shape) - 1)
        except UnicodeDecodeError:
            raise InvalidInput(NOT_ISSUED, field=field) from None
        if len(parts) != len(shape):
            raise InvalidInput(NOT_ISSUED, field=field)
        out: list[Any] = []
        for kind_of, part in zip(shape, parts, strict=True):
            if kind_of == "i":
                number = parse_int64(part)
                if number is None:
                    raise InvalidInput(NOT_ISSUED, field=field)
                out.append(number)
            else:
                out.append(part)
        return out

    # -- the kinds in use -------------------------------------------------------------

    def position(self, token: str, kind: str, owner_id: str, *, field: str) -> int:
        """The key a keyset walk (`contacts.scroll`, `tags.scroll`) resumes after."""
        [after] = self.decode(token, kind, owner_id, field=field, shape="i")
        return int(after)
