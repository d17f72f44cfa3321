"""The canonical contact's validation rules, as every API and the address book apply them."""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.contacts.model import clean_contact_data
from rolodex.errors import InvalidInput


def test_nulls_are_removed_and_everything_else_kept() -> None:
    data = {
        "name": {"givenName": "Ann", "familyName": None},
        "emails": [{"type": None, "value": "a@x"}],
    }
    assert clean_contact_data(data) == {"name": {"givenName": "Ann"}, "emails": [{"value": "a@x"}]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"displayName": "a\x00b"}, "contact.contactData.displayName"),
        ({"notes": "\x00"}, "contact.contactData.notes"),
        ({"emails": [{"value": "x\x00"}]}, "contact.contactData.emails.0.value"),
        ({"birthday": {"month": 0}}, "contact.contactData.birthday.month"),
        ({"unknown": 1}, "contact.contactData.unknown"),
    ],
)
def test_invalid_data_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_contact_data(data)
    assert refused.value.field == field
