"""Property: any valid contact created reads back exactly as sent (nulls aside), on every read path."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ApiUser

# Any text but U+0000, which no store keeps (PostgreSQL refuses it): refused with a 400.
# Lone surrogates are not text either: no client can send them as UTF-8.
chars = st.characters(exclude_characters="\x00", exclude_categories=["Cs"])
text = st.text(chars, min_size=0, max_size=40)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def fields(**parts: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={k: maybe(v) for k, v in parts.items()})


labeled = fields(type=text, value=text)
# Emails and phones within the one rule every API shares (docs/api-notes.md): an email
# has an @ with text either side, a phone a digit; an empty value is no address at all.
_part = st.text(st.characters(exclude_characters="\x00@", exclude_categories=["Cs"]), max_size=15)
email = st.one_of(
    st.just(""), st.builds(lambda a, b, c, d: f"{a}x{b}@{c}y{d}", _part, _part, text, text)
)
phone = st.one_of(
    st.just(""), st.builds(lambda a, d, b: f"{a}{d}{b}", text, st.sampled_from("0123456789"), text)
)
partial_date = fields(month=st.integers(1, 12), day=st.integers(1, 31), year=st.integers(1, 9999))
contact_data = fields(
    name=fields(givenName=text, middleName=text, familyName=text, prefix=text, suffix=text),
    displayName=text,
    emails=st.lists(fields(type=text, value=email), max_size=3),
    phoneNumbers=st.lists(fields(type=text, value=phone), max_size=3),
    addresses=st.lists(
        fields(
            type=text,
            street=text,
            city=text,
            region=text,
            postalCode=text,
            country=text,
            extendedAddress=text,
            formatted=text,
        ),
        max_size=2,
    ),
    organizations=st.lists(
        fields(name=text, title=text, department=text, startDate=partial_date), max_size=2
    ),
    urls=st.lists(fields(type=text, value=text, username=text, userId=text), max_size=2),
    ims=st.lists(labeled, max_size=2),
    relatedPeople=st.lists(labeled, max_size=2),
    dates=st.lists(fields(type=text, month=st.integers(1, 12), day=st.integers(1, 31)), max_size=2),
    birthday=partial_date,
    notes=st.text(chars, max_size=300),
    items=st.lists(labeled, max_size=3),
)


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=contact_data)
def test_any_valid_contact_reads_back_unchanged(user: ApiUser, data: dict[str, Any]) -> None:
    created = user.create(data)
    expected = without_nulls(data)
    assert created["contactData"] == expected
    fetched = user.ok("contacts.get", {"contactIds": [created["contactId"]]})["contacts"][0]
    assert fetched == created
    updated = user.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": created["contactId"],
                "etag": created["etag"],
                "contactData": data,
            }
        },
    )["contact"]
    assert updated["contactData"] == expected
