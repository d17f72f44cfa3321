"""An addressbook-query's `<C:filter>` and `<C:limit>` read into `books.filters`.

RFC 6352 §10.5: `test` is `anyof` (the default) or `allof`; a text-match names its
collation (`i;unicode-casemap` by default, `i;ascii-casemap`, `i;octet`) and match type
(`contains` by default). An unknown collation is the `supported-collation` precondition
(RFC 6352 §8.3), here a 400 naming it.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from rolodex.api.carddav.xml import CARDDAV, DAV, BadXml, tag
from rolodex.books.filters import (
    COLLATIONS,
    MATCH_TYPES,
    UNICODE,
    CardFilter,
    ParamFilter,
    PropFilter,
    TextMatch,
)

MAX_PROP_FILTERS = 32


def _any_of(element: Element) -> bool:
    test = element.get("test", "anyof").strip().lower()
    if test not in ("anyof", "allof"):
        raise BadXml(f"test is anyof or allof, not {test!r}")
    return test == "anyof"


def _text_match(element: Element) -> TextMatch:
    collation = element.get("collation", UNICODE).strip()
    if collation not in COLLATIONS:
        raise BadXml(f"unsupported collation {collation!r} (supported-collation)")
    match_type = element.get("match-type", "contains").strip()
    if match_type not in MATCH_TYPES:
        raise BadXml(f"unknown match-type {match_type!r}")
    negate = element.get("negate-condition", "no").strip().lower() == "yes"
    return TextMatch(element.text or "", collation, match_type, negate)


def _param_filter(element: Element) -> ParamFilter:
    name = element.get("name", "").strip()
    if not name:
        raise BadXml("a param-filter names its parameter")
    match = element.find(tag(CARDDAV, "text-match"))
    defined = element.find(tag(CARDDAV, "is-not-defined")) is not None
    return ParamFilter(name, defined, _text_match(match) if match is not None else None)


def _prop_filter(element: Element) -> PropFilter:
    name = element.get("name", "").strip()
    if not name:
        raise BadXml("a prop-filter names its property")
    return PropFilter(
        name=name.split(".")[-1].upper(),
        any_of=_any_of(element),
        is_not_defined=element.find(tag(CARDDAV, "is-not-defined")) is not None,
        text_matches=tuple(_text_match(m) for m in element.findall(tag(CARDDAV, "text-match"))),
        param_filters=tuple(
            _param_filter(p) for p in element.findall(tag(CARDDAV, "param-filter"))
        ),
    )


def card_filter_of(element: Element | None) -> CardFilter:
    if element is None:
        raise BadXml("an addressbook-query holds a C:filter")
    found = element.findall(tag(CARDDAV, "prop-filter"))
    if len(found) > MAX_PROP_FILTERS:
        raise BadXml(f"at most {MAX_PROP_FILTERS} prop-filters")
    return CardFilter(_any_of(element), tuple(_prop_filter(p) for p in found))


def limit_of(root: Element) -> int | None:
    """The client's `<C:limit><C:nresults>` (or DAV's), or None."""
    for namespace in (CARDDAV, DAV):
        found = root.find(f"{tag(namespace, 'limit')}/{tag(namespace, 'nresults')}")
        if found is not None:
            value = (found.text or "").strip()
            if not value.isascii() or not value.isdigit():
                raise BadXml("nresults is a whole number")
            return int(value)
    return None
