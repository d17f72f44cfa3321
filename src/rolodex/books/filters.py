"""addressbook-query filters (RFC 6352 §10.5): the model, the exact test, the index's part.

A filter is tested exactly on a card's properties as written (`matches`), with the
`i;unicode-casemap` (RFC 5051, approximated by Unicode case folding after NFKD) and
`i;ascii-casemap` collations and the `equals`, `contains`, `starts-with`, `ends-with`
match types. `index_query` turns what the search index can answer into a query of the
search language (contacts/search/query.py) whose results hold every match, so a query
reads only the cards the index finds; it is None when the index cannot narrow the
filter (then the book is read card by card; docs/carddav.md lists which filters).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rolodex.formats.vcard import Property
from rolodex.formats.vcard.values import unescape

UNICODE = "i;unicode-casemap"
ASCII = "i;ascii-casemap"
OCTET = "i;octet"
COLLATIONS = (UNICODE, ASCII, OCTET)
MATCH_TYPES = ("equals", "contains", "starts-with", "ends-with")

# vCard property -> the search language's field holding its words.
INDEXED = {
    "FN": "name",
    "N": "name",
    "EMAIL": "email",
    "ORG": "company",
    "TITLE": "title",
    "NOTE": "notes",
}
# The search index's words: runs of letters or of digits (contacts/search/text.py).
_WORD = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True, slots=True)
class TextMatch:
    text: str
    collation: str = UNICODE
    match_type: str = "contains"
    negate: bool = False


@dataclass(frozen=True, slots=True)
class ParamFilter:
    name: str
    is_not_defined: bool = False
    text_match: TextMatch | None = None


@dataclass(frozen=True, slots=True)
class PropFilter:
    name: str
    any_of: bool = True
    is_not_defined: bool = False
    text_matches: tuple[TextMatch, ...] = ()
    param_filters: tuple[ParamFilter, ...] = ()


@dataclass(frozen=True, slots=True)
class CardFilter:
    """The whole filter; no prop-filter matches every card (RFC 6352 §10.5)."""

    any_of: bool = True
    prop_filters: tuple[PropFilter, ...] = field(default_factory=tuple)


def _fold(value: str, collation: str) -> str:
    if collation == OCTET:
        return value
    if collation == ASCII:
        return value.translate(_ASCII_LOWER)
    return unicodedata.normalize("NFKD", value).casefold()


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def text_matches(match: TextMatch, value: str) -> bool:
    needle = _fold(match.text, match.collation)
    hay = _fold(value, match.collation)
    found = {
        "equals": hay == needle,
        "starts-with": hay.startswith(needle),
        "ends-with": hay.endswith(needle),
    }.get(match.match_type, needle in hay)
    return found != match.negate


def _param_matches(pf: ParamFilter, prop: Property) -> bool:
    values = prop.params.get(pf.name.upper())
    if pf.is_not_defined:
        return values is None
    if values is None:
        return False
    if pf.text_match is None:
        return True
    return any(text_matches(pf.text_match, v) for v in values)


def _prop_matches(pf: PropFilter, props: list[Property]) -> bool:
    named = [p for p in props if p.name == pf.name.upper()]
    if pf.is_not_defined:
        return not named
    if not named:
        return False
    if not pf.text_matches and not pf.param_filters:
        return True
    results = [
        any(text_matches(match, unescape(p.value)) for p in named) for match in pf.text_matches
    ]
    results += [any(_param_matches(param, p) for p in named) for param in pf.param_filters]
    return any(results) if pf.any_of else all(results)


def matches(card_filter: CardFilter, props: list[Property]) -> bool:
    """Whether a card with these properties passes the filter."""
    if not card_filter.prop_filters:
        return True
    results = (_prop_matches(pf, props) for pf in card_filter.prop_filters)
    return any(results) if card_filter.any_of else all(results)


def _text_query(field_name: str, match: TextMatch) -> str | None:
    """The search terms every value passing `match` holds as word prefixes, or None.

    `equals` and `starts-with` begin at the value's first word, so each of the text's
    words starts a word of the value (the last may end early); `contains` is answered as
    the search box answers it, from the start of a word (docs/carddav.md).
    """
    if match.negate or match.match_type == "ends-with":
        return None
    words = _WORD.findall(match.text)
    if not words or len(words) > 16:
        return None
    return " ".join(f"{field_name}:{w}" for w in words)


def _combine(parts: list[str | None], any_of: bool) -> str | None:
    """anyof: every part must narrow (OR); allof: any part narrows (AND of those that do)."""
    if any_of and any(p is None for p in parts):
        return None
    found = [p for p in parts if p]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return (" OR " if any_of else " ").join(f"({p})" for p in found)


def _prop_query(pf: PropFilter) -> str | None:
    field_name = INDEXED.get(pf.name.upper())
    if field_name is None or pf.is_not_defined or pf.param_filters or not pf.text_matches:
        return None
    return _combine([_text_query(field_name, m) for m in pf.text_matches], pf.any_of)


def index_query(card_filter: CardFilter) -> str | None:
    """A search whose results include every card passing the filter, or None."""
    return _combine([_prop_query(pf) for pf in card_filter.prop_filters], card_filter.any_of)
