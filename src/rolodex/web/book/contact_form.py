"""The contact edit form: every field of the canonical contact, as rows a person can add to.

Field names are flat (`emails-0-value`, `name-givenName`, `birthday-year`) so the form
works as a plain HTML form with JavaScript off. A row whose fields are all empty is
dropped, so blank rows cost nothing; a row with its "remove" box ticked is dropped too.
The result is validated by `clean_contact_data` (the model every API uses), and each
problem it reports is put back next to the form field it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from rolodex.contacts.model import clean_contact_data, email_problem, phone_problem
from rolodex.errors import InvalidInput

NAME_PARTS = ("prefix", "givenName", "middleName", "familyName", "suffix")
DATE_PARTS = ("year", "month", "day")


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One repeatable field: its label, its parts, and the type labels to suggest."""

    key: str
    label: str
    parts: tuple[str, ...]
    types: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    # Fields of an entry the form does not show, carried through in a hidden `keep` field.
    keep: tuple[str, ...] = ()
    blank_rows: int = 0
    plural_label: str = ""
    # The label inside a sentence ("Add an IM address"): lower case unless it is an acronym.
    sentence_label: str = ""

    @property
    def noun(self) -> str:
        return self.sentence_label or self.label.lower()

    @property
    def add_label(self) -> str:
        article = "an" if self.noun[:1].lower() in "aeiou" else "a"
        return f"Add {article} {self.noun}"

    @property
    def plural(self) -> str:
        if self.plural_label:
            return self.plural_label
        if self.label.endswith("ss"):
            return self.label + "es"
        if self.label.endswith("ing"):
            return self.label
        return self.label + "s"


LISTS: tuple[ListSpec, ...] = (
    ListSpec("emails", "Email", ("type", "value"), ("home", "work", "other"), blank_rows=1),
    ListSpec(
        "phoneNumbers",
        "Phone",
        ("type", "value"),
        ("mobile", "home", "work", "homeFax", "workFax", "main", "pager", "other"),
        blank_rows=1,
    ),
    ListSpec(
        "addresses",
        "Address",
        (
            "type",
            "street",
            "extendedAddress",
            "poBox",
            "city",
            "region",
            "postalCode",
            "country",
            "formatted",
        ),
        ("home", "work", "other"),
    ),
    ListSpec(
        "organizations",
        "Organization",
        ("name", "title", "department", "location", "description"),
        keep=("startDate", "endDate"),
    ),
    ListSpec(
        "urls",
        "Website",
        ("type", "value", "username", "userId"),
        ("homepage", "work", "blog", "profile", "other"),
    ),
    ListSpec(
        "ims",
        "IM address",
        ("type", "value"),
        ("skype", "xmpp", "signal", "matrix"),
        sentence_label="IM address",
    ),
    ListSpec(
        "relatedPeople",
        "Related person",
        ("type", "value"),
        ("spouse", "partner", "child", "parent", "sibling", "friend", "assistant", "manager"),
        plural_label="Related people",
    ),
    ListSpec(
        "dates",
        "Date",
        ("type", *DATE_PARTS),
        ("anniversary", "other"),
        numeric=DATE_PARTS,
    ),
    ListSpec("items", "Custom field", ("type", "value")),
)
SPECS = {spec.key: spec for spec in LISTS}

PART_LABELS = {
    "type": "Label",
    "value": "Value",
    "street": "Street",
    "extendedAddress": "Apartment, suite",
    "poBox": "PO box",
    "city": "City",
    "region": "Region",
    "postalCode": "Postal code",
    "country": "Country",
    "formatted": "As written",
    "name": "Name",
    "title": "Title",
    "department": "Department",
    "location": "Location",
    "description": "Description",
    "username": "User name",
    "userId": "User id",
    "year": "Year",
    "month": "Month",
    "day": "Day",
    "prefix": "Prefix",
    "givenName": "Given name",
    "middleName": "Middle name",
    "familyName": "Family name",
    "suffix": "Suffix",
}
# What a value of a list is called in a message and a field label, per list.
VALUE_LABELS = {
    "emails": "Email address",
    "phoneNumbers": "Phone number",
    "urls": "Address (URL)",
    "ims": "Handle",
    "relatedPeople": "Name",
    "items": "Value",
}

