"""Hypothesis strategies for canonical contacts that each CSV dialect can hold.

What a dialect cannot hold (docs/import-export.md, "Google CSV" and "Outlook CSV") is
left out here, so a round trip must give back exactly what went in.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from rolodex.formats import outlook_columns as cols
from rolodex.formats.csv_values import NO_YEAR
from rolodex.formats.google_csv import FIXED_COLUMNS
from rolodex.formats.google_labels import type_of_label

# Letters, digits, punctuation CSV must quote (comma, quote, newline), and non-ASCII;
# no `:` (Google's ` ::: ` joins values) and no `;` (Outlook's category separator).
_CP1252 = list("abcXYZ019 ,.\"'\n-_@+()éßø€")
_ALPHABET = st.sampled_from([*_CP1252, "中", "🙂"])


def _clean(text: str) -> bool:
    return text == text.strip() and bool(text)


words = st.text(_ALPHABET, min_size=1, max_size=12).filter(_clean)
# Drawn from the code page's letters, not filtered out of `words` (too many discards).
cp1252_words = st.text(st.sampled_from(_CP1252), min_size=1, max_size=12).filter(_clean)


def emails_of(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text the canonical email rule takes: an `@` with text either side."""
    return st.builds(lambda a, b: f"{a}@{b}", text.filter(lambda t: "@" not in t), text)


