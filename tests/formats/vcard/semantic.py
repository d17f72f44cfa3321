"""What "semantically equal" means for two vCards, as a test helper.

Two cards are equal when they hold the same properties, values and parameters, up to
their order, folding, the letter case of names (properties, parameters, groups, TYPE
words) and `PRODID`/`REV`. The cards are read with vobject's own line reader, not with
Rolodex's, so the comparison does not share the reader's mistakes.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from vobject.base import getLogicalLines, parseLine

from rolodex.formats.vcard.values import decode_param, split_raw, unescape

_IGNORED = {"PRODID", "REV", "BEGIN", "END"}
_STRUCTURED = {"N", "ADR", "ORG", "GENDER", "CLIENTPIDMAP"}
_LISTS = {"CATEGORIES", "NICKNAME"}
_CASELESS_PARAMS = {"TYPE", "ENCODING", "VALUE", "CHARSET"}

Normal = tuple[Any, ...]


def _value(name: str, params: dict[str, Any], raw: str) -> Any:
    if name in _STRUCTURED:
        return tuple(unescape(part) for part in split_raw(raw, ";"))
    if name in _LISTS:
        return tuple(unescape(part) for part in split_raw(raw, ","))
    if params.get("ENCODING") in (("b",), ("base64",)):
        return "".join(raw.split())
    return unescape(raw)


def properties(text: str) -> Counter[Normal]:
    """The properties of one vCard, normalised, as a multiset."""
    out: Counter[Normal] = Counter()
    for line, number in getLogicalLines(io.StringIO(text), allowQP=False):
        name, raw_params, raw, group = parseLine(line, number)
        name = name.upper()
        if name in _IGNORED:
            continue
        params: dict[str, Any] = {}
        for entry in raw_params:
            key = entry[0].upper()
            values = [decode_param(v) for v in entry[1:]]
            if key == "TYPE":
                values = [p.strip() for v in values for p in v.split(",")]
            if key in _CASELESS_PARAMS:
                values = [v.lower() for v in values]
            params.setdefault(key, []).extend(values)
        frozen = {k: tuple(sorted(v)) if k == "TYPE" else tuple(v) for k, v in params.items()}
        value = _value(name, frozen, raw)
        out[(group.lower() if group else None, name, tuple(sorted(frozen.items())), value)] += 1
    return out


def differences(left: str, right: str) -> dict[str, list[Normal]]:
    """What only `left` holds and what only `right` holds; empty lists when equal."""
    a, b = properties(left), properties(right)
    return {
        "only_left": sorted((a - b).elements(), key=repr),
        "only_right": sorted((b - a).elements(), key=repr),
    }


def assert_semantically_equal(left: str, right: str) -> None:
    diff = differences(left, right)
    assert diff == {"only_left": [], "only_right": []}, diff
