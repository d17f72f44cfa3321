"""Merging contactData: nothing any record knew is lost, nothing is repeated."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rolodex.duplicates.merging import (
    LIST_KEYS,
    merge_data,
    merge_meta,
    merge_tags,
)

_TEXT = st.text(alphabet="aAbBéÉ 1234-.@+()", max_size=12)
_LABELED = st.fixed_dictionaries({"type": st.sampled_from(["work", "home"]), "value": _TEXT})
_ADDRESS = st.fixed_dictionaries(
    {"type": st.just("home")},
    optional={"street": _TEXT, "city": _TEXT, "postalCode": _TEXT, "formatted": _TEXT},
)
_DATE = st.fixed_dictionaries(
    {"type": st.sampled_from(["anniversary", "other"])},
    optional={"day": st.integers(1, 28), "month": st.integers(1, 12), "year": st.integers(1, 9)},
)
_ORG = st.fixed_dictionaries({}, optional={"name": _TEXT, "title": _TEXT})
_NAME = st.fixed_dictionaries({}, optional={"givenName": _TEXT, "familyName": _TEXT})

_DATA = st.fixed_dictionaries(
    {},
    optional={
        "name": _NAME,
        "displayName": _TEXT,
        "emails": st.lists(_LABELED, max_size=4),
        "phoneNumbers": st.lists(_LABELED, max_size=4),
        "addresses": st.lists(_ADDRESS, max_size=3),
        "organizations": st.lists(_ORG, max_size=3),
        "urls": st.lists(_LABELED, max_size=3),
        "ims": st.lists(_LABELED, max_size=3),
        "relatedPeople": st.lists(_LABELED, max_size=3),
        "dates": st.lists(_DATE, max_size=3),
        "items": st.lists(_LABELED, max_size=3),
        "photos": st.lists(_LABELED, max_size=2),
        "notes": _TEXT,
    },
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_DATA, min_size=2, max_size=4))
def test_a_merge_loses_no_value_and_repeats_none(datas: list[dict[str, Any]]) -> None:
    merged = merge_data(datas)
    for field, key in LIST_KEYS.items():
        out = [key(e) for e in merged.get(field, [])]
        assert len(out) == len(set(out)), field
        for data in datas:
            for entry in data.get(field, []):
                assert key(entry) in out, (field, entry)
    for data in datas:
        note = data.get("notes", "").strip()
        if note:
            assert note in merged["notes"]


def test_emails_case_folded_phones_by_digits_addresses_by_folded_text() -> None:
    survivor = {
        "emails": [{"type": "work", "value": "Ann@Example.com"}],
        "phoneNumbers": [{"type": "mobile", "value": "+1 (415) 555-0100"}],
        "addresses": [{"type": "home", "street": "12 Main St.", "city": "Zürich"}],
        "notes": "met at the fair",
    }
    other = {
        "name": {"givenName": "Ann", "familyName": "Lee", "middleName": "B"},
        "emails": [{"type": "home", "value": "ann@example.com"}, {"value": "a@b.example"}],
        "phoneNumbers": [{"type": "work", "value": "+14155550100"}],
        "addresses": [{"type": "work", "street": "12 main st", "city": "zurich"}],
        "notes": "met at the fair",
        "photos": [{"value": "https://p.example/1.jpg"}],
    }
    merged = merge_data([survivor, other])
    assert merged["emails"] == [
        {"type": "work", "value": "Ann@Example.com"},
        {"value": "a@b.example"},
    ]
    assert merged["phoneNumbers"] == [{"type": "mobile", "value": "+1 (415) 555-0100"}]
    assert len(merged["addresses"]) == 1
    assert merged["name"]["middleName"] == "B"
    assert merged["notes"] == "met at the fair"
    assert merged["photos"] == [{"value": "https://p.example/1.jpg"}]


def test_notes_are_joined_with_a_blank_line() -> None:
    merged = merge_data([{"notes": "one"}, {"notes": "two "}, {"notes": "one"}])
    assert merged["notes"] == "one\n\ntwo"


def test_metadata_survivor_first_favourite_if_any_and_tags_united() -> None:
    metas = [{"stage": "Lead", "favorite": False}, {"stage": "Customer", "favorite": True}]
    assert merge_meta(metas) == {"stage": "Lead", "favorite": True}
    assert merge_tags([["t2", "t1"], ["t1", "t3"]]) == ["t1", "t2", "t3"]
