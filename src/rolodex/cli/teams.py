"""`rolodex teams ...`: create teams and manage their members."""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json

# The JSON is the team as `teams.get` shows it, so scripts read one shape everywhere.
from rolodex.contactsplus_objects import render_team

app = typer.Typer(help="Manage teams and their members.", no_args_is_help=True)

Role = Annotated[str, typer.Option(help="owner, admin or member.")]


@app.command("create")
def create(
    email: Annotated[str, typer.Option(help="Email of the account that will own the team.")],
    name: Annotated[str, typer.Option(help="The team's name.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a team, with the given account as its owner."""
    with open_services(data_dir, database_url) as services:
        owner = services.accounts.find_by_email(email)
        team = services.teams.create(owner.account_id, name)
    print_json(render_team(team))


@app.command("add-member")
def add_member(
    team: Annotated[str, typer.Option(help="The team's id (t_...).")],
    email: Annotated[str, typer.Option(help="Email of the account to add.")],
    role: Role = "member",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add an account to a team."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        changed = services.teams.add_member(team, account.account_id, role)
    print_json(render_team(changed))


@app.command("remove-member")
def remove_member(
    team: Annotated[str, typer.Option(help="The team's id (t_...).")],
    email: Annotated[str, typer.Option(help="Email of the account to remove.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Remove an account from a team; its access to the team's data ends at once."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        changed = services.teams.remove_member(team, account.account_id)
    print_json(render_team(changed))
