"""What every `rolodex` subcommand shares: the store options, settings and JSON output."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from rolodex.actors import CLI, Actor, acting_as
from rolodex.errors import DomainError, NotFound
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


def write_listing(name: str, items: Iterable[dict[str, Any]]) -> None:
    """Print `{name: [items]}` as `print_json` would, one item at a time as they come."""
    first = True
    for item in items:
        body = json.dumps(item, indent=2).replace("\n", "\n    ")
        typer.echo(f'{{\n  "{name}": [\n    {body}' if first else f",\n    {body}", nl=False)
        first = False
    typer.echo(f'{{\n  "{name}": []\n}}' if first else "\n  ]\n}")


def fail(exc: DomainError) -> NoReturn:
    """Report a refused command as JSON on stderr and exit 1."""
    error = {"code": exc.code, "message": exc.message, "field": exc.field}
    typer.echo(json.dumps({"error": error}), err=True)
    raise typer.Exit(code=1)


def require_store(settings: Settings) -> None:
    """Stop (exit 1, JSON on stderr) unless the settings name an existing Rolodex store.

    Without this, a command given the wrong folder (or none, in the wrong directory)
    would make an empty store there and answer "no account with this email". Looked at
    without creating anything: the SQLite file must exist, and any database must hold
    the table Alembic keeps its revision in.
    """
    url = settings.resolved_database_url()
    parsed = make_url(url)
    where = (
        parsed.render_as_string(hide_password=True)
        if settings.database_url
        else str(settings.data_dir)
    )
    missing = NotFound(
        f"no Rolodex store in {where}: pass the --data-dir (or --database-url) that "
        "`rolodex serve` uses, or make the store with `rolodex accounts create`",
        field="database_url" if settings.database_url else "data_dir",
    )
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and (not parsed.database or not Path(parsed.database).is_file()):
        fail(missing)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = inspect(conn).has_table("alembic_version")
    except SQLAlchemyError as exc:
        original = getattr(exc, "orig", None)  # the driver's own sentence, when there is one
        reason = str(original if original is not None else exc)
        fail(DomainError(f"cannot open the store: {reason.strip().splitlines()[0]}"))
    finally:
        engine.dispose()
    if not found:
        fail(missing)


@contextmanager
def open_services(
    data_dir: Path | None, database_url: str | None, *, create_store: bool = False
) -> Iterator[Services]:
    """The services one command works with (the store migrated), closed when it is done.

    The store must exist already (`require_store`) unless `create_store`. A refusal
    from a service (a DomainError) is reported as JSON on stderr, exit 1.
    """
    settings = settings_from(data_dir, database_url)
    if not create_store:
        require_store(settings)
    services = Services.build(settings)
    try:
        # Whatever a command writes, its versions say "cli" (docs/history.md).
        with acting_as(Actor(kind=CLI, name="cli")):
            yield services
    except DomainError as exc:
        fail(exc)
    finally:
        services.close()
