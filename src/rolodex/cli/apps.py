"""`rolodex apps ...`: OAuth apps (the developer apps page, from the command line)."""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.oauth.apps import App
from rolodex.timestamps import iso

app = typer.Typer(help="Register, list, edit and delete OAuth 2.0 apps.", no_args_is_help=True)

Email = Annotated[str, typer.Option(help="Email of the account that owns the app.")]
ClientId = Annotated[str, typer.Option("--client-id", help="The app's client_id.")]
RedirectUris = Annotated[
    list[str], typer.Option("--redirect-uri", help="A redirect URI (repeat for several).")
]


def _app(made: App) -> dict[str, object]:
    return {
        "client_id": made.client_id,
        "name": made.name,
        "redirect_uris": made.redirect_uris,
        "accountId": made.account_id,
        "created": iso(made.created_at),
    }


@app.command("create")
def create(
    email: Email,
    name: Annotated[str, typer.Option(help="The app's name, shown on the consent page.")],
    redirect_uri: RedirectUris,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Register an app; prints its client_id and client_secret (the secret only this once)."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        made = services.apps.create(account.account_id, name, redirect_uri)
    shown = _app(made.app)
    print_json({"client_id": shown.pop("client_id"), "client_secret": made.client_secret, **shown})


@app.command("list")
def list_apps(email: Email, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """The account's apps, newest first (never their secrets)."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        found = services.apps.list_for(account.account_id)
    print_json([_app(a) for a in found])


@app.command("update")
def update(
    email: Email,
    client_id: ClientId,
    name: Annotated[str, typer.Option(help="The app's new name.")],
    redirect_uri: RedirectUris,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Rename an app and replace its redirect URIs."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        changed = services.apps.update(account.account_id, client_id, name, redirect_uri)
    print_json(_app(changed))


@app.command("delete")
def delete(
    email: Email,
    client_id: ClientId,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Delete an app; every token it was given stops working at once."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        services.apps.delete(account.account_id, client_id)
    print_json({"client_id": client_id, "deleted": True})
