"""`rolodex api-keys ...`: API keys for the REST API (`x-api-key`) and the personal API.

The key itself is printed once, when it is made; only its hash is stored.
"""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.errors import NotFound
from rolodex.oauth.credentials import API_KEY, CredentialInfo
from rolodex.oauth.scopes import format_scopes, parse_scopes
from rolodex.ratelimit.tiers import TRIAL, set_tier
from rolodex.timestamps import iso

app = typer.Typer(help="Manage API keys.", no_args_is_help=True)

# What the two APIs that take keys need (docs/scopes.md); `--scopes` grants others.
DEFAULT_SCOPES = "contacts.read,contacts.write"

Email = Annotated[str, typer.Option(help="The account's email.")]


def _info(info: CredentialInfo) -> dict[str, object]:
    return {
        "id": info.credential_id,
        "name": info.name,
        "scope": format_scopes(info.scopes),
        "created": iso(info.created_at),
        "revoked": None if info.revoked_at is None else iso(info.revoked_at),
    }


@app.command("create")
def create(
    email: Email,
    scopes: Annotated[
        str, typer.Option(help="Comma-separated scopes.", show_default=True)
    ] = DEFAULT_SCOPES,
    name: Annotated[str | None, typer.Option(help="A label to recognise the key by.")] = None,
    trial: Annotated[
        bool, typer.Option(help="A trial key: the REST API's lower rate limit.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Make an API key for an account; the key is shown this once."""
    with open_services(data_dir, database_url) as services:
        granted = parse_scopes(scopes)
        account = services.accounts.find_by_email(email)
        issued = services.credentials.issue(account.account_id, granted, kind=API_KEY, name=name)
        if trial:
            set_tier(services.store, issued.credential_id, TRIAL)
    print_json(
        {
            "id": issued.credential_id,
            "api_key": issued.secret,
            "name": name,
            "scope": format_scopes(issued.scopes),
            "accountId": account.account_id,
            "created": iso(issued.created_at),
        }
    )


@app.command("list")
def list_keys(email: Email, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """The account's API keys, newest first, revoked ones included (never the keys themselves)."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        keys = services.credentials.list_for(account.account_id, API_KEY)
    print_json([_info(k) for k in keys])


@app.command("revoke")
def revoke(
    email: Email,
    key_id: Annotated[str, typer.Option("--id", help="The key's id (from `create` or `list`).")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke one of the account's API keys; it stops working on the next request."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        ids = {k.credential_id for k in services.credentials.list_for(account.account_id, API_KEY)}
        if key_id not in ids or not services.credentials.revoke(account.account_id, key_id):
            raise NotFound("no such live API key for this account", field="id")
    print_json({"id": key_id, "revoked": True})
