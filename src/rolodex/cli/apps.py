"""`rolodex apps ...`: register OAuth apps (the developer apps page, from the command line)."""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.timestamps import iso

app = typer.Typer(help="Register OAuth 2.0 apps.", no_args_is_help=True)


@app.command("create")
def create(
    email: Annotated[str, typer.Option(help="Email of the account that owns the app.")],
    name: Annotated[str, typer.Option(help="The app's name, shown on the consent page.")],
    redirect_uri: Annotated[
        list[str], typer.Option("--redirect-uri", help="A redirect URI (repeat for several).")
    ],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Register an app; prints its client_id and client_secret (the secret only this once)."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        made = services.apps.create(account.account_id, name, redirect_uri)
    print_json(
        {
            "client_id": made.app.client_id,
            "client_secret": made.client_secret,
            "name": made.app.name,
            "redirect_uris": made.app.redirect_uris,
            "accountId": account.account_id,
            "created": iso(made.app.created_at),
        }
    )
