"""The export's vCard writer: the same text as `write_card`, without a `Property` per line.

`write_card` (write.py) builds each card as `Property` objects from a `_Writer` that
consults the kept value details of every value (from_contact.py); an export of a million
contacts spent most of its time there. Most cards have no value details (every contact
made through an API, and most imported ones), and for those this module writes the same
lines straight as text: the renderings of fields.py, values.py and labels.py, in
from_contact.py's order, with each `TYPE` parameter worked out once per type and not
once per value. The one value detail it writes is the commonest an import keeps, a list
entry's own `TYPE` list (`TEL;TYPE=mobile`: Rolodex's type for it is written otherwise);
a card with any other (PREF, parameters, groups, labels, raw text) or with photos goes
to `write_card`.
tests/formats/vcard/test_fast.py checks that both give the same bytes for any card.
"""

from __future__ import annotations

import re
from typing import Any

from rolodex.formats.card import Card
from rolodex.formats.vcard import fields
from rolodex.formats.vcard.extras import EXTRAS_KEY, value_key
from rolodex.formats.vcard.from_contact import _LIST_ORDER, PRODID
from rolodex.formats.vcard.labels import default_types, label_for
from rolodex.formats.vcard.read import Property
from rolodex.formats.vcard.shown_as import derived
from rolodex.formats.vcard.values import encode_param, escape, join_structured, render_date
from rolodex.formats.vcard.write import content_line, fold

_FOLD = 75
# `values.escape`'s question, asked inline: does a text need escaping at all?
_SPECIAL = re.compile(r"[\\,;\r\n]").search
# The same without `;`, for structured values whose parts are joined by `;`.
_SPECIAL_IN_PARTS = re.compile(r"[\\,\r\n]").search


def _line(text: str) -> str:
    """`fold`, with its common case (a short ASCII line) inline."""
    if len(text) <= _FOLD and text.isascii():
        return text + "\r\n"
    return fold(text)


def _structured(parts: list[str]) -> str:
    """`values.join_structured`: when no part holds a `;` or anything else to escape,
    the parts joined as they are."""
    joined = ";".join(parts)
    if joined.count(";") == len(parts) - 1 and not _SPECIAL_IN_PARTS(joined):
        return joined
    return join_structured(parts)


def _params(params: dict[str, list[str]]) -> str:
    """Parameters as `content_line` writes them, each after its `;`."""
    out = ""
    for key, values in params.items():
        out += f";{key}={','.join(encode_param(v) for v in values)}" if values else f";{key}"
    return out


# (field, value key) -> the TYPE lists kept for that value, used once each, in order.
_TypeLists = dict[tuple[str, str], list[list[str]]]
# The list fields whose entries `_text_entries` and `_typed` write (from_contact.py's
# `list_entry`), where a kept TYPE list replaces the writer's.
_TYPED_FIELDS = frozenset(
    ("emails", "phoneNumbers", "addresses", "urls", "ims", "relatedPeople", "dates", "items")
)
_TYPE_DETAIL = frozenset(("field", "key", "types"))


def _kept_properties(extras: dict[str, Any]) -> tuple[list[Any], set[str], _TypeLists] | None:
    """The kept whole properties, the groups they use and the kept TYPE lists, or None
    when the extras hold other value details (from_contact.py's `_Writer` then has work
    this writer does not do)."""
    kept = extras.get(EXTRAS_KEY) if extras else None
    if not isinstance(kept, dict):
        return [], set(), {}
    type_lists: _TypeLists = {}
    for detail in kept.get("values") or []:
        if not isinstance(detail, dict) or not _type_detail(detail):
            return None
        key = (detail["field"], detail["key"])
        type_lists.setdefault(key, []).append([str(t) for t in detail["types"]])
        # The field's mark: some value of it has a kept TYPE list (no key is empty).
        type_lists.setdefault((detail["field"], ""), [])
    properties = kept.get("properties") or []
    used = {str(p["group"]).lower() for p in properties if isinstance(p, dict) and p.get("group")}
    return properties, used, type_lists


def _display_name(data: dict[str, Any]) -> str | None:
    """The `FN`: `displayName`, or the one made from the name; None when it is made from
    the organisation or email (it then carries shown_as.py's mark, `write_card`'s work)."""
    display = data.get("displayName")
    if display:
        return str(display)
    text, source = derived(data)
    return text if source is None else None


def _type_detail(detail: dict[str, Any]) -> bool:
    """Whether a value detail says only a list entry's TYPE list."""
    return (
        detail.keys() == _TYPE_DETAIL
        and detail["field"] in _TYPED_FIELDS
        and isinstance(detail["key"], str)
        and isinstance(detail["types"], list)
    )


