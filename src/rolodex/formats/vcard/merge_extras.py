"""The kept extras of a merged contact: the survivor's, then what the others add.

A merge (rolodex.duplicates) unites the contacts' fields; what their cards held that
has no field (extras.py: whole `properties` and value `values` details) is united here,
so an export or a CardDAV GET of the merged contact still shows every one of them:

- a property comes once, compared as the writer writes its content line; properties
  of one group (Apple's `item1.X-ABRELATEDNAMES` with its `item1.X-ABLABEL`) are
  compared as the whole group, and a carried group whose name the survivor already
  uses is given a free `itemN` (the writer would otherwise join two groups into one);
- a value's details go with their value: they are carried when that value (same field,
  same canonical entry) is in the merged data and came from this contact, not from one
  before it (whose own details then apply).

Pure: the caller reads and writes the rows (rolodex.transfer.extras).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rolodex.formats.vcard.extras import EXTRAS_KEY, entries, present_keys, value_key
from rolodex.formats.vcard.read import Property
from rolodex.formats.vcard.write import content_line

Extras = dict[str, Any]


def _line(prop: dict[str, Any]) -> str:
    params = prop.get("params")
    return content_line(
        Property(
            str(prop.get("name")),
            str(prop.get("value", "")),
            params if isinstance(params, dict) else {},
        )
    )


def _group(item: dict[str, Any]) -> str | None:
    group = item.get("group")
    return str(group).lower() if group else None


class _Union:
    def __init__(self) -> None:
        self.properties: list[dict[str, Any]] = []
        self.values: list[dict[str, Any]] = []
        self.lines: set[str] = set()
        self.group_lines: set[tuple[str, ...]] = set()
        self.groups: set[str] = set()
        self.next_group = 0

    def fresh(self, taken: set[str]) -> str:
        while True:
            self.next_group += 1
            name = f"item{self.next_group}"
            if name not in self.groups and name not in taken:
                return name

    def add(self, props: list[dict[str, Any]], details: list[dict[str, Any]]) -> None:
        """One contact's properties and the details it brings (the survivor's: all)."""
        # Repeats are of an earlier contact's: a card's own two equal lines both stay.
        grouped: dict[str, list[dict[str, Any]]] = {}
        lines: set[str] = set()
        for prop in props:
            group = _group(prop)
            if group is None:
                line = _line(prop)
                if line not in self.lines:
                    lines.add(line)
                    self.properties.append(prop)
            else:
                grouped.setdefault(group, []).append(prop)
        self.lines |= lines
        of_details = {g for g in map(_group, details) if g}
        mine = set(grouped) | of_details
        renamed: dict[str, str] = {}
        for group in sorted(mine):
            if group in self.groups:
                renamed[group] = self.fresh(mine)
        sets: set[tuple[str, ...]] = set()
        for group, members in grouped.items():
            whole = tuple(sorted(_line(p) for p in members))
            if whole in self.group_lines and group not in of_details:
                continue
            sets.add(whole)
            name = renamed.get(group)
            self.properties += [p if name is None else {**p, "group": name} for p in members]
        for detail in details:
            group = _group(detail)
            name = renamed.get(group) if group else None
            self.values.append(detail if name is None else {**detail, "group": name})
        self.group_lines |= sets
        self.groups |= {renamed.get(g, g) for g in mine}


def _section(extras: Extras | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    kept = (extras or {}).get(EXTRAS_KEY)
    if not isinstance(kept, dict):
        return [], []
    props = [p for p in kept.get("properties") or [] if isinstance(p, dict)]
    details = [d for d in kept.get("values") or [] if isinstance(d, dict)]
    return props, details


def merged_extras(
    extras: Sequence[Extras | None], datas: Sequence[dict[str, Any]], merged: dict[str, Any]
) -> Extras:
    """The survivor's extras (first) with every other contact's added, without repeats.

    `extras[i]` and `datas[i]` are one contact's kept extras (None: it has no card row)
    and `contactData`, the survivor's first; `merged` is the merged `contactData`.
    """
    out: Extras = dict(extras[0] or {}) if extras else {}
    for other in extras[1:]:
        for key, value in (other or {}).items():
            if key != EXTRAS_KEY:
                out.setdefault(key, value)  # another format's section: the first kept
    present = present_keys(merged)
    seen: set[tuple[str, str]] = set()
    union = _Union()
    for index, (kept, data) in enumerate(zip(extras, datas, strict=True)):
        props, details = _section(kept)
        if index:
            details = [
                d
                for d in details
                if (d.get("field"), d.get("key")) in present
                and (d.get("field"), d.get("key")) not in seen
            ]
        union.add(props, details)
        seen |= {(field, value_key(value)) for field, value in entries(data)}
    section = dict(out.get(EXTRAS_KEY) or {})
    section.pop("properties", None)
    section.pop("values", None)
    if union.properties:
        section["properties"] = union.properties
    if union.values:
        section["values"] = union.values
    if section:
        out[EXTRAS_KEY] = section
    else:
        out.pop(EXTRAS_KEY, None)
    return out
