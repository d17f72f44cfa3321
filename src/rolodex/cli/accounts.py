"""`rolodex accounts ...`: manage accounts."""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.timestamps import iso

app = typer.Typer(help="Manage accounts.", no_args_is_help=True)


@app.command("create")
def create(
    email: Annotated[str, typer.Option(help="Email address (the login).")],
    password: Annotated[str, typer.Option(help="Password, 8 characters or more.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.create(email, password, name)
    print_json(
        {
            "accountId": account.account_id,
            "email": account.email,
            "name": account.name,
            "created": iso(account.created_at),
        }
    )
