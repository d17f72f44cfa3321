"""The search index itself: migration 0002_search fills it from existing contacts, and a
search is answered through indexes (FTS5, GIN), never by scanning the contacts."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import psycopg
import pytest
from alembic import command
from sqlalchemy import String, cast, event, insert, select, text

from rolodex.contacts.search import text as search_text
from rolodex.contacts.search.lexemes import document_literal
from rolodex.contacts.search.service import SearchService
from rolodex.contacts.search.tsvector import TsvectorBackend
from rolodex.contacts.service import ContactService
from rolodex.ids import new_id
from rolodex.services import Services
from rolodex.store import Store
from rolodex.store.migrate import alembic_config, upgrade
from rolodex.store.schema import contact_search, contacts
from tests.conftest import POSTGRES_URL, _postgres_schema_url
from tests.contacts.search_pages import recording_search, walk_search


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


def contact_row(owner: str, data: dict[str, Any], deleted_at: int | None = None) -> dict[str, Any]:
    """A `contacts` row as an older revision stored it: these tests fill the table before
    the migration under test runs, so the rows go in as plain inserts, not via the services."""
    return {
        "contact_id": new_id("c_"),
        "owner_id": owner,
        "etag": "e",
        "created_at": 1,
        "updated_at": 1,
        "deleted_at": deleted_at,
        "data": orjson.dumps(data).decode(),
        "meta": "{}",
    }


def migrate(store: Store, revision: str, *, down: bool = False) -> None:
    """Run the migrations up (or down) to `revision`: the tests below fill the tables an
    older revision had, then migrate past the revision under test."""
    config = alembic_config(store)
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def test_the_migration_indexes_contacts_that_existed_before_it(empty_store: Store) -> None:
    migrate(empty_store, "0001")
    owner = new_id("a_")
    rows = [
        contact_row(
            owner,
            {"name": {"givenName": f"Old{i}"}, "phoneNumbers": [{"value": "(212) 555-0123"}]},
            deleted_at=5 if i == 7 else None,
        )
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


# The word rule before migration 0016: runs of letters and digits together.
OLD_WORDS = re.compile(r"[^\W_]+")


def test_the_index_is_rebuilt_with_letters_and_digits_as_separate_words(
    empty_store: Store,
) -> None:
    """Migration 0016 writes every document again: `lee056` indexed as one word before it
    is found by its number afterwards, and deleted contacts stay out of the index."""
    migrate(empty_store, "0001")
    owner = new_id("a_")
    rows = [
        contact_row(owner, {"emails": [{"value": f"ann.lee{i:03}@example.org"}]})
        for i in range(1100)  # more than one batch
    ]
    rows.append(contact_row(owner, {"emails": [{"value": "gone.lee056@x.org"}]}, deleted_at=5))
    with empty_store.engine.begin() as conn:
        conn.execute(insert(contacts), rows)
    # Indexed as the revisions before 0016 did: runs of letters and digits together.
    with search_text.word_rule(OLD_WORDS):
        migrate(empty_store, "0015_search_gin_fastupdate")
    search = SearchService(empty_store, ContactService(empty_store))
    assert search.search_offset(owner, "056", offset=0, limit=10)[1] == 0
    upgrade(empty_store)
    found, total = search.search_offset(owner, "056", offset=0, limit=10)
    assert total == 1
    assert found[0].data["emails"][0]["value"] == "ann.lee056@example.org"
    assert search.search_offset(owner, "email:lee056", offset=0, limit=10)[1] == 1
    assert search.search_offset(owner, "lee", offset=0, limit=10)[1] == 1100
    # Downgrading writes them again the old way, for the code of 0015.
    migrate(empty_store, "0015_search_gin_fastupdate", down=True)
    with search_text.word_rule(OLD_WORDS):
        assert search.search_offset(owner, "056", offset=0, limit=10)[1] == 0
        assert search.search_offset(owner, "lee056", offset=0, limit=10)[1] == 1


def test_a_search_uses_the_indexes_not_a_scan(services: Services) -> None:
    owner = new_id("a_")
    for i in range(30):
        services.contacts.create(owner, {"name": {"givenName": f"Name{i}"}, "notes": "x"})
    # A small window, so that PostgreSQL also takes its GIN step on 30 contacts.
    search, _ = recording_search(services, window=5)
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
        if "contact_search" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(services.store.engine, "before_cursor_execute", record)
    try:
        for query in ("name1 OR notes:x -tag:gone", "name", "nam -name1"):
            search.search(owner, query, size=2, tag_ids=["t_1"] if "tag" in query else None)
            search.search_offset(owner, query, offset=3, limit=2)
    finally:
        event.remove(services.store.engine, "before_cursor_execute", record)
    assert statements
    plans = query_plans(services.store, statements)
    for plan in plans:
        if services.store.engine.dialect.name == "sqlite":
            # The index, or (ranking a few matches) their documents by key.
            assert "contact_search_fts VIRTUAL TABLE INDEX" in plan or plan.startswith(
                "SEARCH contact_search USING INDEX"
            )
            assert "SCAN contacts" not in plan
            assert "SCAN contact_search " not in plan
        else:
            assert "Seq Scan" not in plan
    if services.store.engine.dialect.name == "postgresql":
        assert any("ix_contact_search_document" in plan for plan in plans)


def query_plans(store: Store, statements: list[tuple[str, Any]]) -> list[str]:
    """The database's plan of each statement, as one line of its steps."""
    plans = []
    with store.read() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        sqlite = conn.dialect.name == "sqlite"
        if not sqlite:
            # On a tiny table the planner prefers a sequential scan; forbid it to see
            # which indexes the queries can be answered with.
            conn.execute(text("SET LOCAL enable_seqscan = off"))
        for statement, params in statements:
            cursor = raw.cursor()
            cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, params)
            plans.append(" | ".join(str(r[3] if sqlite else r[0]) for r in cursor.fetchall()))
    return plans


