"""A contact's `UID` in a file: kept from the file, or derived from its `contactId`.

A contact made through an API has no `UID` of its own. Its export gives it
`urn:uuid:` followed by its id's 128 random bits written as a UUID: the same every time,
with no write, and turned back into the `contactId` when that file is imported again, so
re-importing an export updates the contacts instead of duplicating them. An id that is
not 128 bits after `c_` (none are made so today) gets a name-based UUID (RFC 9562 §5.5)
instead, which an import cannot turn back.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid

URN = "urn:uuid:"
_PREFIX = "c_"
_NAMESPACE = uuid.UUID("6f1d3a52-5c6e-4b9a-9a43-3f0c2f8e7d10")


# The ids `ids.new_id("c_")` makes: 16 random bytes as 22 characters of URL-safe
# base64, the last of which holds only 2 of those bits (its other 4 are zero).
_CANONICAL = re.compile(r"[A-Za-z0-9_-]{21}[AQgw]")


def derived_uid(contact_id: str) -> str:
    """The `UID` a contact without one is exported with."""
    raw = contact_id[len(_PREFIX) :]
    if contact_id.startswith(_PREFIX) and _CANONICAL.fullmatch(raw):
        # The UUID of those 16 bytes, written without a UUID object (an export makes
        # one per contact): the same text as `str(uuid.UUID(bytes=...))`.
        h = binascii.a2b_base64(raw.replace("-", "+").replace("_", "/") + "==").hex()
        return f"{URN}{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return URN + str(uuid.uuid5(_NAMESPACE, contact_id))


def contact_id_of(uid: str) -> str | None:
    """The `contactId` a derived `UID` stands for, or None when `uid` is not one."""
    if uid[: len(URN)].lower() != URN:
        return None
    try:
        value = uuid.UUID(uid[len(URN) :])
    except ValueError:
        return None
    return _id_of(value.bytes)


def _id_of(data: bytes) -> str:
    return _PREFIX + base64.urlsafe_b64encode(data).rstrip(b"=").decode()
