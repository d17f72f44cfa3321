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
import uuid

URN = "urn:uuid:"
_PREFIX = "c_"
_NAMESPACE = uuid.UUID("6f1d3a52-5c6e-4b9a-9a43-3f0c2f8e7d10")


def derived_uid(contact_id: str) -> str:
    """The `UID` a contact without one is exported with."""
    if contact_id.startswith(_PREFIX):
        raw = contact_id[len(_PREFIX) :]
        try:
            data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        except (binascii.Error, ValueError):
            data = b""
        if len(data) == 16 and _id_of(data) == contact_id:
            return URN + str(uuid.UUID(bytes=data))
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
