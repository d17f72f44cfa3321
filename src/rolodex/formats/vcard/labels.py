"""`TYPE` parameters and Apple labels <-> the canonical `type` of a value.

A canonical value has one `type` (`mobile`, `work`, `homeFax`, or any text a person
chose). vCard says the same with `TYPE` words (RFC 6350 §5.6, RFC 2426 §3.3, vCard 2.1
bare words) or, in Apple's and Google's exports, with a group and an `X-ABLabel`
(`item1.TEL` + `item1.X-ABLabel:_$!<Mobile>!$_`, or a label of the person's own).
`reduce_types` picks the one label a `TYPE` list means; `default_types` is what the
writer says for a type, or None when only a label can say it. The reader keeps the
original list (extras) whenever the writer would not give it back.
"""

from __future__ import annotations

import re

# The TYPE words each field treats as its label, per RFC 6350 §6.4 (TEL, EMAIL), §6.6.6
# (RELATED) and RFC 2426, plus the words real exporters use (Apple's IPHONE, MAIN).
_COMMON = frozenset({"home", "work", "other"})
WORDS: dict[str, frozenset[str]] = {
    "emails": _COMMON,
    "phoneNumbers": _COMMON
    | {
        "cell",
        "fax",
        "pager",
        "main",
        "text",
        "video",
        "textphone",
        "voice",
        "car",
        "isdn",
        "bbs",
        "modem",
        "msg",
        "pcs",
        "iphone",
    },
    "addresses": _COMMON,
    "urls": _COMMON,
    "ims": _COMMON | {"personal", "business"},
    "relatedPeople": frozenset(
        {
            "contact",
            "acquaintance",
            "friend",
            "met",
            "co-worker",
            "colleague",
            "co-resident",
            "neighbor",
            "child",
            "parent",
            "sibling",
            "spouse",
            "kin",
            "muse",
            "crush",
            "date",
            "sweetheart",
            "me",
            "agent",
            "emergency",
        }
    ),
}

# Words that say nothing about which kind of value it is (RFC 2426 email and address
# types); `pref` is the preference, kept apart.
_NOISE: dict[str, frozenset[str]] = {
    "emails": frozenset({"internet", "x400", "pref"}),
    "addresses": frozenset({"dom", "intl", "postal", "parcel", "pref"}),
}
_DEFAULT_NOISE = frozenset({"pref"})


def reduce_types(field: str, types: list[str]) -> str | None:
    """The canonical type a TYPE list means (`CELL` -> `mobile`, `WORK,FAX` -> `workFax`)."""
    noise = _NOISE.get(field, _DEFAULT_NOISE)
    words = [t.lower() for t in types if t.lower() not in noise]
    if field == "phoneNumbers" and len(words) > 1:
        words = [w for w in words if w != "voice"]
    if not words:
        return None
    if field == "phoneNumbers":
        present = set(words)
        if "fax" in present and "work" in present:
            return "workFax"
        if "fax" in present and "home" in present:
            return "homeFax"
        if "cell" in present:
            return "mobile"
    return words[0]


def default_types(field: str, type_: str | None, version: str) -> list[str] | None:
    """The TYPE words the writer gives a canonical type, or None when it needs a label."""
    if type_ is None or (field, type_) in (("items", "nickname"), ("dates", "anniversary")):
        # NICKNAME and ANNIVERSARY say their type by their name.
        return []
    if field == "phoneNumbers":
        special = {"mobile": ["cell"], "workFax": ["work", "fax"], "homeFax": ["home", "fax"]}
        if type_ in special:
            return special[type_]
    if field == "relatedPeople" and version == "3.0":
        return None
    if type_ != "cell" and type_ in WORDS.get(field, ()):
        return [type_]
    return None


# Apple's built-in labels, written `_$!<Mobile>!$_`; anything else is the person's own.
_APPLE = re.compile(r"^_\$!<(.*)>!\$_$")
_APPLE_TYPES = frozenset(
    {
        "mobile",
        "iPhone",
        "home",
        "work",
        "main",
        "homeFax",
        "workFax",
        "otherFax",
        "pager",
        "other",
        "homePage",
        "anniversary",
        "spouse",
        "child",
        "father",
        "mother",
        "parent",
        "brother",
        "sister",
        "friend",
        "partner",
        "assistant",
        "manager",
    }
)


def type_from_label(label: str) -> str:
    match = _APPLE.match(label)
    if not match:
        return label
    word = match.group(1).replace("FAX", "Fax")
    if word == "iPhone":
        return word
    return word[:1].lower() + word[1:]


def label_for(type_: str) -> str:
    """The X-ABLabel the writer gives a type: Apple's spelling for Apple's own labels."""
    if type_ not in _APPLE_TYPES:
        return type_
    word = "iPhone" if type_ == "iPhone" else type_[:1].upper() + type_[1:]
    return f"_$!<{word.replace('Fax', 'FAX')}>!$_"
