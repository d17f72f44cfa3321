"""`rolodex app-passwords ...`: the HTTP Basic passwords of CardDAV clients (docs/carddav.md).

The password is printed once, when it is made; only its hash is stored.
"""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.oauth.app_passwords import AppPasswordInfo
from rolodex.timestamps import iso

app = typer.Typer(help="Manage app passwords (CardDAV sign-in).", no_args_is_help=True)

Email = Annotated[str, typer.Option(help="The account's email.")]


def _info(info: AppPasswordInfo) -> dict[str, object]:
    return {
        "credentialId": info.credential_id,
        "name": info.name,
        "readOnly": info.read_only,
        "created": iso(info.created_at),
        "lastUsed": None if info.last_used_at is None else iso(info.last_used_at),
        "lastClient": info.last_client,
    }


@app.command("create")
def create(
    email: Email,
    name: Annotated[str, typer.Option(help="The device it is for, to tell passwords apart.")],
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Reads only: the device cannot change contacts.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Make an app password for an account; the password is shown this once."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        issued = services.app_passwords.create(account.account_id, name, read_only)
    print_json(
        {
            "credentialId": issued.credential_id,
            "password": issued.password,
            "name": issued.name,
            "readOnly": issued.read_only,
            "username": account.email,
            "created": iso(issued.created_at),
        }
    )


@app.command("list")
def list_passwords(
    email: Email, data_dir: DataDir = None, database_url: DatabaseUrl = None
) -> None:
    """The account's live app passwords, newest first (never the passwords themselves)."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        found = services.app_passwords.list(account.account_id)
    print_json([_info(i) for i in found])


@app.command("revoke")
def revoke(
    email: Email,
    credential_id: Annotated[
        str, typer.Option("--id", help="The password's credentialId (from `create` or `list`).")
    ],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke one of the account's app passwords; the next request with it is refused."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        services.app_passwords.revoke(account.account_id, credential_id)
    print_json({"credentialId": credential_id, "revoked": True})
