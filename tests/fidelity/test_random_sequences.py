"""Random sequences of writes through all three APIs, checked against a model after each.

The model holds what each API should show, kept by the documented rules alone (not by
the mapping code): a personal phone field is the nth phone of its kind, a REST
`phoneNumber` the first phone, Contacts+ owns every part neither other API expresses.
After every write all three views of the contact must match the model exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.fidelity.rich import Views, views_for

KINDS = ("work", "mobile", "home", "other", "workfax", "homefax")
# personal phone field -> (kind, which of that kind)
PHONE_FIELDS = {
    "business": ("work", 0),
    "business2": ("work", 1),
    "mobile_phone": ("mobile", 0),
    "mobile_phone2": ("mobile", 1),
    "home_phone": ("home", 0),
    "home_phone2": ("home", 1),
    "other": ("other", 0),
    "business_fax": ("workfax", 0),
    "home_fax": ("homefax", 0),
}
TEXT_FIELDS = ("name", "email", "company", "title", "address", "notes")
NAMES = ("Ann Lee", "Bo", "Cy Young Jr", "Dee Dee")
VALUES = ("v1", "v2", "+1 555 0100", "x y")
# Emails and phones follow the one rule every API shares (docs/api-notes.md).
EMAILS = ("ann@example.com", "a@b", "Bo <bo@x.test>")
PHONES = ("v1", "+1 555 0100", "1-800-FLOWERS")
TAGS = ("red", "green", "blue")

START: dict[str, Any] = {
    "name": {"givenName": "Ann", "familyName": "Lee"},
    "displayName": "Ann Lee",
    "emails": [{"type": "work", "value": "ann@example.com"}],
    "organizations": [{"name": "Acme", "title": "CEO"}],
    "phoneNumbers": [
        {"type": "main", "value": "+1 000"},
        {"type": "Mobile", "value": "m1"},
        {"type": "work", "value": "w1"},
        {"type": "cell", "value": "m2"},
    ],
    "addresses": [{"street": "1 Main St", "city": "Springfield"}],
    "notes": "start",
    "items": [{"value": "untyped"}],
    "urls": [{"type": "home", "value": "https://a.example"}],
}


@dataclass
class Model:
    name: str | None = "Ann Lee"
    email: str | None = "ann@example.com"
    company: str | None = "Acme"
    title: str | None = "CEO"
    address: str | None = "1 Main St, Springfield"
    notes: str | None = "start"
    phones: dict[str, list[str]] = field(
        default_factory=lambda: {
            "work": ["w1"],
            "mobile": ["m1", "m2"],
            "home": [],
            "other": [],
            "workfax": [],
            "homefax": [],
        }
    )
    favorite: bool = False
    main_phone: str = "+1 000"
    stage: str | None = None
    location: dict[str, str] | None = None
    custom: dict[str, str] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)
    urls: list[dict[str, str]] = field(default_factory=lambda: list(START["urls"]))

    def personal(self, contact_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": contact_id}
        for name in TEXT_FIELDS:
            out[name] = getattr(self, name)
        for name, (kind, nth) in PHONE_FIELDS.items():
            values = self.phones[kind]
            out[name] = values[nth] if nth < len(values) else None
        return {**out, "sync_type": None, "favorite": self.favorite}

    def rest(self, contact_id: str) -> dict[str, Any]:
        return {
            "id": contact_id,
            "name": self.name,
            "phoneNumber": self.main_phone,
            "location": self.location,
            "stage": self.stage,
            "notes": self.notes,
            "customFields": self.custom,
            "tags": sorted(self.tags),
        }

    # -- the writes ----------------------------------------------------------------------

    def personal_write(self, name: str, value: str | None) -> None:
        value = value or None
        if name in PHONE_FIELDS:
            kind, nth = PHONE_FIELDS[name]
            values = self.phones[kind]
            if value is None:
                if nth < len(values):
                    values.pop(nth)
            elif nth < len(values):
                values[nth] = value
            else:
                values.append(value)
        else:
            setattr(self, name, value)

    def rest_put(self, body: dict[str, Any]) -> None:
        self.name = body["name"]
        self.main_phone = body["phoneNumber"]
        if "notes" in body:
            self.notes = body["notes"]
        if "stage" in body:
            self.stage = body["stage"]
        if "customFields" in body:
            self.custom = {k: v for k, v in (body["customFields"] or {}).items() if v is not None}
        if "tags" in body:
            self.tags = set(body["tags"])
        if "location" in body:
            new = body["location"]
            same_id = (
                new is not None and self.location is not None and self.location["id"] == new["id"]
            )
            if not (new is not None and "title" not in new and same_id):
                self.location = new


def _personal_value(field: str) -> st.SearchStrategy[str | None]:
    """Values a personal API field takes: emails and phones as the shared rule allows."""
    if field == "email":
        return st.one_of(st.sampled_from(EMAILS), st.sampled_from(["", None]))
    if field in PHONE_FIELDS:
        return st.one_of(st.sampled_from(PHONES), st.sampled_from(["", None]))
    return st.one_of(st.sampled_from(VALUES), st.sampled_from(NAMES), st.sampled_from(["", None]))


personal_writes = (
    st.sampled_from([*TEXT_FIELDS, *PHONE_FIELDS])
    .flatmap(lambda field: st.tuples(st.just("personal"), st.just(field), _personal_value(field)))
    .filter(lambda step: not (step[1] == "name" and step[2] == ""))  # a name is 1 to 64 characters
)
favorites = st.tuples(st.just("favorite"), st.booleans())
rest_puts = st.tuples(
    st.just("rest"),
    st.fixed_dictionaries(
        {"name": st.sampled_from(NAMES), "phoneNumber": st.sampled_from(PHONES)},
        optional={
            "notes": st.one_of(st.none(), st.sampled_from(VALUES)),
            "stage": st.one_of(st.none(), st.sampled_from(["Lead", "Customer", "Other"])),
            "customFields": st.one_of(
                st.none(),
                st.dictionaries(
                    st.sampled_from(["a", "b", "c"]), st.sampled_from(VALUES), max_size=3
                ),
            ),
            "tags": st.lists(st.sampled_from(TAGS), unique=True, max_size=3),
            "location": st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {"id": st.sampled_from(["L1", "L2"])},
                    optional={"title": st.sampled_from(["One", "Two"])},
                ),
            ),
        },
    ),
)
rest_tags = st.tuples(
    st.sampled_from(["add", "remove"]), st.lists(st.sampled_from(TAGS), unique=True, min_size=1)
)
cplus_writes = st.tuples(
    st.just("contactsplus"),
    st.lists(
        st.fixed_dictionaries({"type": st.just("blog"), "value": st.sampled_from(VALUES)}),
        max_size=2,
    ),
    st.one_of(st.none(), st.sampled_from(NAMES)),
)
steps = st.lists(
    st.one_of(personal_writes, favorites, rest_puts, rest_tags, cplus_writes), max_size=8
)


def check(views: Views, model: Model, contact_id: str) -> None:
    assert views.personal.get(contact_id) == model.personal(contact_id)
    assert views.rest.get(contact_id) == model.rest(contact_id)
    data = views.canonical(contact_id)["contactData"]
    # What only Contacts+ expresses is as Contacts+ left it.
    assert data.get("urls", []) == model.urls
    assert {"value": "untyped"} in data["items"]
    assert data["phoneNumbers"][0] == {"type": "main", "value": model.main_phone}
    assert len(data["phoneNumbers"]) == 1 + sum(len(v) for v in model.phones.values())


def run(views: Views, model: Model, contact_id: str, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "personal":
        _, name, value = step
        views.personal.update(contact_id, {name: value})
        model.personal_write(name, value)
    elif kind == "favorite":
        path = "favorite" if step[1] else "unfavorite"
        assert views.personal.request("POST", f"/{contact_id}/{path}").status_code == 200
        model.favorite = step[1]
    elif kind == "rest":
        views.rest.put(contact_id, step[1])
        model.rest_put(step[1])
    elif kind in ("add", "remove"):
        response = views.rest.request("POST", f"/{contact_id}/tags/{kind}", json={"tags": step[1]})
        assert response.status_code == 200, response.text
        model.tags = model.tags | set(step[1]) if kind == "add" else model.tags - set(step[1])
    else:
        _, urls, display = step
        contact = views.canonical(contact_id)
        data = contact["contactData"]
        data["urls"] = urls
        if display is not None:
            data["displayName"] = display
            model.name = display
        views.user.ok(
            "contacts.update",
            {"contact": {"contactId": contact_id, "etag": contact["etag"], "contactData": data}},
        )
        model.urls = urls


@pytest.fixture
def views(user: ApiUser, services: Services) -> Views:
    return views_for(user, services)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_random_writes_through_all_three_apis_match_the_model(
    views: Views, sequence: list[tuple[Any, ...]]
) -> None:
    contact_id = views.user.create(START)["contactId"]
    model = Model()
    check(views, model, contact_id)
    for step in sequence:
        run(views, model, contact_id, step)
        check(views, model, contact_id)
