"""How a contact is shown: its name, initials, thumbnail, first email and phone, tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rolodex.contacts.model import Contact
from rolodex.contacts.sort_names import display_label
from rolodex.photos.urls import photo_id_from_url, thumb_url
from rolodex.tags.model import Tag


@dataclass(frozen=True, slots=True)
class Row:
    contact_id: str
    name: str
    initials: str
    thumb: str
    email: str
    phone: str
    favorite: bool
    tags: list[Tag]


def _first(data: dict[str, Any], key: str) -> str:
    for entry in data.get(key) or []:
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def thumbnail(data: dict[str, Any]) -> str:
    """The primary photo's thumbnail, when it is one of ours (other hosts are not loaded)."""
    for entry in data.get("photos") or []:
        photo_id = photo_id_from_url(entry.get("value", "")) if isinstance(entry, dict) else None
        if photo_id is not None:
            return thumb_url(photo_id)
    return ""


def initials(name: str) -> str:
    words = [w for w in name.replace("@", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def row_of(contact: Contact, tags: dict[str, Tag]) -> Row:
    data = contact.data
    name = display_label(data) or "(no name)"
    return Row(
        contact_id=contact.contact_id,
        name=name,
        initials=initials(name),
        thumb=thumbnail(data),
        email=_first(data, "emails"),
        phone=_first(data, "phoneNumbers"),
        favorite=contact.meta.get("favorite") is True,
        tags=[tags[t] for t in contact.tag_ids if t in tags],
    )
