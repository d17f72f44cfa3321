"""Which address book a page shows: the person's own, or one of their teams' (`?team=`).

The choice travels in the URL (and as a hidden field in forms), not in the session, so
two tabs can show two books and a link always opens the book it was copied from.
Membership is checked on every request by the team service: a team the person left
is refused at once, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from rolodex.accounts.service import Account
from rolodex.teams.model import Team
from rolodex.web.pages.context import Page

TEAM_PARAM = "team"


@dataclass(frozen=True, slots=True)
class Book:
    owner_id: str
    account: Account
    team: Team | None
    teams: list[Team]

    @property
    def name(self) -> str:
        return self.team.name if self.team is not None else "My contacts"

    @property
    def team_id(self) -> str:
        return self.team.team_id if self.team is not None else ""

    def url(self, path: str, **params: Any) -> str:
        """A URL in this book: the team stays in it; empty parameters are left out."""
        query = {k: v for k, v in params.items() if v not in (None, "", False)}
        if self.team is not None:
            query[TEAM_PARAM] = self.team.team_id
        return path + ("?" + urlencode(query, doseq=True) if query else "")

    def new_contact_meta(self) -> dict[str, Any] | None:
        """A team contact is shared by the member who made it (as `contacts.create` does)."""
        return None if self.team is None else {"sharedBy": [self.account.account_id]}


def open_book(p: Page, account: Account) -> Book:
    """The book the request names; NotFound (a 404 page) for a team the person is not in."""
    team_id = p.request.query_params.get(TEAM_PARAM) or p.field(TEAM_PARAM)
    teams = p.services.teams.teams_of(account.account_id)
    if not team_id:
        return Book(account.account_id, account, None, teams)
    p.services.teams.require_member(team_id, account.account_id)
    team = p.services.teams.get(team_id)
    return Book(team.team_id, account, team, teams)
