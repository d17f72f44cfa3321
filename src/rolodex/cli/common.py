"""What every `rolodex` subcommand shares: the store options, settings and JSON output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from rolodex.errors import DomainError
from rolodex.services import Services
from rolodex.settings import Settings

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Folder for the SQLite store (default ./data).", show_default=False
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="PostgreSQL URL instead of SQLite.", show_default=False),
]


def settings_from(data_dir: Path | None, database_url: str | None) -> Settings:
    """Settings from the environment, with the command-line options taking precedence."""
    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    return Settings(**overrides)


def print_json(value: dict[str, Any] | list[Any]) -> None:
    typer.echo(json.dumps(value, indent=2))


def fail(exc: DomainError) -> NoReturn:
    """Report a refused command as JSON on stderr and exit 1."""
    error = {"code": exc.code, "message": exc.message, "field": exc.field}
    typer.echo(json.dumps({"error": error}), err=True)
    raise typer.Exit(code=1)


@contextmanager
def open_services(data_dir: Path | None, database_url: str | None) -> Iterator[Services]:
    """The services one command works with (the store migrated), closed when it is done.

    A refusal from a service (a DomainError) is reported as JSON on stderr, exit 1.
    """
    services = Services.build(settings_from(data_dir, database_url))
    try:
        yield services
    except DomainError as exc:
        fail(exc)
    finally:
        services.close()
