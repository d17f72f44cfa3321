"""A team, its members and their roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from rolodex.errors import InvalidInput

OWNER = "owner"
ADMIN = "admin"
MEMBER = "member"
ROLES = (OWNER, ADMIN, MEMBER)
MAX_NAME = 256

# Team ids are also the `owner_id` of the team's contacts and tags; the prefix is how a
# contact shows it is a team contact (accounts are "a_...").
TEAM_ID_PREFIX = "t_"


@dataclass(frozen=True, slots=True)
class Member:
    account_id: str
    name: str
    email: str
    role: str


@dataclass(slots=True)
class Team:
    team_id: str
    name: str
    created_at: int
    updated_at: int
    members: list[Member] = field(default_factory=list)


def is_team_id(owner_id: str) -> bool:
    return owner_id.startswith(TEAM_ID_PREFIX)


def clean_team_name(raw: str) -> str:
    name = raw.strip()
    if not name:
        raise InvalidInput("must not be empty", field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"must be at most {MAX_NAME} characters", field="name")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"must be one of {', '.join(ROLES)}", field="role")
    return role
