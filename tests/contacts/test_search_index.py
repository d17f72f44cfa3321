"""The search index itself: migration 0002_search fills it from existing contacts, and a
search is answered through indexes (FTS5, GIN), never by scanning the contacts."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import orjson
import psycopg
import pytest
from alembic import command
from sqlalchemy import insert, text

from rolodex.contacts.search.backend import backend_for
from rolodex.contacts.search.query import parse
from rolodex.contacts.search.service import SearchService, _Search
from rolodex.contacts.service import ContactService
from rolodex.ids import new_id
from rolodex.services import Services
from rolodex.store import Store
from rolodex.store.migrate import alembic_config, upgrade
from rolodex.store.schema import contacts
from tests.conftest import POSTGRES_URL, _postgres_schema_url


@pytest.fixture
def empty_store(store_kind: str, tmp_path: Path) -> Iterator[Store]:
    """A store of the kind under test with no schema at all (a fresh PostgreSQL schema)."""
    if store_kind == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        yield store
        store.dispose()
        return
    schema = "rolodex_backfill_" + secrets.token_hex(4)
    try:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable ({exc})")
    url = _postgres_schema_url(schema).replace("postgresql://", "postgresql+psycopg://", 1)
    store = Store(url)
    yield store
    store.dispose()
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_the_migration_indexes_contacts_that_existed_before_it(empty_store: Store) -> None:
    config = alembic_config(empty_store)
    with empty_store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    owner = new_id("a_")
    rows = [
        {
            "contact_id": new_id("c_"),
            "owner_id": owner,
            "etag": "e",
            "created_at": 1,
            "updated_at": 1,
            "deleted_at": 5 if i == 7 else None,
            "data": orjson.dumps(
                {"name": {"givenName": f"Old{i}"}, "phoneNumbers": [{"value": "(212) 555-0123"}]}
            ).decode(),
            "meta": "{}",
        }
        for i in range(1200)  # more than one back-fill batch
    ]
    with empty_store.engine.begin() as conn:
        conn.execute(insert(contacts), rows)
    upgrade(empty_store)
    search = SearchService(empty_store, ContactService(empty_store))
    found, total = search.search_offset(owner, "old11", offset=0, limit=1000)
    # Old11, Old110-Old119, Old1100-Old1199; the whole-word match first.
    assert total == 111
    assert found[0].data["name"]["givenName"] == "Old11"
    assert {c.data["name"]["givenName"] for c in found} == {
        "Old11",
        *(f"Old11{i}" for i in range(10)),
        *(f"Old11{i:02}" for i in range(100)),
    }
    assert search.search_offset(owner, "phone:2125550123", offset=0, limit=1)[1] == 1199
    names = [c.data["name"]["givenName"] for c in search.search(owner, "old7").contacts]
    assert "Old7" not in names  # deleted before the migration: not indexed
    assert names[0] == "Old70"


def test_a_search_uses_the_indexes_not_a_scan(services: Services) -> None:
    owner = new_id("a_")
    for i in range(30):
        services.contacts.create(owner, {"name": {"givenName": f"Name{i}"}, "notes": "x"})
    with services.store.read() as conn:
        node = parse("name1 OR notes:x -tag:gone", region="US")
        query = _Search(backend_for(conn.dialect.name), owner, node, ["t_1"]).ranked()
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "sqlite":
            plan = " | ".join(r[3] for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert "contact_search_fts VIRTUAL TABLE INDEX" in plan
            assert "SCAN contacts" not in plan
            assert "SEARCH contacts USING INDEX ix_contacts_owner_pk" in plan
        else:
            # On a tiny table the planner prefers a sequential scan; forbid it to see
            # which indexes the query can be answered with.
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " | ".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
            assert "Seq Scan" not in plan
            assert "ix_contact_search_document" in plan
