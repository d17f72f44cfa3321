"""A `Card` -> its vCard 4.0 or 3.0 properties, in the order the writer puts them.

Each canonical value is written the writer's way (fields.py, labels.py) unless the
card's extras hold details for that exact value (extras.py): then its original property
name, TYPE list, parameters, group and label, and value text come back. `FN` is always
written (derived when the contact has no `displayName`), and `N` too in 3.0 (RFC 2426
§3.1.2 requires it). Whole kept properties go out last, as they came in.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

from rolodex.formats.card import Card
from rolodex.formats.vcard import fields
from rolodex.formats.vcard.extras import EXTRAS_KEY, DetailIndex
from rolodex.formats.vcard.labels import default_types, label_for
from rolodex.formats.vcard.read import Property
from rolodex.formats.vcard.shown_as import (
    COMPANY,
    DERIVED_PARAM,
    EMAIL,
    ORGANIZATION,
    SHOW_AS,
    derived,
    is_show_as_company,
)
from rolodex.formats.vcard.values import data_uri, escape, render_date

PRODID = "-//Rolodex//Rolodex vCard//EN"

# The order list fields are written in.
_LIST_ORDER = (
    "emails",
    "phoneNumbers",
    "addresses",
    "urls",
    "ims",
    "relatedPeople",
    "dates",
    "items",
    "photos",
)
# Property names a detail may not bring back into a version that does not have them.
_ONLY_IN_4 = {"ANNIVERSARY", "RELATED"}


class _Writer:
    def __init__(self, card: Card, version: str) -> None:
        self.card = card
        self.data = card.contact_data
        self.version = version
        kept = card.extras.get(EXTRAS_KEY)
        self.kept: dict[str, Any] = kept if isinstance(kept, dict) else {}
        self.details = DetailIndex(self.kept.get("values") or [])
        self.used_groups = self.details.groups() | {
            str(p["group"]).lower()
            for p in self.kept.get("properties") or []
            if isinstance(p, dict) and p.get("group")
        }
        self.next_group = 0

    def group(self) -> str:
        while True:
            self.next_group += 1
            name = f"item{self.next_group}"
            if name not in self.used_groups:
                self.used_groups.add(name)
                return name

    def plain(
        self,
        name: str,
        field: str,
        entry: object,
        value: str,
        prop: str | None = None,
        group: str | None = None,
    ) -> Property:
        detail = self.details.take(field, entry, prop)
        params = detail.get("params")
        return Property(
            name,
            str(detail.get("raw", value)),
            params if isinstance(params, dict) else {},
            detail.get("group", group),
        )

    def properties(self, *, photos: bool) -> Iterator[Property]:
        yield Property("VERSION", self.version)
        yield Property("PRODID", PRODID)
        if self.card.uid:
            yield Property("UID", escape(self.card.uid))
        yield from self.display_name()
        yield from self.name()
        yield from self.organizations()
        for field in _LIST_ORDER:
            yield from self.list_field(field, self.data.get(field) or [])
        yield from self.birthday_and_notes()
        if self.card.tags:
            yield Property("CATEGORIES", ",".join(escape(tag) for tag in self.card.tags))
        if photos:
            for photo in self.card.photos:
                yield self.photo(photo.data, photo.content_type)
        yield from self.kept_properties()

    def display_name(self) -> Iterator[Property]:
        """`FN`, marked when derived from the organisation or email (shown_as.py)."""
        display = self.data.get("displayName")
        if display:
            yield self.plain("FN", "displayName", display, escape(display))
            return
        text, source = derived(self.data)
        if source == EMAIL and text.strip():
            yield Property("FN", escape(text), {DERIVED_PARAM: [EMAIL]})
            return
        yield Property("FN", escape(text))
        kept = self.kept.get("properties") or []
        marked = any(isinstance(k, dict) and is_show_as_company(k) for k in kept)
        if source == ORGANIZATION and text.strip() and not marked:
            yield Property(SHOW_AS, COMPANY)

    def name(self) -> Iterator[Property]:
        name = self.data.get("name")
        if name:
            yield self.plain("N", "name", name, fields.render_name(name))
        elif self.version == "3.0":
            yield Property("N", ";;;;")

    def organizations(self) -> Iterator[Property]:
        orgs = self.data.get("organizations") or []
        for org in orgs:
            # With more than one organisation, a group keeps each one's TITLE and ROLE
            # with its ORG (the reader pairs ungrouped ones by their order).
            group = self.group() if len(orgs) > 1 else None
            value = fields.render_org(org)
            if value is not None:
                yield self.plain("ORG", "organizations", org, value, "ORG", group)
            if org.get("title"):
                text = escape(org["title"])
                yield self.plain("TITLE", "organizations", org, text, "TITLE", group)
            if org.get("description"):
                text = escape(org["description"])
                yield self.plain("ROLE", "organizations", org, text, "ROLE", group)

    def birthday_and_notes(self) -> Iterator[Property]:
        birthday = self.data.get("birthday")
        if birthday:
            date = render_date(birthday, self.version)
            if date is not None:
                yield self.plain("BDAY", "birthday", birthday, date)
        notes = self.data.get("notes")
        if notes:
            yield self.plain("NOTE", "notes", notes, escape(notes))

    def kept_properties(self) -> Iterator[Property]:
        """The properties kept whole when the card was read, as they came in."""
        for kept in self.kept.get("properties") or []:
            if isinstance(kept, dict):
                params = kept.get("params")
                yield Property(
                    str(kept.get("name")),
                    str(kept.get("value", "")),
                    params if isinstance(params, dict) else {},
                    kept.get("group"),
                )

    def photo(self, data: bytes, content_type: str | None) -> Property:
        if self.version == "4.0":
            return Property("PHOTO", data_uri(data, content_type))
        params: dict[str, list[str]] = {"ENCODING": ["b"]}
        if content_type and content_type.startswith("image/"):
            params["TYPE"] = [content_type[6:].upper()]
        return Property("PHOTO", base64.b64encode(data).decode("ascii"), params)

    def list_field(self, field: str, entries: list[dict[str, Any]]) -> Iterator[Property]:
        details = [self.details.take(field, entry) for entry in entries]
        keep_prefs = _prefs_still_first(details)
        for entry, detail in zip(entries, details, strict=True):
            rendered = fields.render(field, entry, self.version)
            if rendered is not None:
                yield from self.list_entry(field, entry, detail, rendered, keep_prefs=keep_prefs)

    def list_entry(
        self,
        field: str,
        entry: dict[str, Any],
        detail: dict[str, Any],
        rendered: fields.Rendered,
        *,
        keep_prefs: bool,
    ) -> Iterator[Property]:
        """One list entry's property, and the X-ABLabel of its group when it needs one."""
        type_ = entry.get("type")
        name = str(detail.get("name", rendered.name))
        if name in _ONLY_IN_4 and self.version != "4.0":
            name = rendered.name
        params = detail.get("params", rendered.params)
        params = dict(params) if isinstance(params, dict) else {}
        types, label_needed = self.list_types(field, type_, detail)
        pref = detail.get("pref") if keep_prefs else None
        if pref and self.version == "4.0":
            params["PREF"] = [str(pref)]
        elif pref:
            types.append("pref")
        if types:
            params = {"TYPE": types, **params}
        group = detail.get("group")
        if label_needed and not group:
            group = self.group()
        yield Property(name, str(detail.get("raw", rendered.value)), params, group)
        if group and not detail.get("nolabel"):
            label = detail.get("label", label_for(type_) if type_ else None)
            if label is not None:
                yield Property("X-ABLabel", escape(str(label)), {}, group)

    def list_types(self, field: str, type_: Any, detail: dict[str, Any]) -> tuple[list[str], bool]:
        """The TYPE list for an entry, and whether only an X-ABLabel can say its type."""
        types = detail.get("types")
        if isinstance(types, list):
            return list(types), False
        types = default_types(field, type_, self.version)
        if types is None:
            return [], True
        return list(types), False


def _prefs_still_first(details: list[dict[str, Any]]) -> bool:
    """Whether kept PREFs are written: only while the preferred values still come first,
    in their order (a value moved down through another API is no longer preferred)."""
    prefs = [d.get("pref") for d in details]
    count = sum(1 for p in prefs if p)
    return all(prefs[:count]) and prefs[:count] == sorted(prefs[:count])  # type: ignore[type-var]


def card_properties(card: Card, version: str = "4.0", *, photos: bool = True) -> list[Property]:
    if version not in ("3.0", "4.0"):
        raise ValueError(f"Rolodex writes vCard 3.0 and 4.0, not {version}")
    return list(_Writer(card, version).properties(photos=photos))
