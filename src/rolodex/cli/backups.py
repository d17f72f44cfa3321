"""`rolodex backup` and `rolodex restore`: copies of the embedded store and its files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rolodex.cli.common import (
    DatabaseUrl,
    DataDir,
    fail,
    print_json,
    require_store,
    settings_from,
)
from rolodex.errors import DomainError
from rolodex.store import backup as backups


def backup(
    out: Annotated[Path, typer.Option("--out", help="The archive to write (.tar.gz).")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write a consistent backup of a live SQLite store, with the data folder's files."""
    settings = settings_from(data_dir, database_url)
    require_store(settings)
    try:
        made = backups.backup(settings.resolved_database_url(), settings.data_dir, out)
    except DomainError as exc:
        fail(exc)
    print_json({"archive": str(out), **made})


def restore(
    archive: Annotated[
        Path, typer.Option("--from", help="A backup archive.", exists=True, dir_okay=False)
    ],
    force: Annotated[bool, typer.Option(help="Replace a store already in the folder.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Restore a backup into a data folder (stop the server first)."""
    settings = settings_from(data_dir, None)
    try:
        done = backups.restore(archive, settings.data_dir, force=force)
    except DomainError as exc:
        fail(exc)
    print_json({"restoredInto": str(settings.data_dir), **done})
