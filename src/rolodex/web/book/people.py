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
    company: str
    title: str
    tags: list[Tag]


def _first(data: dict[str, Any], key: str) -> str:
    for entry in data.get(key) or []:
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _work(data: dict[str, Any]) -> tuple[str, str]:
    """The first organization's company name and job title (either may be empty)."""
    for entry in data.get("organizations") or []:
        if not isinstance(entry, dict):
            continue
        name, title = entry.get("name"), entry.get("title")
        company = name.strip() if isinstance(name, str) else ""
        job = title.strip() if isinstance(title, str) else ""
        if company or job:
            return company, job
    return "", ""


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
    company, title = _work(data)
    if company == name:
        company = ""  # a company's own card is listed under the company's name already
    return Row(
        contact_id=contact.contact_id,
        name=name,
        initials=initials(name),
        thumb=thumbnail(data),
        email=_first(data, "emails"),
        phone=_first(data, "phoneNumbers"),
        favorite=contact.meta.get("favorite") is True,
        company=company,
        title=title,
        tags=[tags[t] for t in contact.tag_ids if t in tags],
    )
