"""`rolodex accounts ...`: create, list, change the password of, and delete accounts.

A password never has to be on the command line (where `ps` and the shell's history
would show it): it is read from standard input when that is not a terminal (one line),
or asked for twice at the terminal. `--password` remains for scripts that accept that.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rolodex.accounts.service import Account
from rolodex.cli.common import DatabaseUrl, DataDir, fail, open_services, print_json
from rolodex.errors import InvalidInput
from rolodex.timestamps import iso

app = typer.Typer(help="Manage accounts.", no_args_is_help=True)

Email = Annotated[str, typer.Option(help="The account's email (the login).")]


def _account(account: Account) -> dict[str, object]:
    return {
        "accountId": account.account_id,
        "email": account.email,
        "name": account.name,
        "created": iso(account.created_at),
    }


def read_password(given: str | None) -> str:
    """The password: `given` if any, else one line of standard input, else asked twice."""
    if given is not None:
        return given
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            fail(InvalidInput("no password on standard input (one line)", field="password"))
        return password
    answer: str = typer.prompt("New password", hide_input=True, confirmation_prompt=True, err=True)
    return answer


@app.command("create")
def create(
    email: Email,
    password: Annotated[
        str | None,
        typer.Option(
            help="For scripts only: without it the password is read from standard input, "
            "or asked for. 8 characters or more."
        ),
    ] = None,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account (and the store, on first use)."""
    secret = read_password(password)
    with open_services(data_dir, database_url, create_store=True) as services:
        account = services.accounts.create(email, secret, name)
    print_json(_account(account))


@app.command("list")
def list_accounts(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Every account, oldest first, as JSON."""
    with open_services(data_dir, database_url) as services:
        found = services.accounts.list_all()
    print_json([_account(a) for a in found])


@app.command("set-password")
def set_password(
    email: Email,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Set an account's password (from standard input, or asked for); ends its web sessions."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        services.accounts.set_password(account.account_id, read_password(None))
    print_json({"accountId": account.account_id, "email": account.email, "passwordSet": True})


@app.command("delete")
def delete(
    email: Email,
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: the account and all it owns go, for good.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Delete an account with its contacts, tags, webhooks, apps, keys, tokens and sessions."""
    if not yes:
        fail(
            InvalidInput("deleting an account cannot be undone: pass --yes to confirm", field="yes")
        )
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        gone = services.account_deletion.delete(account.account_id)
    print_json(
        {
            "accountId": gone.account_id,
            "email": gone.email,
            "deleted": True,
            "contactsDeleted": gone.contacts,
            "teamsDeleted": gone.teams_deleted,
            "teamsLeft": gone.teams_left,
        }
    )