def test_the_group_lexemes_are_added_to_existing_documents(empty_store: Store) -> None:
    """Migrations 0013 and 0014 derive the group lexemes (`'_.john'`) of older documents."""
    if empty_store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's index is unchanged by 0013 and 0014")
    migrate(empty_store, "0012_owner_counts")
    owner = new_id("a_")
    data: list[dict[str, Any]] = [
        {"name": {"givenName": "José", "familyName": "Núñez"}, "notes": "josé met José"},
        {"emails": [{"value": "ann@example.org"}], "phoneNumbers": [{"value": "415 555 0100"}]},
        {},
    ]
    rows = [contact_row(owner, d) for d in data]
    with empty_store.engine.begin() as conn:
        conn.execute(insert(contacts), rows)
        pks = conn.execute(text("SELECT pk FROM contacts ORDER BY pk")).scalars().all()
        wanted = [document_literal(owner, search_text.document(d, "US")) for d in data]
        # The documents as written before 0013: without the column-less lexemes.
        for pk, literal in zip(pks, wanted, strict=True):
            old = " ".join(x for x in literal.split(" ") if x[1:3] not in ("_.", "=.", "^."))
            conn.execute(
                text(
                    "INSERT INTO contact_search (contact_pk, owner_id, document) "
                    "VALUES (:pk, :owner, CAST(:d AS tsvector))"
                ),
                {"d": old, "pk": pk, "owner": owner},
            )
    upgrade(empty_store)
    with empty_store.engine.begin() as conn:
        for pk, literal in zip(pks, wanted, strict=True):
            stored, expected = conn.execute(
                text(
                    "SELECT document::text, CAST(:d AS tsvector)::text FROM contact_search "
                    "WHERE contact_pk = :pk"
                ),
                {"d": literal, "pk": pk},
            ).one()
            assert stored == expected
    search = SearchService(empty_store, ContactService(empty_store))
    assert search.search_offset(owner, "nun", offset=0, limit=10)[1] == 1
    assert search.search_offset(owner, "5550100", offset=0, limit=10)[1] == 1


def test_matches_after_the_window_are_checked_against_the_tags_asked_for(
    services: Services,
) -> None:
    """Past the window, the first matches failing the contact's conditions are skipped."""
    owner = new_id("a_")
    made = [
        services.contacts.create(owner, {"name": {"givenName": f"Name{i}"}}).contact_id
        for i in range(12)
    ]
    vip = services.tags.create(owner, "VIP").tag_id
    services.tags.manage(owner, [made[i] for i in (3, 8, 10, 11)], add=[vip], remove=[])
    search, _ = recording_search(services, window=2)
    page = search.search(owner, "name", size=2, tag_ids=[vip])
    assert [c.contact_id for c in page.contacts] == [made[3], made[8]]
    rest = search.search(owner, "name", size=2, tag_ids=[vip], cursor=page.cursor)
    assert [c.contact_id for c in rest.contacts] == [made[10], made[11]]
    assert rest.cursor is None
    untagged = search.search(owner, "name", size=3)
    assert [c.contact_id for c in untagged.contacts] == made[:3]


