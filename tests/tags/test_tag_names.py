"""Tag names: one live tag per name and owner, also under concurrent writers."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from rolodex.services import Services
from rolodex.store.schema import tags
from rolodex.tags.model import name_key


def test_name_keys_ignore_case_spaces_and_unicode_form() -> None:
    assert name_key("  Straße ") == name_key("STRASSE")
    assert name_key("Cafe\u0301") == name_key("café")
    assert name_key("a") != name_key("b")
    assert len(name_key("ß" * 256)) <= 256
    assert name_key("ß" * 256) == name_key("SS" * 256)


def test_concurrent_creates_of_one_name_make_one_tag(services: Services) -> None:
    owner = "a_" + secrets.token_hex(8)
    names = ["Team", " team", "TEAM ", "tEaM"] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(pool.map(lambda n: services.tags.create(owner, n), names))
    assert len({t.tag_id for t in made}) == 1
    assert len(services.tags.scroll(owner).tags) == 1


def test_the_store_refuses_a_second_live_tag_of_a_name(services: Services) -> None:
    owner = "a_" + secrets.token_hex(8)
    first = services.tags.create(owner, "Unique")
    row = {
        "owner_id": owner,
        "name": "UNIQUE",
        "name_key": first.name_key,
        "etag": "e",
        "created_at": 1,
        "updated_at": 1,
    }
    with pytest.raises(IntegrityError), services.store.write(owner_id=owner) as conn:
        conn.execute(insert(tags).values(tag_id="tg_dup_" + secrets.token_hex(4), **row))
    # A deleted tag's name does not count.
    services.tags.delete(owner, first.tag_id, etag=first.etag)
    with services.store.write(owner_id=owner) as conn:
        conn.execute(insert(tags).values(tag_id="tg_dup_" + secrets.token_hex(4), **row))
