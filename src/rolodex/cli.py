"""The `rolodex` command: serve, and the administrator's account and token tools.

Every command takes the same `--data-dir` / `--database-url` (or `ROLODEX_DATA_DIR` /
`ROLODEX_DATABASE_URL`) and prints JSON, so scripts can read what it made.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from rolodex.errors import DomainError
from rolodex.oauth.credentials import ACCESS_TOKEN
from rolodex.oauth.scopes import format_scopes, parse_scopes
from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.timestamps import iso

app = typer.Typer(help="Rolodex, a self-hosted contacts server.", no_args_is_help=True)
accounts_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
tokens_app = typer.Typer(help="Issue bearer access tokens.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")
app.add_typer(tokens_app, name="tokens")

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder for the SQLite store (default ./data).", show_default=False),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="PostgreSQL URL instead of SQLite.", show_default=False),
]


def _settings(data_dir: Path | None, database_url: str | None) -> Settings:
    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    return Settings(**overrides)


def _print(value: dict[str, Any]) -> None:
    typer.echo(json.dumps(value, indent=2))


def _fail(exc: DomainError) -> None:
    typer.echo(json.dumps({"error": {"code": exc.code, "message": exc.message, "field": exc.field}}), err=True)
    raise typer.Exit(code=1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[int, typer.Option(help="Server processes.")] = 1,
) -> None:
    """Serve every API on one port (migrating the store first)."""
    import uvicorn

    from rolodex.app import create_app

    settings = _settings(data_dir, database_url)
    Services.build(settings).close()  # migrate once, before any worker starts
    if workers > 1:
        import os

        os.environ["ROLODEX_DATA_DIR"] = str(settings.data_dir)
        if settings.database_url:
            os.environ["ROLODEX_DATABASE_URL"] = settings.database_url
        uvicorn.run(
            "rolodex.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@accounts_app.command("create")
def accounts_create(
    email: Annotated[str, typer.Option(help="Email address (the login).")],
    password: Annotated[str, typer.Option(help="Password, 8 characters or more.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account."""
    services = Services.build(_settings(data_dir, database_url))
    try:
        account = services.accounts.create(email, password, name)
    except DomainError as exc:
        _fail(exc)
    finally:
        services.close()
    _print(
        {
            "accountId": account.account_id,
            "email": account.email,
            "name": account.name,
            "created": iso(account.created_at),
        }
    )


@tokens_app.command("create")
def tokens_create(
    email: Annotated[str, typer.Option(help="The account's email.")],
    scopes: Annotated[
        str | None, typer.Option(help="Comma-separated scopes (default: every scope).")
    ] = None,
    ttl: Annotated[
        int | None, typer.Option(help="Lifetime in seconds (default: no expiry).", min=60)
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Issue a bearer access token for an account."""
    services = Services.build(_settings(data_dir, database_url))
    try:
        granted = parse_scopes(scopes)
        account = services.accounts.find_by_email(email)
        issued = services.credentials.issue(
            account.account_id, granted, kind=ACCESS_TOKEN, ttl_seconds=ttl
        )
    except DomainError as exc:
        _fail(exc)
    finally:
        services.close()
    _print(
        {
            "access_token": issued.secret,
            "token_type": "Bearer",
            "scope": format_scopes(issued.scopes),
            "accountId": account.account_id,
            "expires": None if issued.expires_at is None else iso(issued.expires_at),
        }
    )


def main() -> None:
    sys.exit(app())
