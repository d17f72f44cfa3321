"""Scope lists: the one reader (oauth/scopes.py) for requests and for what is stored."""

from __future__ import annotations

import pytest

from rolodex.errors import InvalidInput
from rolodex.oauth.scopes import (
    ALL_SCOPES,
    format_scopes,
    no_scope_named,
    parse_scopes,
    stored_scopes,
)


def test_a_request_may_separate_scopes_with_commas_or_spaces() -> None:
    assert parse_scopes("contacts.read, tags.read") == {"contacts.read", "tags.read"}
    assert parse_scopes("contacts.read tags.read") == {"contacts.read", "tags.read"}
    assert parse_scopes(",contacts.read,,") == {"contacts.read"}


def test_no_scopes_given_means_all_of_them() -> None:
    assert parse_scopes(None) == ALL_SCOPES
    assert parse_scopes("  ") == ALL_SCOPES


def test_an_unknown_scope_is_named_with_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_scopes("contacts.read,contacts.everything", field="scope")
    assert refused.value.field == "scope"
    assert "contacts.everything" in refused.value.message


@pytest.mark.parametrize("value", [None, "", " ", ",", " , ,"])
def test_a_scope_of_only_separators_names_nothing(value: str | None) -> None:
    assert no_scope_named(value)


def test_a_scope_with_a_name_names_something() -> None:
    assert not no_scope_named(",tags.read")


def test_a_stored_list_reads_back_as_the_scopes_written() -> None:
    for scopes in (frozenset(), frozenset({"tags.read"}), ALL_SCOPES):
        assert stored_scopes(format_scopes(scopes)) == scopes