def _kept_line(prop: dict[str, Any]) -> str:
    """A property kept whole, as it came in (from_contact.py's `kept_properties`)."""
    params = prop.get("params")
    return fold(
        content_line(
            Property(
                str(prop.get("name")),
                str(prop.get("value", "")),
                params if isinstance(params, dict) else {},
                prop.get("group"),
            )
        )
    )


class FastWriter:
    """Cards of one vCard version as text; keeps what it worked out about each type."""

    def __init__(self, version: str = "4.0") -> None:
        if version not in ("3.0", "4.0"):
            raise ValueError(f"Rolodex writes vCard 3.0 and 4.0, not {version}")
        self.version = version
        self.head = f"BEGIN:VCARD\r\nVERSION:{version}\r\nPRODID:{PRODID}\r\n"
        # (field, type) -> the TYPE parameter as written, or None when a label says it.
        self._types: dict[tuple[str, Any], str | None] = {}
        self._entries = {"addresses": self._address}
        # The card being written's kept TYPE lists (`_kept_properties`).
        self._kept_types: _TypeLists = {}

    def write(self, card: Card, *, photos: bool = True) -> str:
        """`write_card(card, version, photos=photos)`, the same text."""
        text = self.text(card.contact_data, card.uid, card.tags, card.extras)
        if text is None or card.photos:
            from rolodex.formats.vcard.write import write_card

            return write_card(card, self.version, photos=photos)
        return text

    def text(
        self, data: dict[str, Any], uid: str | None, tags: list[str], extras: dict[str, Any]
    ) -> str | None:
        """The card of these parts (no photos embedded), or None when this writer does not
        cover it (`data` has photos, the extras hold value details, or the `FN` is derived
        from the organisation or email and so carries shown_as.py's mark)."""
        kept = _kept_properties(extras) if extras else _NOTHING_KEPT
        if kept is None or data.get("photos"):
            return None
        display = _display_name(data)
        if display is None:
            return None
        properties, used, self._kept_types = kept
        out = [self.head]
        append = out.append
        self._identity(data, uid, display, append)
        groups = _Groups(used)
        orgs = data.get("organizations")
        if orgs:
            self._organizations(orgs, groups, append)
        handlers = self._entries
        for field in _LIST_ORDER:
            entries = data.get(field)
            if entries:
                text_name = _TEXT_NAMES.get(field)
                if text_name is not None:
                    self._text_entries(field, text_name, entries, groups, append)
                    continue
                handler = handlers.get(field, self._entry)
                for entry in entries:
                    handler(field, entry, groups, append)
        self._rest(data, tags, append)
        for prop in properties:
            if isinstance(prop, dict):
                append(_kept_line(prop))
        append("END:VCARD\r\n")
        return "".join(out)

    def _identity(self, data: dict[str, Any], uid: str | None, display: str, append: Any) -> None:
        """UID, FN (always: `display`) and N (always in 3.0)."""
        if uid:
            append(_line("UID:" + (escape(uid) if _SPECIAL(uid) else uid)))
        append(_line("FN:" + (escape(display) if _SPECIAL(display) else display)))
        name = data.get("name")
        if name:
            get = name.get
            parts = [
                get("familyName") or "",
                get("givenName") or "",
                get("middleName") or "",
                get("prefix") or "",
                get("suffix") or "",
            ]
            append(_line("N:" + _structured(parts)))
        elif self.version == "3.0":
            append("N:;;;;\r\n")

    def _rest(self, data: dict[str, Any], tags: list[str], append: Any) -> None:
        """BDAY, NOTE and CATEGORIES, after the lists."""
        birthday = data.get("birthday")
        if birthday:
            date = render_date(birthday, self.version)
            if date is not None:
                append(_line("BDAY:" + date))
        notes = data.get("notes")
        if notes:
            append(_line("NOTE:" + (escape(notes) if _SPECIAL(notes) else notes)))
        if tags:
            append(_line("CATEGORIES:" + ",".join([escape(tag) for tag in tags])))

    @staticmethod
    def _organizations(orgs: list[dict[str, Any]], groups: _Groups, append: Any) -> None:
        many = len(orgs) > 1
        for org in orgs:
            # With more than one organisation, a group keeps each one's TITLE and ROLE
            # with its ORG (from_contact.py).
            prefix = groups.next() + "." if many else ""
            name, department = org.get("name") or "", org.get("department") or ""
            if department:
                append(_line(prefix + "ORG:" + _structured([name, department])))
            elif name:
                append(_line(prefix + "ORG:" + (escape(name) if _SPECIAL(name) else name)))
            title = org.get("title")
            if title:
                append(_line(prefix + "TITLE:" + escape(title)))
            description = org.get("description")
            if description:
                append(_line(prefix + "ROLE:" + escape(description)))

    def _text_entries(
        self,
        field: str,
        name: str,
        entries: list[dict[str, Any]],
        groups: _Groups,
        append: Any,
    ) -> None:
        """Emails or phones: `fields.render`'s EMAIL and TEL, which have no parameters but
        TYPE; the most common lines of all, so `_line` is inline here."""
        types_of = self._types
        for entry in entries:
            value = entry.get("value")
            if not isinstance(value, str) or not value.strip():
                continue
            text = escape(value) if _SPECIAL(value) else value
            key = (field, entry.get("type"))
            if self._kept_types:
                types = self._kept_type(field, entry)
                if types is not None:
                    line = name + types + ":" + text
                    append(_line(line))
                    continue
            types = types_of[key] if key in types_of else self._type_param(key)
            if types is None:
                self._labelled(entry, name, "", text, groups, append)
                continue
            line = name + types + ":" + text
            append(line + "\r\n" if len(line) <= _FOLD and line.isascii() else fold(line))

    def _address(self, field: str, entry: dict[str, Any], groups: _Groups, append: Any) -> None:
        """An address: `fields.render`'s ADR, with its formatted text as LABEL."""
        get = entry.get
        parts = [
            get("poBox") or "",
            get("extendedAddress") or "",
            get("street") or "",
            get("city") or "",
            get("region") or "",
            get("postalCode") or "",
            get("country") or "",
        ]
        formatted = get("formatted")
        text = _structured(parts)
        if text == ";;;;;;" and not formatted:
            return
        params = f";LABEL={encode_param(formatted)}" if formatted else ""
        self._typed(field, entry, "ADR", params, text, groups, append)

    def _entry(self, field: str, entry: dict[str, Any], groups: _Groups, append: Any) -> None:
        """Any other list entry, as `fields.render` renders it."""
        rendered = fields.render(field, entry, self.version)
        if rendered is not None:
            params = _params(rendered.params) if rendered.params else ""
            self._typed(field, entry, rendered.name, params, rendered.value, groups, append)

    def _typed(
        self,
        field: str,
        entry: dict[str, Any],
        name: str,
        params: str,
        text: str,
        groups: _Groups,
        append: Any,
    ) -> None:
        """The entry's line with its TYPE, or in a group with an X-ABLabel when only a
        label can say its type (from_contact.py's `list_entry`)."""
        key = (field, entry.get("type"))
        types = self._kept_type(field, entry) if self._kept_types else None
        if types is None:
            types = self._types[key] if key in self._types else self._type_param(key)
        if types is None:
            self._labelled(entry, name, params, text, groups, append)
        else:
            append(_line(name + types + params + ":" + text))

    def _kept_type(self, field: str, entry: dict[str, Any]) -> str | None:
        """The TYPE parameter of the entry's kept TYPE list (used up), or None if none."""
        if (field, "") not in self._kept_types:
            return None  # no value of this field has one: no digest to work out
        found = self._kept_types.get((field, value_key(entry)))
        if not found:
            return None
        types = found.pop(0)
        return _params({"TYPE": types}) if types else ""

    def _type_param(self, key: tuple[str, Any]) -> str | None:
        """The TYPE parameter as written for (field, type), or None when only a label can
        say the type; worked out once per writer."""
        words = default_types(key[0], key[1], self.version)
        types = None if words is None else (_params({"TYPE": words}) if words else "")
        self._types[key] = types
        return types

    @staticmethod
    def _labelled(
        entry: dict[str, Any], name: str, params: str, text: str, groups: _Groups, append: Any
    ) -> None:
        """An entry in a group of its own, its type said by the group's X-ABLabel."""
        group = groups.next()
        append(_line(f"{group}.{name}{params}:{text}"))
        type_ = entry.get("type")
        if type_:
            append(_line(f"{group}.X-ABLabel:{escape(str(label_for(type_)))}"))


_NOTHING_KEPT: tuple[list[Any], set[str], _TypeLists] = ([], set(), {})
# The list fields written as plain text values with no parameters but TYPE.
_TEXT_NAMES = {"emails": "EMAIL", "phoneNumbers": "TEL"}


class _Groups:
    """`item1`, `item2`... skipping the groups the card's kept properties already use
    (the numbers only grow, so a name given once is never given again)."""

    __slots__ = ("count", "used")

    def __init__(self, used: set[str]) -> None:
        self.used = used
        self.count = 0

    def next(self) -> str:
        while True:
            self.count += 1
            name = f"item{self.count}"
            if name not in self.used:
                return name
