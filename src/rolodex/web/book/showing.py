"""Every field of a canonical contact as labelled text, for the contact page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rolodex.contacts.sort_names import display_label, structured_name

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True, slots=True)
class Entry:
    label: str
    text: str
    # How to link the value: "mailto:...", "tel:...", an http(s) URL, or "".
    href: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    entries: list[Entry]


def partial_date(value: Any) -> str:
    """A date with unknown parts: "12 March", "March 1990", "12 March 1990", "1990"."""
    if not isinstance(value, dict):
        return ""
    day, month, year = value.get("day"), value.get("month"), value.get("year")
    parts = []
    if day:
        parts.append(str(day))
    if isinstance(month, int) and 1 <= month <= 12:
        parts.append(MONTHS[month - 1])
    if year:
        parts.append(str(year))
    return " ".join(parts)


def _address(entry: dict[str, Any]) -> str:
    if entry.get("formatted"):
        return str(entry["formatted"])
    keys = ("street", "extendedAddress", "poBox", "city", "region", "postalCode", "country")
    return ", ".join(str(entry[k]) for k in keys if entry.get(k))


def _href(kind: str, value: str) -> str:
    if kind == "emails":
        return "mailto:" + value
    if kind == "phoneNumbers":
        return "tel:" + "".join(c for c in value if c.isdigit() or c == "+")
    if kind == "urls" and value.lower().startswith(("http://", "https://")):
        return value
    return ""


def _labelled(data: dict[str, Any], key: str, title: str) -> Section | None:
    entries = []
    for entry in data.get(key) or []:
        value = entry.get("value")
        if not value:
            continue
        label = entry.get("type") or ""
        if key == "urls" and entry.get("username"):
            value = f"{value} ({entry['username']})"
        entries.append(Entry(label, str(value), _href(key, str(entry.get("value")))))
    return Section(title, entries) if entries else None


def _organizations(data: dict[str, Any]) -> Section | None:
    entries = []
    for org in data.get("organizations") or []:
        head = ", ".join(str(org[k]) for k in ("title", "department") if org.get(k))
        text = " · ".join(x for x in (head, str(org.get("name") or "")) if x)
        more = [str(org[k]) for k in ("location", "description") if org.get(k)]
        span = " to ".join(
            x for x in (partial_date(org.get("startDate")), partial_date(org.get("endDate"))) if x
        )
        entries.append(Entry("", "; ".join(x for x in (text, *more, span) if x)))
    return Section("Work", entries) if entries else None


def sections(data: dict[str, Any]) -> list[Section]:
    found: list[Section | None] = []
    name = structured_name(data)
    if name and name != display_label(data):
        found.append(Section("Full name", [Entry("", name)]))
    found.append(_labelled(data, "emails", "Email"))
    found.append(_labelled(data, "phoneNumbers", "Phone"))
    addresses = [
        Entry(a.get("type") or "", _address(a)) for a in data.get("addresses") or [] if _address(a)
    ]
    found.append(Section("Address", addresses) if addresses else None)
    found.append(_organizations(data))
    found.append(_labelled(data, "urls", "Web"))
    found.append(_labelled(data, "ims", "IM"))
    found.append(_labelled(data, "relatedPeople", "Related people"))
    dates = [Entry(d.get("type") or "", partial_date(d)) for d in data.get("dates") or []]
    if data.get("birthday"):
        dates.insert(0, Entry("birthday", partial_date(data["birthday"])))
    found.append(Section("Dates", [d for d in dates if d.text]) if dates else None)
    found.append(_labelled(data, "items", "Other"))
    if data.get("notes"):
        found.append(Section("Notes", [Entry("", str(data["notes"]))]))
    return [s for s in found if s is not None and s.entries]
