"""Merging a group of one person's records into one `contactData` (pure: no store).

A merge must never lose what any of the records knew, yet must not repeat it: the list
fields are united, each entry compared in a normalised form (emails case-folded, phone
numbers as the digits the duplicate finder compares, addresses and other text folded:
lower case, accents and punctuation gone, digits kept). The first record wins where only
one value can stay (the name, the birthday): callers put the survivor first, and the
fullest name (the most parts filled in) is taken over the survivor's when it has more.
Notes are joined, each distinct text once, a blank line between; organisations are kept
once each; photos are all kept (the survivor's primary first). Metadata is combined the
same way: the survivor's value where it has one, a favourite if any record was, and the
tags are united.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from rolodex.duplicates.profile import phone_digits

_PUNCT = re.compile(r"[^\w]+")
_SPACES = re.compile(r"\s+")

Entry = dict[str, Any]
Key = Callable[[Entry], str]

NAME_PARTS = ("prefix", "givenName", "middleName", "familyName", "suffix")
ADDRESS_PARTS = (
    "street",
    "extendedAddress",
    "poBox",
    "city",
    "region",
    "postalCode",
    "country",
)


def folded(text: str) -> str:
    """Lower case, accents and punctuation gone, spaces collapsed; digits kept (house numbers)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _PUNCT.sub(" ", plain)).strip()


def _text(entry: Entry, key: str) -> str:
    value = entry.get(key)
    return value if isinstance(value, str) else ""


def _whole(entry: Entry) -> str:
    # An entry with nothing to compare on (an empty value) repeats only when identical.
    return "=" + orjson.dumps(entry, option=orjson.OPT_SORT_KEYS).decode()


def email_key(entry: Entry) -> str:
    value = _text(entry, "value").strip().casefold()
    return value or _whole(entry)


def phone_key(entry: Entry) -> str:
    value = _text(entry, "value")
    # A number too short for the digits rule (an extension) is compared as written.
    return phone_digits(value) or folded(value) or _whole(entry)


def address_key(entry: Entry) -> str:
    parts = " ".join(_text(entry, part) for part in ADDRESS_PARTS).strip()
    return folded(parts or _text(entry, "formatted")) or _whole(entry)


def value_key(entry: Entry) -> str:
    """URLs, IMs, related people, photos: the value folded."""
    return folded(_text(entry, "value")) or _whole(entry)


def date_key(entry: Entry) -> str:
    return f"{folded(_text(entry, 'type'))}|{entry.get('year')}|{entry.get('month')}|{entry.get('day')}"


def item_key(entry: Entry) -> str:
    key = f"{folded(_text(entry, 'type'))}|{folded(_text(entry, 'value'))}"
    return key if key != "|" else _whole(entry)


def organization_key(entry: Entry) -> str:
    texts = {k: folded(v) if isinstance(v, str) else v for k, v in entry.items()}
    return orjson.dumps(texts, option=orjson.OPT_SORT_KEYS).decode()


def photo_key(entry: Entry) -> str:
    return _text(entry, "value") or _whole(entry)


# Each list field and how its entries are compared.
LIST_KEYS: dict[str, Key] = {
    "emails": email_key,
    "phoneNumbers": phone_key,
    "addresses": address_key,
    "organizations": organization_key,
    "urls": value_key,
    "ims": value_key,
    "relatedPeople": value_key,
    "dates": date_key,
    "items": item_key,
    "photos": photo_key,
}


def united(lists: Sequence[Sequence[Any]], key: Key) -> list[Entry]:
    """The entries of every list in order, each normalised value once (the first kept)."""
    seen: set[str] = set()
    out: list[Entry] = []
    for entries in lists:
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            k = key(entry)
            if k not in seen:
                seen.add(k)
                out.append(entry)
    return out


def _filled(name: Any) -> int:
    if not isinstance(name, dict):
        return 0
    return sum(1 for part in NAME_PARTS if _text(name, part).strip())


def fullest_name(datas: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The name with the most parts filled in; the earliest on a tie (the survivor)."""
    best: dict[str, Any] | None = None
    for data in datas:
        name = data.get("name")
        if _filled(name) > _filled(best):
            best = name
    return best


def _display(datas: Sequence[dict[str, Any]]) -> str | None:
    # The longest formatted name: "Robert J. Smith" over "Bob".
    names = [d["displayName"] for d in datas if isinstance(d.get("displayName"), str)]
    names = [n for n in names if n.strip()]
    return max(names, key=len) if names else None


def joined_notes(datas: Sequence[dict[str, Any]]) -> str | None:
    notes = [d.get("notes") for d in datas]
    distinct = dict.fromkeys(n.strip() for n in notes if isinstance(n, str) and n.strip())
    return "\n\n".join(distinct) if distinct else None


def _first(datas: Sequence[dict[str, Any]], field: str) -> Any:
    return next((d[field] for d in datas if d.get(field) is not None), None)


def merge_data(datas: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One `contactData` from many, the survivor's first (the module docstring)."""
    merged: dict[str, Any] = {}
    name = fullest_name(datas)
    if name is not None:
        merged["name"] = name
    display = _display(datas)
    if display is not None:
        merged["displayName"] = display
    for field, key in LIST_KEYS.items():
        entries = united([d.get(field) or [] for d in datas], key)
        if entries:
            merged[field] = entries
    birthday = _first(datas, "birthday")
    if birthday is not None:
        merged["birthday"] = birthday
    notes = joined_notes(datas)
    if notes is not None:
        merged["notes"] = notes
    return merged


def merge_meta(metas: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The survivor's metadata, with what it lacks taken from the others (in order), and a
    favourite when any of them was."""
    merged: dict[str, Any] = {}
    for meta in metas:
        for key, value in meta.items():
            if merged.get(key) is None and value is not None:
                merged[key] = value
    if any(meta.get("favorite") is True for meta in metas):
        merged["favorite"] = True
    return merged


def merge_tags(tag_lists: Sequence[Sequence[str]]) -> list[str]:
    """Every tag of every record, once each."""
    return sorted({tag for tags in tag_lists for tag in tags})
