"""A card's properties -> a `Card`: the canonical contact, tags, UID, photos and extras.

The table in docs/import-export.md ("vCard") says what goes where. For each value the
reader also notes what the writer would not give back by itself (extras.py): a value
then comes back out of Rolodex as it came in, as long as nobody changed it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rolodex.contacts.mapping_common import compose_name
from rolodex.formats.card import Card, CardProblem, Photo
from rolodex.formats.vcard import fields
from rolodex.formats.vcard.extras import EXTRAS_KEY, value_key
from rolodex.formats.vcard.labels import default_types, label_for, reduce_types, type_from_label
from rolodex.formats.vcard.lines import RawCard
from rolodex.formats.vcard.read import Property, PropertyError, parse_property
from rolodex.formats.vcard.shown_as import ORGANIZATION, derived_mark, is_show_as_company
from rolodex.formats.vcard.values import (
    decode_base64,
    decode_data_uri,
    escape,
    parse_date,
    render_date,
    split_list,
    unescape,
)

VERSIONS = ("2.1", "3.0", "4.0")
_DROPPED = {"BEGIN", "END", "VERSION", "PRODID", "REV"}
_ORG_PROPS = ("ORG", "TITLE", "ROLE")
_NO_PREF = 1_000


def card_from_lines(raw: RawCard) -> Card | CardProblem:
    props: list[Property] = []
    for number, text in raw.lines:
        try:
            props.append(parse_property(text, number))
        except PropertyError as exc:
            return CardProblem(raw.line, str(exc))
    version = next((unescape(p.value).strip() for p in props if p.name == "VERSION"), "3.0")
    if version not in VERSIONS:
        return CardProblem(raw.line, f"vCard version {version[:20]!r} is not one Rolodex reads")
    return _CardReader(props, raw.line, "4.0" if version == "4.0" else "3.0").read()


class _CardReader:
    def __init__(self, props: list[Property], line: int, version: str) -> None:
        self.props = props
        self.line = line
        # 2.1 is compared with what the 3.0 writer makes: Rolodex does not write 2.1.
        self.version = version
        self.data: dict[str, Any] = {}
        self.card = Card(contact_data=self.data, line=line)
        self.kept: list[dict[str, Any]] = []
        # (field, entry, prop, detail, pref), keyed at the end when the entries are final.
        self.details: list[tuple[str, object, str | None, dict[str, Any], int]] = []
        self.labels = {
            p.group.lower(): p for p in props if p.name == "X-ABLABEL" and p.group is not None
        }
        self.used_labels: set[str] = set()
        self.orgs: dict[str, list[tuple[Property, dict[str, str] | str]]] = {
            name: [] for name in _ORG_PROPS
        }

    def read(self) -> Card:
        for prop in self.props:
            skip = prop.name in _DROPPED or prop.name == "X-ABLABEL"
            if not skip and not self._map(prop):
                self._keep(prop)
        for prop in self.props:
            if prop.name == "X-ABLABEL" and str(prop.group).lower() not in self.used_labels:
                self._keep(prop)
        self._organizations()
        self._finish_lists()
        self._finish_display_name()
        values = [
            {"field": field, "key": value_key(entry), **({"prop": prop} if prop else {}), **detail}
            for field, entry, prop, detail, _ in self.details
            if detail
        ]
        section: dict[str, Any] = {}
        if self.kept:
            section["properties"] = self.kept
        if values:
            section["values"] = values
        if section:
            self.card.extras[EXTRAS_KEY] = section
        return self.card

    def _keep(self, prop: Property) -> None:
        self.kept.append(
            {
                "group": prop.group,
                "name": prop.original_name,
                "params": prop.params,
                "value": prop.value,
            }
        )

    def _plain_detail(self, prop: Property, expected_raw: str | None) -> dict[str, Any]:
        detail: dict[str, Any] = {}
        if prop.params:
            detail["params"] = prop.params
        if prop.group:
            detail["group"] = prop.group
        if expected_raw is None or prop.value != expected_raw:
            detail["raw"] = prop.value
        return detail

    def _map(self, prop: Property) -> bool:
        """Map `prop` to its canonical home; False when it has none (then it is kept)."""
        mapper = _MAPPERS.get(prop.name)
        return mapper is not None and mapper(self, prop)

    def _uid(self, prop: Property) -> bool:
        if self.card.uid is not None:
            return False
        self.card.uid = unescape(prop.value).strip() or None
        return self.card.uid is not None

    def _display_name(self, prop: Property) -> bool:
        if "displayName" in self.data:
            return False
        text = unescape(prop.value)
        if not text.strip():
            # An empty FN is what the writer makes for a contact with no name at all.
            return not prop.params
        self.data["displayName"] = text
        self._detail("displayName", text, None, self._plain_detail(prop, escape(text)))
        return True

    def _name(self, prop: Property) -> bool:
        if "name" in self.data:
            return False
        parsed = fields.decode_name(prop)
        if parsed:
            self.data["name"] = parsed
            raw = fields.render_name(parsed)
            self._detail("name", parsed, None, self._plain_detail(prop, raw))
        return bool(parsed) or not prop.params

    def _notes(self, prop: Property) -> bool:
        if "notes" in self.data:
            return False
        text = unescape(prop.value)
        if not text:
            return not prop.params
        self.data["notes"] = text
        self._detail("notes", text, None, self._plain_detail(prop, escape(text)))
        return True

    def _birthday(self, prop: Property) -> bool:
        if "birthday" in self.data:
            return False
        date = parse_date(prop.value, prop.param("X-APPLE-OMIT-YEAR"))
        if date is None or (prop.param("VALUE") or "").lower() == "text":
            return False
        self.data["birthday"] = date
        expected = render_date(date, self.version)
        self._detail("birthday", date, None, self._plain_detail(prop, expected))
        return True

    def _categories(self, prop: Property) -> bool:
        for tag in split_list(prop.value):
            if tag not in self.card.tags:
                self.card.tags.append(tag)
        return True

    def _organization_part(self, prop: Property) -> bool:
        """ORG, TITLE or ROLE, paired up into organizations once all are read."""
        value: dict[str, str] | str = (
            fields.decode_org(prop) if prop.name == "ORG" else unescape(prop.value)
        )
        if not value:
            return False
        self.orgs[prop.name].append((prop, value))
        return True

    def _detail(self, field: str, entry: object, prop: str | None, detail: dict[str, Any]) -> None:
        self.details.append((field, entry, prop, detail, _NO_PREF))

    def _photo(self, prop: Property) -> bool:
        encoding = (prop.param("ENCODING") or "").upper()
        if encoding in ("B", "BASE64"):
            data = decode_base64(prop.value)
            if data is None:
                return False
            self.card.photos.append(Photo(data, _media_type(prop.types)))
            return True
        value = unescape(prop.value).strip()
        if value.lower().startswith("data:"):
            decoded = decode_data_uri(value)
            if decoded is None:
                return False
            self.card.photos.append(Photo(*decoded))
            return True
        if not value:
            return False
        entry = {"value": value}
        self.data.setdefault("photos", []).append(entry)
        expected = fields.render("photos", entry, self.version)
        detail: dict[str, Any] = {}
        if expected is None or prop.params != expected.params:
            detail["params"] = prop.params
        if prop.group:
            detail["group"] = prop.group
        if expected is None or prop.value != expected.value:
            detail["raw"] = prop.value
        self._detail("photos", entry, None, detail)
        return True

    def _list_value(self, prop: Property) -> bool:
        decoded = fields.decode(prop)
        if decoded is None:
            return False
        field, entry = decoded
        label = self.labels.get(prop.group.lower()) if prop.group else None
        types = [t for t in prop.types if t.lower() != "pref"]
        pref = _pref(prop)
        type_ = self._list_type(prop, field, types, label)
        if type_:
            entry["type"] = type_
        expected = fields.render(field, entry, self.version)
        if expected is None:
            return False
        detail: dict[str, Any] = {}
        if prop.name != expected.name:
            detail["name"] = prop.name
        params = {k: v for k, v in prop.params.items() if k not in ("TYPE", "PREF")}
        if params != expected.params:
            detail["params"] = params
        wanted = default_types(field, type_, self.version) or []
        if sorted(t.lower() for t in wanted) != sorted(t.lower() for t in types):
            detail["types"] = types
        if pref != _NO_PREF:
            detail["pref"] = pref
        detail.update(_group_detail(prop, label, type_))
        if prop.value != expected.value:
            detail["raw"] = prop.value
        self.data.setdefault(field, []).append(entry)
        self.details.append((field, entry, None, detail, pref))
        return True

    def _list_type(
        self, prop: Property, field: str, types: list[str], label: Property | None
    ) -> str | None:
        """The entry's type: from its group's X-ABLabel, its property name, or its TYPEs."""
        if label is not None:
            self.used_labels.add(str(prop.group).lower())
            return type_from_label(unescape(label.value)) or None
        if prop.name in ("ANNIVERSARY", "X-ANNIVERSARY"):
            return fields.ANNIVERSARY
        if prop.name == "NICKNAME":
            return fields.NICKNAME
        if prop.name in ("X-ABDATE", "X-ROLODEX-ITEM"):
            return None
        return reduce_types(field, types)

    def _organizations(self) -> None:
        """ORG, TITLE and ROLE -> organizations: grouped ones by their group, the others
        in order (the first TITLE with the first ORG)."""
        slots: dict[tuple[str | None, str], dict[str, Any]] = {}
        placed: list[tuple[str, Property, dict[str, Any]]] = []
        for name, found in self.orgs.items():
            for index, (prop, value) in enumerate((p, v) for p, v in found if p.group is None):
                slot = slots.setdefault((None, str(index)), {})
                self._fill(slot, name, value)
                placed.append((name, prop, slot))
            seen: dict[str, int] = {}
            for prop, value in found:
                if prop.group is not None:
                    # The n-th ORG of a group goes with the n-th TITLE of that group.
                    group = prop.group.lower()
                    seen[group] = seen.get(group, -1) + 1
                    slot = slots.setdefault((group, str(seen[group])), {})
                    self._fill(slot, name, value)
                    placed.append((name, prop, slot))
        if not slots:
            return
        first_line: dict[int, int] = {}
        for _, prop, slot in placed:
            first_line[id(slot)] = min(first_line.get(id(slot), prop.line), prop.line)
        ordered = sorted(slots.values(), key=lambda slot: first_line[id(slot)])
        self.data["organizations"] = ordered
        for name, prop, slot in placed:
            value = slot if name == "ORG" else slot["title" if name == "TITLE" else "description"]
            raw = fields.render_org(value) if isinstance(value, dict) else escape(value)
            self._detail("organizations", slot, name, self._plain_detail(prop, raw))

    @staticmethod
    def _fill(slot: dict[str, Any], name: str, value: dict[str, str] | str) -> None:
        if isinstance(value, dict):
            slot.update(value)
        else:
            slot["title" if name == "TITLE" else "description"] = value

    def _finish_lists(self) -> None:
        """Preferred values first (RFC 6350 §5.3: PREF=1 is the most preferred)."""
        for field in set(fields.LIST_PROPERTIES.values()):
            values = self.data.get(field)
            if not values or len(values) < 2:
                continue
            prefs = {
                id(entry): pref for f, entry, _, _, pref in self.details if f == field and pref
            }
            values.sort(key=lambda entry: prefs.get(id(entry), _NO_PREF))

    def _finish_display_name(self) -> None:
        """Drop an `FN` the writer derives anyway: one repeating the structured name, or
        one marked as derived from the organisation or email (shown_as.py)."""
        display = self.data.get("displayName")
        if display is None:
            return
        index, detail = next(
            (i, d) for i, (f, _, _, d, _) in enumerate(self.details) if f == "displayName"
        )
        if display == compose_name(self.data.get("name")):
            if not detail:
                del self.data["displayName"]
            return
        if compose_name(self.data.get("name")) or set(detail) - {"params"}:
            return
        source = derived_mark(self.data, detail.get("params") or {})
        if source is None:
            return
        if source == ORGANIZATION:
            marks = [k for k in self.kept if is_show_as_company(k)]
            if not marks:
                return
            self.kept.remove(marks[0])
        del self.data["displayName"]
        del self.details[index]


# Property name -> the step that maps it; a name not here is kept whole.
_MAPPERS: dict[str, Callable[[_CardReader, Property], bool]] = {
    "UID": _CardReader._uid,
    "FN": _CardReader._display_name,
    "N": _CardReader._name,
    "NOTE": _CardReader._notes,
    "BDAY": _CardReader._birthday,
    "CATEGORIES": _CardReader._categories,
    **{name: _CardReader._organization_part for name in _ORG_PROPS},
    "PHOTO": _CardReader._photo,
    **{name: _CardReader._list_value for name in fields.LIST_PROPERTIES},
}


def _group_detail(prop: Property, label: Property | None, type_: str | None) -> dict[str, Any]:
    """The group of a list value, and its X-ABLabel when the writer would not make it."""
    if not prop.group:
        return {}
    detail: dict[str, Any] = {"group": prop.group}
    if label is None:
        detail["nolabel"] = True
    elif unescape(label.value) != (label_for(type_) if type_ else ""):
        detail["label"] = unescape(label.value)
    return detail


def _pref(prop: Property) -> int:
    value = prop.param("PREF")
    if value is not None and value.strip().isdigit():
        return max(1, min(int(value), 100))
    if any(t.lower() == "pref" for t in prop.types):
        return 1
    return _NO_PREF


def _media_type(types: list[str]) -> str | None:
    for word in types:
        word = word.lower()
        if "/" in word:
            return word
        if word.isalnum():
            return "image/" + word
    return None
