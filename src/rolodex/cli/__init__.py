"""The `rolodex` command. Each subcommand group lives in its own module here.

Every command takes the same `--data-dir` / `--database-url` (or `ROLODEX_DATA_DIR` /
`ROLODEX_DATABASE_URL`) and prints JSON, so scripts can read what it made.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup
from typer.main import get_command

from rolodex.cli import (
    accounts,
    api_keys,
    app_passwords,
    apps,
    backups,
    duplicates,
    exports,
    history,
    imports,
    merges,
    photos,
    serve,
    teams,
    tokens,
    worker,
)

app = typer.Typer(help="Rolodex, a self-hosted contacts server.", no_args_is_help=True)


def _show_version(asked: bool) -> None:
    if asked:
        try:
            number = version("rolodex")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "unknown"
        typer.echo(f"rolodex {number}")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_show_version
        ),
    ] = False,
) -> None:
    """Rolodex, a self-hosted contacts server."""


app.command()(serve.serve)
app.command()(worker.worker)
app.command("import")(imports.import_contacts)
app.command("export")(exports.export_contacts)
app.command()(backups.backup)
app.command()(backups.restore)
app.command()(history.history)
app.command()(history.undo)
app.add_typer(history.trash_app, name="trash")
app.command("duplicates")(duplicates.find_duplicates)
app.command()(merges.merge)
app.command()(merges.unmerge)
app.add_typer(accounts.app, name="accounts")
app.add_typer(api_keys.app, name="api-keys")
app.add_typer(app_passwords.app, name="app-passwords")
app.add_typer(apps.app, name="apps")
app.add_typer(tokens.app, name="tokens")
app.add_typer(teams.app, name="teams")
app.add_typer(photos.app, name="photos")


# Typer labels an option with its Python type; these are the usual words instead.
_TYPE_WORDS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH"}


def _fixed_label(word: str) -> Callable[[Any], str]:
    def label(ctx: Any) -> str:
        return word

    return label


def _plain_help(command: Any) -> None:
    """Show options as `--email TEXT` and flags bare, not typer's `<str>` and `<bool>`.

    A metavar, when set, takes the place of typer's type label; the help option is
    made here (it is otherwise made on first use) so that it gets one too.
    """
    options = list(command.params)
    help_option = command.get_help_option(typer.Context(command))
    if help_option is not None:
        options.append(help_option)
    for param in options:
        if getattr(param, "metavar", "set") is not None:
            continue
        if isinstance(param, TyperArgument):
            # typer shows an argument's type as `<file>` whatever its metavar: say PATH.
            param.metavar = (param.name or "value").upper()
            param.display_type_rich = _fixed_label(  # type: ignore[method-assign, assignment]
                _TYPE_WORDS.get(param.bare_type(), "VALUE")
            )
        elif getattr(param, "is_flag", False):
            param.metavar = ""
        else:
            # typer's own name for the type ("str", "list[str]"), else click's ("text").
            bare_type = getattr(param, "bare_type", None)
            bare = bare_type() if callable(bare_type) else str(param.type.name)
            bare = bare.removeprefix("list[").removesuffix("]")
            param.metavar = _TYPE_WORDS.get(bare, bare.split()[0].upper())
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _plain_help(sub)


def command() -> Any:
    """The `rolodex` command as it runs (typer's click command), with plain help labels."""
    built = get_command(app)
    _plain_help(built)
    return built


def main() -> None:
    sys.exit(command()())
