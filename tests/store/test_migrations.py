"""Migrations: an empty database is brought to the current schema, and again is a no-op."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect

from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.store.schema import metadata


def _schema(engine: Engine) -> dict[str, object]:
    """Every table's columns and indexes, and the migration the store says it is at."""
    inspector = inspect(engine)
    shape: dict[str, object] = {
        name: (
            sorted(c["name"] for c in inspector.get_columns(name)),
            sorted(
                (i["name"] or "", tuple(i["column_names"])) for i in inspector.get_indexes(name)
            ),
        )
        for name in inspector.get_table_names()
    }
    with engine.connect() as conn:
        shape["alembic_version"] = conn.exec_driver_sql(
            "SELECT version_num FROM alembic_version"
        ).all()
    return shape


def test_a_fresh_sqlite_store_is_created_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"
    services = Services.build(Settings(data_dir=data_dir))
    try:
        assert (data_dir / "rolodex.sqlite3").exists()
        tables = set(inspect(services.store.engine).get_table_names())
        assert set(metadata.tables) <= tables
        with services.store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        account = services.accounts.create("twice@example.com", "a long password", "Twice")
        contact = services.contacts.create(account.account_id, {"name": {"givenName": "Kept"}})
        before = _schema(services.store.engine)
    finally:
        services.close()

    again = Services.build(Settings(data_dir=data_dir))
    try:
        # Upgrading a store that is already at the head changes neither its schema nor its data.
        assert _schema(again.store.engine) == before
        kept = again.contacts.get_many(account.account_id, [contact.contact_id])
        assert [c.contact_id for c in kept] == [contact.contact_id]
    finally:
        again.close()


def test_the_migrated_schema_matches_the_declared_tables(services: Services) -> None:
    inspector = inspect(services.store.engine)
    for name, table in metadata.tables.items():
        columns = {c["name"] for c in inspector.get_columns(name)}
        assert {c.name for c in table.columns} <= columns, name


def test_the_migration_history_has_one_head(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    from rolodex.store.engine import Store
    from rolodex.store.migrate import alembic_config

    config = alembic_config(Store(f"sqlite:///{tmp_path / 'heads.sqlite3'}"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"merge the branches: {heads}"
