"""`Card`: one contact as a file holds it, the unit every format reads and writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo carried inside a file: its bytes, not yet checked by the photo store."""

    data: bytes
    content_type: str | None = None


@dataclass(slots=True)
class Card:
    """One contact read from or written to a file.

    `contact_data` is the canonical `contactData` (validated by the importer, not here).
    `tags` are tag names (vCard `CATEGORIES`, Google `Labels`, Outlook `Categories`).
    `uid` is the file's own identity of the contact (vCard `UID`), kept so that a
    re-import updates instead of duplicating. `extras` is what the format carries and the
    canonical contact has no field for, as JSON-able data owned by the format's module
    (docs/import-export.md says where it is kept and how other APIs' writes treat it).
    `line` is where the card starts in its file (1-based), for error messages.
    """

    contact_data: dict[str, Any]
    tags: list[str] = field(default_factory=list)
    uid: str | None = None
    photos: list[Photo] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True, slots=True)
class CardProblem:
    """Why the card starting at `line` cannot be read, in a sentence."""

    line: int
    message: str
