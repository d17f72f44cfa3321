"""Text as search sees it: folded, tokenised, and gathered per field of a contact.

Both backends index exactly the tokens made here, and queries are tokenised the same
way, so matching is the same on SQLite and PostgreSQL: case-insensitive, accent-
insensitive ("jose" finds "José", folded in Python, which needs no `unaccent`), and
blind to punctuation (a token is a run of letters or a run of digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rolodex.contacts import phones

# The columns of a search document, one per kind of text. Every backend indexes these.
GIVEN, FAMILY, NAMES = "given", "family", "names"
EMAIL, PHONE = "email", "phone"
COMPANY, TITLE, ORG = "company", "title", "org"
CITY, COUNTRY, ADDRESS = "city", "country", "address"
NOTES = "notes"
COLUMNS: tuple[str, ...] = (
    GIVEN,
    FAMILY,
    NAMES,
    EMAIL,
    PHONE,
    COMPANY,
    TITLE,
    ORG,
    CITY,
    COUNTRY,
    ADDRESS,
    NOTES,
)
NAME_COLUMNS: tuple[str, ...] = (GIVEN, FAMILY, NAMES)
# Columns whose values recur across contacts (see _recurring_tokens).
_RECURRING = frozenset((GIVEN, FAMILY, NAMES, COMPANY, TITLE, ORG, CITY, COUNTRY))

# Longer tokens are cut: a query token is cut the same way, so it still matches.
MAX_TOKEN = 64
# Suffixes of a number's digits are indexed from this length: "0100" finds ...555-0100.
MIN_PHONE_SUFFIX = 4
_MAX_PHONE_DIGITS = 20

# A word is a run of letters or a run of digits: "huang056" is the two words "huang" and
# "056". Handles, usernames and email addresses end in numbers all the time; as one word
# each, every such ending made a term of its own in the index, and a prefix ("huan")
# then had to gather thousands of them (a million contacts made 10-20 thousand terms
# per four-letter prefix, each search paying for all of them). A query is cut the same
# way, so "huang056" is still found, as the phrase "huang 056".
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
# Letters that NFKD does not decompose but that people type without their mark.
_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th", "\u0131": "i"}
)


def fold(text: str) -> str:
    """Lower case without accents: `"Zoë Ørsted"` -> `"zoe orsted"`."""
    if text.isascii():
        return text.lower()  # the common case, and for ASCII casefold() is lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold().translate(_LETTERS)


def tokens(text: str) -> list[str]:
    """The folded words of `text`: runs of letters, runs of digits, punctuation dropped."""
    return [t[:MAX_TOKEN] for t in _TOKEN.findall(fold(text))]


# Names, companies, titles and places recur across contacts (the same given names,
# cities and job titles over and over), so their tokens are remembered: building search
# documents is most of the cost of a write and of an import. Emails, phones, streets and
# notes are nearly all distinct and would only push the recurring ones out. Short texts
# only, and a bounded number of them, so the memory stays at a few MB.
_CACHED_TEXT = 64


@lru_cache(maxsize=16_384)
def _known_tokens(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


def _recurring_tokens(text: str) -> list[str]:
    """`tokens(text)`, remembered for short texts."""
    if len(text) <= _CACHED_TEXT:
        return list(_known_tokens(text))
    return tokens(text)


def phone_tokens(raw: str, region: str | None = None) -> list[str]:
    """What a stored number is found by: its words, and every 4+ digit tail of each digit form.

    A tail is kept as a token of its own, so "the last 4 or more digits" is an exact
    token match (and a prefix match on a tail is a match anywhere in the number) with
    the database's ordinary word index: no trigram index is needed.
    """
    out = tokens(raw)
    for form in phones.digit_forms(raw, region):
        form = form[-_MAX_PHONE_DIGITS:]
        if len(form) < MIN_PHONE_SUFFIX:
            out.append(form)
            continue
        out.extend(form[i:] for i in range(len(form) - MIN_PHONE_SUFFIX + 1))
    return list(dict.fromkeys(out))


Document = dict[str, list[list[str]]]


def document(data: dict[str, Any], region: str | None = None) -> Document:  # noqa: C901  (road-search splits this)
    """A contact's search document: for each column, the tokens of each of its values."""
    doc: Document = {column: [] for column in COLUMNS}

    def add(column: str, value: Any) -> None:
        if isinstance(value, str):
            found = _recurring_tokens(value) if column in _RECURRING else tokens(value)
            if found:
                doc[column].append(found)

    name = _mapping(data.get("name"))
    display = data.get("displayName") if isinstance(data.get("displayName"), str) else None
    given, family = name.get("givenName"), name.get("familyName")
    if not given and not family and display:
        # DESIGN.md: a contact with only a display name is read as "given family".
        given, _, family = display.strip().partition(" ")
    add(GIVEN, given)
    add(FAMILY, family)
    for part in ("middleName", "prefix", "suffix"):
        add(NAMES, name.get(part))
    if display:
        add(NAMES, display)
    else:
        # So that a phrase ("john smith") finds the name even without a display name.
        parts = (name.get(p) for p in ("prefix", "givenName", "middleName", "familyName"))
        add(NAMES, " ".join(p for p in parts if isinstance(p, str)))
    for email in _mappings(data.get("emails")):
        add(EMAIL, email.get("value"))
    for number in _mappings(data.get("phoneNumbers")):
        value = number.get("value")
        if isinstance(value, str) and value.strip():
            doc[PHONE].append(phone_tokens(value, region))
    for org in _mappings(data.get("organizations")):
        add(COMPANY, org.get("name"))
        add(TITLE, org.get("title"))
        for part in ("department", "location", "description"):
            add(ORG, org.get(part))
    for address in _mappings(data.get("addresses")):
        add(CITY, address.get("city"))
        add(COUNTRY, address.get("country"))
        for part in ("street", "extendedAddress", "poBox", "region", "postalCode", "formatted"):
            add(ADDRESS, address.get(part))
    add(NOTES, data.get("notes"))
    return doc


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _mappings(value: Any) -> Iterable[dict[str, Any]]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, dict))
