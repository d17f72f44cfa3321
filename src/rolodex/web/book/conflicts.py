"""An edit conflict, field by field: what differs between the person's form and the saved
version, which side each field should take, and the merge of the two.

The edit form carries, per field, a digest of the version the person started from
(`base-<field>`). When a save meets a newer version, a field both sides changed, or only
the person changed, defaults to theirs-as-typed ("mine"); a field only the other side
changed defaults to "theirs", so accepting the defaults loses nobody's change. The
person can pick either side of every differing field (`pick-<field>`), and the merge is
saved against the version shown (its etag), so a third change meanwhile is a conflict
again rather than lost. The page names who made the saved version and when, from the
history (`HistoryService.latest_change`), and shows once each field both sides agree on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from rolodex import actors
from rolodex.history.model import Change
from rolodex.web.book.showing import Entry, partial_date, sections

# The fields a person edits, in the order the edit page shows them, with their titles.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("displayName", "Shown as"),
    ("phoneNumbers", "Phone numbers"),
    ("emails", "Emails"),
    ("organizations", "Work"),
    ("addresses", "Addresses"),
    ("birthday", "Birthday"),
    ("notes", "Notes"),
    ("urls", "Websites"),
    ("ims", "IM addresses"),
    ("relatedPeople", "Related people"),
    ("dates", "Dates"),
    ("items", "Custom fields"),
)
MINE = "mine"
THEIRS = "theirs"

# How a person reads each kind of writer that has a name of its own (rolodex.actors) ...
KIND_LABELS = {
    actors.APP_PASSWORD: "app password",
    actors.OAUTH_APP: "app",
    actors.API_KEY: "API key",
}
# ... and the writers whose name says nothing more than their kind.
NAMELESS = {
    actors.ADDRESS_BOOK: "Changed in the address book",
    actors.IMPORT: "Changed by an import",
    actors.MERGE: "Changed by a merge of duplicates",
    actors.CLI: "Changed from the command line",
    actors.SYSTEM: "Changed by Rolodex itself",
}


@dataclass(frozen=True, slots=True)
class FieldChoice:
    key: str
    title: str
    mine: list[Entry]
    theirs: list[Entry]
    pick: str


@dataclass(frozen=True, slots=True)
class SameField:
    key: str
    title: str
    value: list[Entry]


def changed_by(change: Change | None, etag: str) -> str:
    """Who made the saved version, as a person reads it: 'Changed by “iPhone” (app
    password)'; empty when the history does not hold the write that made `etag`."""
    if change is None or change.etag != etag:
        return ""
    kind = change.source.kind
    if kind in NAMELESS:
        return NAMELESS[kind]
    label = KIND_LABELS.get(kind, kind.replace("_", " "))
    if not change.source.name:
        return f"Changed by an unnamed {label}"
    return f"Changed by “{change.source.name}” ({label})"


def moment(ms: int) -> str:
    """A time a person reads: "7 December 2026 at 14:03 UTC"."""
    at = datetime.fromtimestamp(ms / 1000, UTC)
    return f"{at.day} {at:%B %Y} at {at:%H:%M} UTC"


def digest(value: Any) -> str:
    """A short, stable fingerprint of one field's value (absent and empty alike)."""
    if value in (None, "", [], {}):
        return ""
    raw = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(raw).hexdigest()[:16]


def base_digests(data: dict[str, Any]) -> dict[str, str]:
    """The per-field digests the edit form carries, of the version it was filled from."""
    return {key: digest(data.get(key)) for key, _ in FIELDS}


def _shown(key: str, data: dict[str, Any]) -> list[Entry]:
    """One field as the lines the contact page would show for it."""
    value = data.get(key)
    if value in (None, "", [], {}):
        return []
    if key == "name":
        parts = ("prefix", "givenName", "middleName", "familyName", "suffix")
        return [Entry("", " ".join(str(value[p]) for p in parts if value.get(p)))]
    if key == "displayName":
        return [Entry("", str(value))]
    if key == "birthday":
        return [Entry("", partial_date(value))]
    if key == "notes":
        return [Entry("", str(value))]
    found = [s.entries for s in sections({key: value})]
    return found[0] if found else []


def choices(
    mine: dict[str, Any], theirs: dict[str, Any], base: dict[str, str]
) -> list[FieldChoice]:
    """The fields that differ between the two versions, each with its default side.

    `base` holds the digests of the version the person started from; a field missing
    from it (an old form) counts as changed by the person.
    """
    out = []
    for key, title in FIELDS:
        ours, saved = mine.get(key), theirs.get(key)
        if digest(ours) == digest(saved):
            continue
        only_they_changed = key in base and digest(ours) == base[key]
        out.append(
            FieldChoice(
                key,
                title,
                _shown(key, mine),
                _shown(key, theirs),
                THEIRS if only_they_changed else MINE,
            )
        )
    return out


def same(mine: dict[str, Any], theirs: dict[str, Any]) -> list[SameField]:
    """The fields both versions hold alike (and not empty): shown once, nothing to choose."""
    return [
        SameField(key, title, _shown(key, mine))
        for key, title in FIELDS
        if mine.get(key) not in (None, "", [], {})
        and digest(mine.get(key)) == digest(theirs.get(key))
    ]


def merged(mine: dict[str, Any], theirs: dict[str, Any], picks: dict[str, str]) -> dict[str, Any]:
    """The contact data with each field from the side picked for it (mine when unpicked).

    Fields the form does not edit (photos) are the caller's to keep.
    """
    out: dict[str, Any] = {}
    for key, _ in FIELDS:
        source = theirs if picks.get(key) == THEIRS else mine
        value = source.get(key)
        if value not in (None, "", [], {}):
            out[key] = value
    return out
