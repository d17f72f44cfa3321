"""Bring a database's schema up to date with Alembic, programmatically.

The server and every CLI command call `upgrade` first, so a fresh data folder or an
empty PostgreSQL database is ready without a separate step.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from rolodex.store.engine import Store

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(store: Store) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", store.url.replace("%", "%%"))
    return config


def upgrade(store: Store) -> None:
    """Apply every migration not yet applied (a no-op on an up-to-date database)."""
    config = alembic_config(store)
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
