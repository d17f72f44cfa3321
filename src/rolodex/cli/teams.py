"""`rolodex teams ...`: create teams and manage their members."""

from __future__ import annotations

from typing import Annotated

import typer

# The JSON is the team as `teams.get` shows it, so scripts read one shape everywhere.
from rolodex.api.contactsplus.render import render_team
from rolodex.cli.common import DatabaseUrl, DataDir, fail, print_json, settings_from
from rolodex.errors import DomainError
from rolodex.services import Services

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
    services = Services.build(settings_from(data_dir, database_url))
    try:
        owner = services.accounts.find_by_email(email)
        team = services.teams.create(owner.account_id, name)
    except DomainError as exc:
        fail(exc)
    finally:
        services.close()
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
    services = Services.build(settings_from(data_dir, database_url))
    try:
        account = services.accounts.find_by_email(email)
        changed = services.teams.add_member(team, account.account_id, role)
    except DomainError as exc:
        fail(exc)
    finally:
        services.close()
    print_json(render_team(changed))


@app.command("remove-member")
def remove_member(
    team: Annotated[str, typer.Option(help="The team's id (t_...).")],
    email: Annotated[str, typer.Option(help="Email of the account to remove.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Remove an account from a team; its access to the team's data ends at once."""
    services = Services.build(settings_from(data_dir, database_url))
    try:
        account = services.accounts.find_by_email(email)
        changed = services.teams.remove_member(team, account.account_id)
    except DomainError as exc:
        fail(exc)
    finally:
        services.close()
    print_json(render_team(changed))
