"""The `rolodex` command. Each subcommand group lives in its own module here.

Every command takes the same `--data-dir` / `--database-url` (or `ROLODEX_DATA_DIR` /
`ROLODEX_DATABASE_URL`) and prints JSON, so scripts can read what it made.
"""

from __future__ import annotations

import sys

import typer

from rolodex.cli import (
    accounts,
    api_keys,
    apps,
    backups,
    imports,
    photos,
    serve,
    teams,
    tokens,
    worker,
)

app = typer.Typer(help="Rolodex, a self-hosted contacts server.", no_args_is_help=True)
app.command()(serve.serve)
app.command()(worker.worker)
app.command("import")(imports.import_contacts)
app.command()(backups.backup)
app.command()(backups.restore)
app.add_typer(accounts.app, name="accounts")
app.add_typer(api_keys.app, name="api-keys")
app.add_typer(apps.app, name="apps")
app.add_typer(tokens.app, name="tokens")
app.add_typer(teams.app, name="teams")
app.add_typer(photos.app, name="photos")


def main() -> None:
    sys.exit(app())