_ROW_FIELD = re.compile(r"^([A-Za-z]+)-(\d{1,4})-([A-Za-z]+)$")


@dataclass
class ContactForm:
    """What the form shows: single values, rows per list, and messages per field name."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def row_indices(self, key: str) -> list[int]:
        return list(range(len(self.rows.get(key, []))))

    def error_for(self, name: str) -> str:
        return self.errors.get(name, "")

    def shows_any(self, keys: list[str]) -> bool:
        """Whether any of these lists has a row or a problem (a collapsed group opens)."""
        return any(self.rows.get(k) for k in keys) or any(
            name.split("-", 1)[0] in keys for name in self.errors
        )

    @property
    def first_error(self) -> str:
        return next(iter(self.errors), "")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def form_from_data(data: dict[str, Any]) -> ContactForm:
    """The form filled from a stored contact (with the blank rows new entries go in)."""
    form = ContactForm()
    name = data.get("name") or {}
    for part in NAME_PARTS:
        form.values[f"name-{part}"] = _text(name.get(part))
    form.values["displayName"] = _text(data.get("displayName"))
    form.values["notes"] = _text(data.get("notes"))
    birthday = data.get("birthday") or {}
    for part in DATE_PARTS:
        form.values[f"birthday-{part}"] = _text(birthday.get(part))
    for spec in LISTS:
        rows = []
        for entry in data.get(spec.key) or []:
            row = {part: _text(entry.get(part)) for part in spec.parts}
            kept = {k: entry[k] for k in spec.keep if k in entry}
            row["keep"] = orjson.dumps(kept).decode() if kept else ""
            rows.append(row)
        rows.extend(_blank(spec) for _ in range(spec.blank_rows))
        form.rows[spec.key] = rows
    return form


def _blank(spec: ListSpec) -> dict[str, str]:
    return {**dict.fromkeys(spec.parts, ""), "keep": ""}


def add_row(form: ContactForm, key: str) -> None:
    """The "add another" button without JavaScript: the form comes back with one more row."""
    if key in SPECS:
        form.rows.setdefault(key, []).append(_blank(SPECS[key]))


def form_from_post(fields: list[tuple[str, str]]) -> ContactForm:
    """The form as the person submitted it (rows in index order, removed rows dropped)."""
    form = ContactForm()
    by_list: dict[str, dict[int, dict[str, str]]] = {spec.key: {} for spec in LISTS}
    for key, value in fields:
        match = _ROW_FIELD.match(key)
        if match and match.group(1) in by_list:
            spec = SPECS[match.group(1)]
            part = match.group(3)
            if part in (*spec.parts, "keep", "remove"):
                row = by_list[spec.key].setdefault(int(match.group(2)), _blank(spec))
                row[part] = value.strip() if part != "keep" else value
        elif key in ("displayName", "notes") or key.startswith(("name-", "birthday-")):
            form.values[key] = value if key == "notes" else value.strip()
    for key, rows in by_list.items():
        form.rows[key] = [rows[i] for i in sorted(rows) if not rows[i].get("remove")]
    return form


def data_from_form(form: ContactForm) -> dict[str, Any]:
    """The `contactData` the form describes, validated; InvalidInput with `form.errors` filled.

    Numbers that are not numbers, emails and phones are checked here (the emails and
    phones with the model's own rules), the rest by the canonical model; either way
    every problem lands on its own field.
    """
    data = _single_fields(form)
    origin: dict[str, list[int]] = {}
    for spec in LISTS:
        entries, indices = _list_entries(form, spec)
        if entries:
            data[spec.key] = entries
            origin[spec.key] = indices
    if not form.errors and not data:
        form.errors["name-givenName"] = "Give the contact a name, an email or a phone number."
    if form.errors:
        raise InvalidInput(_first_message(form), field=form.first_error)
    try:
        return clean_contact_data(data, field_name="contactData")
    except InvalidInput as exc:
        for problem in exc.details:
            form.errors.setdefault(
                _form_field(problem["field"], origin), _sentence(problem["problem"])
            )
        raise InvalidInput(_first_message(form), field=form.first_error) from None


def _single_fields(form: ContactForm) -> dict[str, Any]:
    """The name, display name, notes and birthday the form holds (blank ones left out)."""
    data: dict[str, Any] = {}
    name = {p: form.values.get(f"name-{p}", "") for p in NAME_PARTS}
    if any(name.values()):
        data["name"] = {k: v for k, v in name.items() if v}
    for single in ("displayName", "notes"):
        if form.values.get(single, "").strip():
            data[single] = form.values[single].strip() if single != "notes" else form.values[single]
    birthday = {p: form.values.get(f"birthday-{p}", "") for p in DATE_PARTS}
    if any(birthday.values()):
        data["birthday"] = {p: _number(form, f"birthday-{p}", v) for p, v in birthday.items() if v}
    return data


def _list_entries(form: ContactForm, spec: ListSpec) -> tuple[list[dict[str, Any]], list[int]]:
    """The entries of one list (rows with nothing but a type are skipped) and the index of
    the row each came from, so that the model's problems land on the right row."""
    entries, indices = [], []
    for index, row in enumerate(form.rows.get(spec.key, [])):
        shown = {p: row.get(p, "") for p in spec.parts}
        substance = {p: v for p, v in shown.items() if v and p != "type"}
        if not substance:
            continue
        entry: dict[str, Any] = {}
        for part, value in shown.items():
            if not value:
                continue
            name_of = f"{spec.key}-{index}-{part}"
            entry[part] = _number(form, name_of, value) if part in spec.numeric else value
        doubt = _value_problem(spec.key, entry.get("value", ""))
        if doubt:
            form.errors.setdefault(f"{spec.key}-{index}-value", _sentence(doubt))
        entry.update(_kept(row.get("keep", ""), spec))
        entries.append(entry)
        indices.append(index)
    return entries, indices


def _number(form: ContactForm, name: str, value: str) -> int | str:
    if value.isdigit() and len(value) <= 6:
        return int(value)
    form.errors.setdefault(name, "Must be a whole number.")
    return value


def _value_problem(key: str, value: Any) -> str | None:
    """The model's own email and phone rules, so the form and the APIs agree (api-notes.md)."""
    if not isinstance(value, str):
        return None
    if key == "emails":
        return email_problem(value)
    if key == "phoneNumbers":
        return phone_problem(value)
    return None


def _kept(raw: str, spec: ListSpec) -> dict[str, Any]:
    """The hidden fields of an entry, as the page carried them (anything odd is dropped)."""
    if not raw or not spec.keep:
        return {}
    try:
        kept = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}
    if not isinstance(kept, dict):
        return {}
    return {k: v for k, v in kept.items() if k in spec.keep}


def _form_field(path: str, origin: dict[str, list[int]]) -> str:
    """`contactData.emails.2.value` -> the form field of that row (`emails-5-value`)."""
    parts = path.split(".")
    if parts and parts[0] == "contactData":
        parts = parts[1:]
    if not parts:
        return "name-givenName"
    head = parts[0]
    if head in ("name", "birthday") and len(parts) > 1:
        return f"{head}-{parts[1]}"
    if head in SPECS:
        if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(origin.get(head, [])):
            index = origin[head][int(parts[1])]
            spec = SPECS[head]
            part = parts[2] if len(parts) > 2 and parts[2] in spec.parts else spec.parts[-1]
            return f"{head}-{index}-{part}"
        return f"{head}-list"
    return head


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _first_message(form: ContactForm) -> str:
    name = form.first_error
    return f"{name}: {form.errors[name]}"
