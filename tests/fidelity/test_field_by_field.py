"""The fidelity rule (DESIGN.md): a write through one API changes only what that API expresses.

A contact is made rich through the Contacts+ API, then each field of the personal and
REST APIs is written alone; the canonical contact must differ from before in exactly the
part that field maps to, and the other two APIs' views only where they show that part.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.fidelity.rich import RICH, Views, views_for

Data = dict[str, Any]


def _phones_with(index: int, value: str | None) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        if value is None:
            del data["phoneNumbers"][index]
        else:
            data["phoneNumbers"][index]["value"] = value

    return edit


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        if value is None:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return edit


# personal field, new value, how the canonical contactData must change (and nothing else).
PERSONAL_CASES: list[tuple[str, str | None, Callable[[Data], None]]] = [
    ("name", "Ada Lovelace", _set(("displayName",), "Ada Lovelace")),
    ("email", "ada@new.example", _set(("emails", 0, "value"), "ada@new.example")),
    ("email", None, _set(("emails", 0), None)),
    ("company", "Difference Engines", _set(("organizations", 0, "name"), "Difference Engines")),
    ("title", None, _set(("organizations", 0, "title"), None)),
    ("business", "+1 1", _phones_with(0, "+1 1")),
    ("business2", "+1 2", _phones_with(3, "+1 2")),
    ("mobile_phone", "+1 3", _phones_with(1, "+1 3")),
    ("mobile_phone2", "+1 4", _phones_with(4, "+1 4")),
    ("mobile_phone2", None, _phones_with(4, None)),
    ("home_phone", "+1 5", _phones_with(2, "+1 5")),
    ("home_phone2", "", _phones_with(5, None)),
    ("other", "+1 6", _phones_with(6, "+1 6")),
    ("business_fax", "+1 7", _phones_with(7, "+1 7")),
    ("home_fax", None, _phones_with(8, None)),
    (
        "address",
        "10 Downing St, London",
        _set(("addresses", 0), {"type": "home", "formatted": "10 Downing St, London"}),
    ),
    ("notes", "Poetical science.", _set(("notes",), "Poetical science.")),
    ("notes", None, _set(("notes",), None)),
]


PROMOTED: dict[tuple[str, str | None], str | None] = {
    ("email", None): "ada@home.example",
    ("mobile_phone2", None): "+44 7700 000003",
}


@pytest.fixture
def views(user: ApiUser, services: Services) -> Views:
    return views_for(user, services)


@pytest.mark.parametrize(("field", "value", "edit"), PERSONAL_CASES)
def test_personal_write_changes_only_its_field(
    views: Views, field: str, value: str | None, edit: Callable[[Data], None]
) -> None:
    contact_id = views.make_rich()
    before = views.canonical(contact_id)
    personal_before = views.personal.get(contact_id)
    rest_before = views.rest.get(contact_id)

    views.personal.update(contact_id, {field: value})

    after = views.canonical(contact_id)
    expected = copy.deepcopy(RICH)
    edit(expected)
    assert after["contactData"] == expected
    assert after["contactMetadata"] == before["contactMetadata"]
    # Clearing one of a positional list promotes the next one of its kind (docs/personal-api.md).
    promoted = PROMOTED.get((field, value or None), value or None)
    assert views.personal.get(contact_id) == {**personal_before, field: promoted}
    rest_after = views.rest.get(contact_id)
    shared = {"name": "name", "notes": "notes", "business": "phoneNumber"}
    if field in shared:
        rest_before[shared[field]] = value or None
    assert rest_after == rest_before


def _change_shoe_size_add_hat(data: Data) -> None:
    _set(("items", 0, "value"), "39")(data)
    data["items"].append({"type": "hat", "value": "top"})


REST_CASES: list[tuple[dict[str, Any], Callable[[Data], None], dict[str, Any]]] = [
    # (PUT body beyond the required pair, contactData edit, contactMetadata changes)
    ({"name": "Ada Lovelace"}, _set(("displayName",), "Ada Lovelace"), {}),
    ({"phoneNumber": "+1 999"}, _phones_with(0, "+1 999"), {}),
    ({"notes": "Enchantress of numbers"}, _set(("notes",), "Enchantress of numbers"), {}),
    ({"notes": None}, _set(("notes",), None), {}),
    ({"stage": "Evangelist"}, lambda d: None, {"stage": "Evangelist"}),
    (
        {"location": {"id": "cam", "title": "Cambridge"}},
        lambda d: None,
        {"location": {"id": "cam", "title": "Cambridge"}},
    ),
    (
        {"customFields": {"shoe size": "39", "pet": "cat", "hat": "top"}},
        _change_shoe_size_add_hat,
        {},
    ),
    (
        {"customFields": {"pet": "cat"}},
        _set(("items", 0), None),
        {},
    ),
]


@pytest.mark.parametrize(("body", "edit", "meta"), REST_CASES)
def test_rest_put_changes_only_what_it_carries(
    views: Views, body: dict[str, Any], edit: Callable[[Data], None], meta: dict[str, Any]
) -> None:
    contact_id = views.make_rich()
    before = views.canonical(contact_id)
    personal_before = views.personal.get(contact_id)
    tags_before = views.tag_names(contact_id)

    put = {"name": "Ada King", "phoneNumber": "+44 20 1000 0001", **body}
    views.rest.put(contact_id, put)

    after = views.canonical(contact_id)
    expected = copy.deepcopy(RICH)
    edit(expected)
    assert after["contactData"] == expected
    assert after["contactMetadata"] == {**before["contactMetadata"], **meta}
    assert views.tag_names(contact_id) == tags_before
    personal_after = views.personal.get(contact_id)
    if "name" in body:
        personal_before["name"] = body["name"]
    if "notes" in body:
        personal_before["notes"] = body["notes"]
    if "phoneNumber" in body:
        personal_before["business"] = body["phoneNumber"]  # the first phone is a work phone
    assert personal_after == personal_before


def test_rest_tags_change_only_tags(views: Views) -> None:
    contact_id = views.make_rich()
    before = views.canonical(contact_id)
    add = views.rest.request("POST", f"/{contact_id}/tags/add", json={"tags": ["New"]})
    assert add.json()["tags"] == ["Friends", "Mathematics", "New"]
    remove = views.rest.request("POST", f"/{contact_id}/tags/remove", json={"tags": ["friends"]})
    assert remove.json()["tags"] == ["Mathematics", "New"]
    after = views.canonical(contact_id)
    assert after["contactData"] == before["contactData"]
    assert {k: v for k, v in after["contactMetadata"].items() if k != "tagIds"} == {
        k: v for k, v in before["contactMetadata"].items() if k != "tagIds"
    }
    assert views.tag_names(contact_id) == ["Mathematics", "New"]


def test_favorite_changes_only_favorite(views: Views) -> None:
    contact_id = views.make_rich()
    before = views.canonical(contact_id)
    assert views.personal.request("POST", f"/{contact_id}/unfavorite").status_code == 200
    after = views.canonical(contact_id)
    assert after["contactData"] == before["contactData"]
    assert after["contactMetadata"] == {**before["contactMetadata"], "favorite": False}


def test_reading_and_writing_back_through_each_api_changes_nothing(views: Views) -> None:
    contact_id = views.make_rich()
    before = views.canonical(contact_id)
    views.personal.update(contact_id, views.personal.get(contact_id))
    views.rest.put(contact_id, views.rest.get(contact_id))
    after = views.canonical(contact_id)
    assert after["contactData"] == before["contactData"]
    assert after["contactMetadata"] == before["contactMetadata"]
