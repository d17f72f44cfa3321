"""Migrations: an empty database is brought to the current schema, and again is a no-op."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.store.schema import metadata


def test_a_fresh_sqlite_store_is_created_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"
    services = Services.build(Settings(data_dir=data_dir))
    try:
        assert (data_dir / "rolodex.sqlite3").exists()
        tables = set(inspect(services.store.engine).get_table_names())
        assert set(metadata.tables) <= tables
        with services.store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        services.close()
    again = Services.build(Settings(data_dir=data_dir))  # upgrading twice changes nothing
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
