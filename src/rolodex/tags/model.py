"""A tag, and the rules its name follows."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from rolodex.errors import InvalidInput

MAX_NAME = 256


@dataclass(slots=True)
class Tag:
    """One stored tag. Deleted tags are kept as tombstones for scrolls and sync."""

    pk: int
    tag_id: str
    owner_id: str
    name: str
    name_key: str
    etag: str
    created_at: int
    updated_at: int
    deleted_at: int | None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def clean_name(raw: str, *, field: str) -> str:
    """The name as stored: surrounding spaces removed, 1 to 256 characters (docs/limits.md)."""
    name = raw.strip()
    if not name:
        raise InvalidInput("must not be empty", field=field)
    if len(name) > MAX_NAME:
        raise InvalidInput(f"must be at most {MAX_NAME} characters", field=field)
    return name


def name_key(name: str) -> str:
    """What two names must share to be "the same name": case-insensitive, Unicode-normalised.

    Case folding can lengthen a string (`ß` -> `ss`); a key that would not fit its column
    is replaced by its digest, which keeps equal names equal.
    """
    key = unicodedata.normalize("NFC", name.strip()).casefold()
    if len(key) > MAX_NAME:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key
