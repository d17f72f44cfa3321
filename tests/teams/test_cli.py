"""`rolodex teams create / add-member / remove-member`, against the test store."""

from __future__ import annotations

import json
import secrets

import pytest
from typer.testing import CliRunner

from rolodex.cli import app
from rolodex.services import Services


def store_options(services: Services) -> list[str]:
    settings = services.settings
    if settings.database_url:
        return ["--database-url", settings.database_url]
    return ["--data-dir", str(settings.data_dir)]


def run(services: Services, *args: str) -> tuple[int, object]:
    result = CliRunner().invoke(app, [*args, *store_options(services)])
    output = result.stdout if result.exit_code == 0 else result.stderr
    return result.exit_code, json.loads(output)


def account(services: Services, name: str = "Member") -> str:
    email = f"cli-{secrets.token_hex(6)}@example.com"
    services.accounts.create(email, "correct horse battery", name)
    return email


def test_create_add_and_remove_members(services: Services) -> None:
    owner, member = account(services, "Owner"), account(services)
    code, team = run(services, "teams", "create", "--email", owner, "--name", " Sales ")
    assert code == 0
    assert isinstance(team, dict)
    team_id = team["teamId"]
    assert team["teamData"] == {"name": "Sales"}
    assert [(m["email"], m["role"]) for m in team["teamMembers"]] == [(owner, "owner")]

    code, team = run(
        services, "teams", "add-member", "--team", team_id, "--email", member, "--role", "admin"
    )
    assert code == 0
    assert isinstance(team, dict)
    assert [(m["email"], m["role"]) for m in team["teamMembers"]] == [
        (owner, "owner"),
        (member, "admin"),
    ]
    member_id = services.accounts.find_by_email(member).account_id
    services.teams.require_member(team_id, member_id)

    code, team = run(services, "teams", "remove-member", "--team", team_id, "--email", member)
    assert code == 0
    assert isinstance(team, dict)
    assert [m["email"] for m in team["teamMembers"]] == [owner]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["teams", "create", "--email", "nobody@example.com", "--name", "X"], "email"),
        (["teams", "add-member", "--team", "t_missing", "--email", "{member}"], "teamId"),
        (
            ["teams", "add-member", "--team", "{team}", "--email", "{member}", "--role", "boss"],
            "role",
        ),
        (["teams", "add-member", "--team", "{team}", "--email", "{owner}"], "email"),
        (["teams", "remove-member", "--team", "{team}", "--email", "{member}"], "email"),
        (["teams", "remove-member", "--team", "{team}", "--email", "{owner}"], "email"),
        (["teams", "create", "--email", "{owner}", "--name", "  "], "name"),
    ],
)
def test_refusals_are_json_errors(services: Services, args: list[str], field: str) -> None:
    owner, member = account(services), account(services)
    team = services.teams.create(services.accounts.find_by_email(owner).account_id, "T")
    filled = [a.format(team=team.team_id, owner=owner, member=member) for a in args]
    code, out = run(services, *filled)
    assert code == 1
    assert isinstance(out, dict)
    assert out["error"]["field"] == field