def phones_of(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text the canonical phone rule takes: at least one digit."""
    return st.builds(lambda a, d: f"{a} {d}", text, st.integers(0, 999))


_KNOWN = ["home", "work", "mobile", "other", "main", "workFax", "homeFax", "pager", "spouse"]
custom_types = words.filter(lambda t: type_of_label(t) == t and "\n" not in t)
types = st.one_of(st.sampled_from(_KNOWN), custom_types)


def _labeled(value: st.SearchStrategy[str] = words) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({"value": value}, optional={"type": types})


def _parts(keys: list[str], text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({}, optional={k: text for k in keys}).filter(bool)


def _date(year: st.SearchStrategy[int]) -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries(
        {"month": st.integers(1, 12), "day": st.integers(1, 31)}, optional={"year": year}
    )


_NAME_KEYS = ["givenName", "middleName", "familyName", "prefix", "suffix"]
_ADDRESS_KEYS = [
    "street",
    "city",
    "region",
    "postalCode",
    "country",
    "extendedAddress",
    "poBox",
    "formatted",
]
_FIXED = {column.casefold() for column in FIXED_COLUMNS}
_google_item = st.fixed_dictionaries(
    {"type": words.filter(lambda t: t.casefold() not in _FIXED), "value": words}
)


@st.composite
def google_contacts(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """A canonical contact and tags that Google CSV holds in full."""
    lists = st.lists
    data = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "name": _parts(_NAME_KEYS, words),
                "displayName": words,
                "emails": lists(_labeled(emails_of(words)), min_size=1, max_size=6),
                "phoneNumbers": lists(_labeled(phones_of(words)), min_size=1, max_size=6),
                "addresses": lists(
                    st.builds(
                        lambda parts, t: {**parts, **({"type": t} if t else {})},
                        _parts(_ADDRESS_KEYS, words),
                        st.one_of(st.none(), types),
                    ),
                    min_size=1,
                    max_size=3,
                ),
                "organizations": lists(
                    _parts(["name", "title", "department"], words), min_size=1, max_size=3
                ),
                "urls": lists(_labeled(), min_size=1, max_size=3),
                "ims": lists(_labeled(), min_size=1, max_size=3),
                "relatedPeople": lists(_labeled(), min_size=1, max_size=3),
                "dates": lists(
                    st.builds(
                        lambda d, t: {
                            **d,
                            **({"type": t} if t else {}),
                        },
                        # NO_YEAR (1604) is how Google writes a date without one.
                        _date(st.integers(1, 9999).filter(lambda y: y != NO_YEAR)),
                        st.one_of(st.none(), types),
                    ),
                    min_size=1,
                    max_size=3,
                ),
                "birthday": _date(st.integers(1, 9999).filter(lambda y: y != NO_YEAR)),
                "notes": words,
                "items": lists(_google_item, min_size=1, max_size=6),
            },
        )
    )
    tag_names = words.filter(lambda t: not t.startswith("*") and "\n" not in t)
    tags = draw(st.lists(tag_names, unique=True, max_size=4))
    return data, tags


# -- Outlook ------------------------------------------------------------------------------

_PHONE_KINDS = [type_ for _, type_ in cols.PHONES]
_KEPT_COLUMNS = [
    "Account",
    "Billing Information",
    "Hobby",
    "Initials",
    "Keywords",
    "Mileage",
    "Profession",
    "User 1",
    "User 4",
    "E-mail Display Name",
]


@st.composite
def outlook_contacts(
    draw: st.DrawFn, text: st.SearchStrategy[str] = words
) -> tuple[dict[str, Any], list[str]]:
    """A canonical contact and tags that Outlook CSV holds in full."""
    data: dict[str, Any] = {}
    if draw(st.booleans()):
        data["name"] = draw(_parts(_NAME_KEYS, text))
    emails = draw(st.lists(emails_of(text), max_size=3))
    if emails:
        data["emails"] = [{"value": e} for e in emails]
    phones = _outlook_phones(draw, text)
    if phones:
        data["phoneNumbers"] = phones
    addresses = _outlook_addresses(draw, text)
    if addresses:
        data["addresses"] = addresses
    if draw(st.booleans()):
        data["organizations"] = [draw(_parts(["name", "department", "title", "location"], text))]
    data.update(_outlook_dates_and_people(draw, text))
    if draw(st.booleans()):
        data["urls"] = [{"value": draw(text)}]
    if draw(st.booleans()):
        data["notes"] = draw(text)
    kept = draw(st.lists(st.sampled_from(_KEPT_COLUMNS), unique=True, max_size=3))
    if kept:
        data["items"] = [{"type": column, "value": draw(text)} for column in kept]
    tags = draw(st.lists(text.filter(lambda t: "\n" not in t), unique=True, max_size=3))
    return data, tags


def _outlook_phones(draw: st.DrawFn, text: st.SearchStrategy[str]) -> list[dict[str, str]]:
    """At most as many phones of a kind as Outlook has columns for it, in any order."""
    phones = [
        {"type": type_, "value": draw(phones_of(text))}
        for _, type_ in cols.PHONES
        if draw(st.integers(0, 3)) == 0
    ]
    return draw(st.permutations(phones)) if phones else []


def _outlook_addresses(draw: st.DrawFn, text: st.SearchStrategy[str]) -> list[dict[str, str]]:
    """At most one address of each of Outlook's three kinds, in Outlook's order."""
    addresses = []
    for _, type_ in cols.ADDRESS_KINDS:
        if draw(st.booleans()):
            parts = draw(_parts(["city", "region", "postalCode", "country", "poBox"], text))
            lines = draw(st.lists(text.filter(lambda t: "\n" not in t), max_size=3))
            if lines:
                parts["street"] = "\n".join(lines)
            addresses.append({"type": type_, **parts})
    return addresses


def _outlook_dates_and_people(draw: st.DrawFn, text: st.SearchStrategy[str]) -> dict[str, Any]:
    """A birthday, an anniversary and one related person per Outlook column, each maybe."""
    data: dict[str, Any] = {}
    year = st.integers(1000, 9999).filter(lambda y: y != NO_YEAR)
    if draw(st.booleans()):
        data["birthday"] = draw(_date(year))
    if draw(st.booleans()):
        data["dates"] = [{"type": "anniversary", **draw(_date(year))}]
    related = [
        {"type": type_, "value": draw(text)}
        for type_ in cols.RELATIONS.values()
        if draw(st.booleans())
    ]
    if related:
        data["relatedPeople"] = related
    return data


def phone_order(phone: dict[str, str]) -> int:
    """Where Outlook reads a phone of this type (phones of one kind keep their order)."""
    return _PHONE_KINDS.index(phone["type"])