def test_a_bounded_gin_step_finds_the_same_pages(services: Services) -> None:
    """Past the window, GIN's step may first be bounded to the keys where the page's rest
    should lie (when many matches are expected); pages and cursors are the same as when
    every match after the window is read at once, whether the stretch fills the page or
    falls short (matches bunched at the end), for a whole word (up to `BOUNDED_STEPS`
    stretches) and for a short prefix (one)."""
    owner = new_id("a_")
    for i in range(120):
        # Every other contact matches in the window, one in twenty after it (so a stretch
        # sized from the window falls short, and the next is sized from all seen so far),
        # and from the 80th on, every one.
        kim = i % 2 == 0 if i < 6 else i % 20 == 0 if i < 80 else True
        name = "Kim" if kim else "Lee"
        services.contacts.create(owner, {"name": {"givenName": name, "familyName": f"N{i}"}})
    unbounded, _ = recording_search(services, window=6, bounded_above=10**9)
    bounded, _ = recording_search(services, window=6, bounded_above=0)  # wherever it can

    def walk(query: str, size: int, search: SearchService) -> list[str]:
        return walk_search(services, owner, query, size, search)

    whole = {
        (query, size): walk(query, size, unbounded)
        for query in ("kim", "ki")
        for size in (4, 9, 25)
    }
    assert len(whole["kim", 4]) == 46
    assert whole["ki", 4] == whole["kim", 4]
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(services.store.engine, "before_cursor_execute", record)
    try:
        for (query, size), seen in whole.items():
            assert walk(query, size, bounded) == seen, (query, size)
    finally:
        event.remove(services.store.engine, "before_cursor_execute", record)
    if not services.store.is_sqlite:
        steps = [s for s in statements if "contact_search.contact_pk <=" in s]
        assert steps, "no GIN step was bounded"


def test_the_postgres_search_index_has_no_pending_list(services: Services) -> None:
    """Migration 0015: entries go straight into GIN, so searches never read a pending list."""
    if services.store.is_sqlite:
        pytest.skip("FTS5 has no pending list")
    with services.store.read() as conn:
        options = conn.exec_driver_sql(
            "SELECT reloptions FROM pg_class WHERE oid = to_regclass('ix_contact_search_document')"
        ).scalar_one()
    assert options is not None
    assert "fastupdate=off" in options


def test_a_bulk_load_behind_a_long_search_goes_on_without_the_pending_list(
    services: Services,
) -> None:
    """Switching GIN's pending list on waits for the searches using the index, for at most
    the backend's lock timeout; then the load goes on with entries put in the tree at once."""
    if services.store.is_sqlite:
        pytest.skip("FTS5 has no pending list")
    backend = TsvectorBackend(switch_lock_timeout="50ms")
    owner = new_id("a_")
    with services.store.engine.connect() as searching, searching.begin():
        # A search still open holds the index: switching it would have to wait.
        searching.exec_driver_sql("SET LOCAL enable_seqscan = off")
        searching.exec_driver_sql(
            "SELECT count(*) FROM contact_search WHERE document @@ '_.behind'::tsquery"
        )
        with backend.bulk_load(services.store.engine):
            during = gin_fastupdate(services)
            services.contacts.create(owner, {"notes": "behind a search"})
    assert during == "off"
    assert gin_fastupdate(services) == "off"
    found = services.search.search(owner, "behind")
    assert [c.data["notes"] for c in found.contacts] == ["behind a search"]


def gin_fastupdate(services: Services) -> str:
    """The search index's `fastupdate` on PostgreSQL: "on" while GIN defers its entries."""
    with services.store.read() as conn:
        options = conn.exec_driver_sql(
            "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class"
            " WHERE oid = 'ix_contact_search_document'::regclass"
        ).scalar_one()
    return "on" if "fastupdate=on" in options else "off"


def test_a_changed_contact_is_indexed_as_a_new_one_with_its_data(services: Services) -> None:
    """Every write reaches the index through its backend: a save (which replaces what was
    indexed) stores the very document a create (nothing to replace) stores."""
    owner = new_id("a_")
    data = {
        "name": {"givenName": "José", "familyName": "Núñez"},
        "phoneNumbers": [{"value": "+1 (415) 555-0100"}],
        "notes": "Zoë's friend",
    }
    created = services.contacts.create(owner, data)
    changed = services.contacts.create(owner, {"name": {"givenName": "Someone"}})
    services.contacts.replace_data(owner, changed.contact_id, data, etag=changed.etag)
    with services.store.read() as conn:
        documents: dict[str, str] = dict(
            conn.execute(
                select(contacts.c.contact_id, cast(contact_search.c.document, String))
                .join(contact_search, contact_search.c.contact_pk == contacts.c.pk)
                .where(contacts.c.owner_id == owner)
            ).all()
        )
    assert documents[changed.contact_id] == documents[created.contact_id]
    assert "someone" not in documents[changed.contact_id]
    found = services.search.search(owner, "someone")
    assert found.contacts == []
