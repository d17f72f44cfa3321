"""Google Contacts' labels and groups <-> canonical types and tag names.

Google writes a value's label as a word people read (`Home`, `Work Fax`); the canonical
contact spells the same kinds as Contacts+ does (`home`, `workFax`). Known labels map
case-insensitively; any other label (a custom one, `Gym`) is kept as typed. Google's
groups (`Labels`, and `Group Membership` in the older export) are tags; the system
group every contact is in (`* myContacts`) is not a tag, and is written back on every
row; other system groups (`* starred`, `* Friends`...) are tags without the `* `.
"""

from __future__ import annotations

_KNOWN_TYPES = (
    "home",
    "work",
    "mobile",
    "other",
    "main",
    "homeFax",
    "workFax",
    "otherFax",
    "pager",
    "googleVoice",
    "assistant",
    "spouse",
    "child",
    "mother",
    "father",
    "parent",
    "brother",
    "sister",
    "friend",
    "relative",
    "manager",
    "partner",
    "referredBy",
    "domesticPartner",
    "anniversary",
    "blog",
    "profile",
    "homePage",
    "ftp",
)


def _words(camel: str) -> str:
    out = "".join(" " + ch if ch.isupper() else ch for ch in camel)
    return out[:1].upper() + out[1:]


_TYPE_OF_LABEL = {_words(t).casefold(): t for t in _KNOWN_TYPES}
_LABEL_OF_TYPE = {t.casefold(): _words(t) for t in _KNOWN_TYPES}

SEPARATOR = " ::: "
SYSTEM_MARK = "* "
ALL_CONTACTS = ("myContacts", "My Contacts")
STARRED = "starred"


def type_of_label(label: str) -> str | None:
    """A Google label as a canonical type: `Work Fax` -> `workFax`; `* Home` -> `home`.

    The older export marks a value's primary label with `* `; the canonical contact
    says "primary" by order, which the rows already have, so the mark is dropped.
    """
    label = label.strip().removeprefix(SYSTEM_MARK).strip()
    if not label:
        return None
    return _TYPE_OF_LABEL.get(label.casefold(), label)


def label_of_type(type_: object) -> str:
    """A canonical type as Google's label: `workFax` -> `Work Fax`; custom ones as they are."""
    if not isinstance(type_, str):
        return ""
    return _LABEL_OF_TYPE.get(type_.casefold(), type_)


def tags_of_labels(cell: str) -> list[str]:
    """`* myContacts ::: Friends ::: * starred` -> `["Friends", "starred"]`."""
    tags: list[str] = []
    for part in cell.split(":::"):
        name = part.strip()
        system = name.startswith("*")
        name = name.removeprefix("*").strip()
        if not name or (system and name in ALL_CONTACTS) or name in tags:
            continue
        tags.append(name)
    return tags


def labels_of_tags(tags: list[str]) -> str:
    """Tags as Google's `Labels` cell: `* myContacts` first, `starred` as the system group."""
    cells = [SYSTEM_MARK + ALL_CONTACTS[0]]
    for tag in tags:
        cells.append(SYSTEM_MARK + STARRED if tag == STARRED else tag)
    return SEPARATOR.join(cells)
