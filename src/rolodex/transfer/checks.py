"""One card read from a file, checked as every API checks a contact, before any write.

A card passes when its `contactData` is valid (`contacts.model.clean_contact_data`, the
rule every API applies), its tag names follow the tags' name rule, and each photo passes
the photo store's checks from its header (`photos.images.open_image`: format, bytes,
pixels), as an upload's do. Anything else is a `CardProblem` naming the card's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolodex.contacts.model import MAX_LIST, clean_contact_data
from rolodex.contacts.prepared import PreparedContact
from rolodex.errors import DomainError, InvalidInput
from rolodex.formats.card import Card, CardProblem
from rolodex.formats.vcard import Group, group_of
from rolodex.photos.images import ImageLimits, open_image
from rolodex.tags.model import clean_name, name_key

# A card's longest UID: an index key, not a document.
MAX_UID = 1024


@dataclass(slots=True)
class CheckedCard:
    """A card ready to write: clean data, clean tag names, photos that passed the checks."""

    line: int
    data: dict[str, Any]
    uid: str | None
    tags: list[str] = field(default_factory=list)
    photos: list[bytes] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    # Its rows as a new contact (`prepared.prepare`), when a worker process made them.
    prepared: PreparedContact | None = None


def _problem_text(exc: InvalidInput) -> str:
    """What is wrong, naming the first bad field: "emails.0.value: ..."."""
    if exc.details:
        first = exc.details[0]
        where = str(first.get("field", ""))
        return f"{where}: {first['problem']}" if where else str(first["problem"])
    return exc.message


def check_card(card: Card, limits: ImageLimits) -> CheckedCard | Group | CardProblem:
    """The card ready to write, the group it is (a group card), or why it cannot be."""
    group = group_of(card)
    if group is not None:
        return group
    try:
        data = clean_contact_data(card.contact_data, field_name="")
    except InvalidInput as exc:
        return CardProblem(card.line, _problem_text(exc))
    uid = card.uid.strip() if card.uid else None
    if uid is not None and len(uid) > MAX_UID:
        return CardProblem(card.line, f"UID: longer than {MAX_UID} characters")
    tags: dict[str, str] = {}
    try:
        for raw in card.tags:
            if raw.strip():
                name = clean_name(raw, field="tags")
                tags.setdefault(name_key(name), name)
    except InvalidInput as exc:
        return CardProblem(card.line, f"tags: {exc.message}")
    if len(card.photos) > MAX_LIST:
        return CardProblem(card.line, f"photos: at most {MAX_LIST}")
    for number, photo in enumerate(card.photos, start=1):
        try:
            open_image(photo.data, limits)
        except DomainError as exc:
            return CardProblem(card.line, f"photo {number}: {exc.message}")
    return CheckedCard(
        card.line,
        data,
        uid or None,
        list(tags.values()),
        [p.data for p in card.photos],
        dict(card.extras),
    )
