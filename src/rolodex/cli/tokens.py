"""`rolodex tokens ...`: bearer access tokens for administrators and scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.oauth.credentials import ACCESS_TOKEN
from rolodex.oauth.scopes import format_scopes, parse_scopes
from rolodex.timestamps import iso

app = typer.Typer(help="Issue bearer access tokens.", no_args_is_help=True)


@app.command("create")
def create(
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
    with open_services(data_dir, database_url) as services:
        granted = parse_scopes(scopes)
        account = services.accounts.find_by_email(email)
        issued = services.credentials.issue(
            account.account_id, granted, kind=ACCESS_TOKEN, ttl_seconds=ttl
        )
    print_json(
        {
            "access_token": issued.secret,
            "token_type": "Bearer",
            "scope": format_scopes(issued.scopes),
            "accountId": account.account_id,
            "expires": None if issued.expires_at is None else iso(issued.expires_at),
        }
    )
