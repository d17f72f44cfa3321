"""Tags by name, as the REST API speaks of them, over the tag service.

Names compare as the tag service compares them (case-insensitive, surrounding spaces
ignored: `rolodex.tags.model.name_key`). Writing a name makes the tag on first use, like
`tags.create`; reading or removing by name never makes one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rolodex.services import Services
from rolodex.tags.model import name_key


def ensure_ids(services: Services, owner_id: str, names: Sequence[str]) -> list[str]:
    """The ids of the owner's tags of these names, making those that do not exist yet."""
    ids = [services.tags.create(owner_id, name, field="tags").tag_id for name in names]
    return list(dict.fromkeys(ids))


def existing_ids(services: Services, owner_id: str, names: Iterable[str]) -> dict[str, str | None]:
    """Each name's key -> the id of the owner's live tag of that name, or None."""
    wanted = {name_key(n): None for n in names if n.strip()}
    found: dict[str, str | None] = dict.fromkeys(wanted)
    if not wanted:
        return found
    cursor: str | None = None
    while True:
        page = services.tags.scroll(
            owner_id, cursor=cursor, size=services.contacts.limits.max_page_size
        )
        for tag in page.tags:
            if tag.name_key in found:
                found[tag.name_key] = tag.tag_id
        cursor = page.cursor
        if cursor is None:
            return found


def names_by_id(services: Services, owner_id: str, tag_ids: Iterable[str]) -> dict[str, str]:
    """tag id -> name for the owner's live tags among `tag_ids`."""
    ids = list(dict.fromkeys(tag_ids))
    chunk = services.contacts.limits.max_ids_per_get
    out: dict[str, str] = {}
    for start in range(0, len(ids), chunk):
        for tag in services.tags.get_many(owner_id, ids[start : start + chunk]):
            out[tag.tag_id] = tag.name
    return out
