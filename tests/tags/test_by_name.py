"""Tags by name inside a contact's write (`TagsByName`, `TagService.ensure_named_in`)."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest

from rolodex.errors import InvalidInput
from rolodex.services import Services
from rolodex.tags.by_name import ContactQuery


def _owner() -> str:
    return "a_" + secrets.token_hex(8)


def test_names_are_made_once_each_in_the_order_given(services: Services) -> None:
    owner = _owner()
    existing = services.tags.create(owner, "Old")
    with services.store.write(owner_id=owner) as conn:
        ids = services.tags.ensure_named_in(conn, owner, ["new", " OLD ", "NEW", "x"], field="tags")
    assert ids[1] == existing.tag_id
    assert len(ids) == 3
    names = [t.name for t in services.tags.get_many(owner, ids)]
    assert names == ["new", "Old", "x"]


def test_a_bad_name_makes_no_tag_even_after_good_ones(services: Services) -> None:
    owner = _owner()
    with (
        pytest.raises(InvalidInput, match="must not be empty"),
        services.store.write(owner_id=owner) as conn,
    ):
        services.tags.ensure_named_in(conn, owner, ["fine", "  "], field="tags")
    assert services.tags.scroll(owner, include_deleted=True).tags == []


def test_lookup_by_name_skips_blanks_and_never_makes_a_tag(services: Services) -> None:
    owner = _owner()
    made = services.tags.create(owner, "Straße")
    with services.store.read() as conn:
        found = services.tags.ids_named_in(conn, owner, ["STRASSE", " ", "missing"])
    assert found == {"strasse": made.tag_id, "missing": None}
    assert [t.tag_id for t in services.tags.scroll(owner).tags] == [made.tag_id]


def test_concurrent_writes_naming_one_new_tag_make_one_tag(services: Services) -> None:
    owner = _owner()
    names = ["Team", " team", "TEAM ", "tEaM"] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(
            pool.map(lambda n: services.tags_by_name.create(owner, {}, {}, [n, "other"]), names)
        )
    assert len({tuple(m.contact.tag_ids) for m in made}) == 1
    assert sorted(t.name_key for t in services.tags.scroll(owner).tags) == ["other", "team"]


def test_a_deleted_tag_is_not_found_by_name(services: Services) -> None:
    owner = _owner()
    gone = services.tags.create(owner, "gone")
    services.tags_by_name.create(owner, {}, {}, ["gone"])
    services.tags.delete(owner, gone.tag_id, etag=gone.etag)
    query = ContactQuery(tag_names=("gone",))
    assert (
        services.tags_by_name.list_page(owner, offset=0, limit=10, query=query, search_field="q")
        == []
    )
    again = services.tags_by_name.create(owner, {}, {}, ["gone"])
    assert again.contact.tag_ids != [gone.tag_id]
    assert again.tag_names == ["gone"]
