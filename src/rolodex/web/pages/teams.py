"""Teams: the teams you belong to with their members; create a team; owners and admins add and remove members.

Who may change a team is decided in the team service (require_manager), not here; this
page only turns its refusals into a message on the page. A team you are not in answers
"no such team", the same as one that does not exist.
"""

from __future__ import annotations

from starlette.responses import Response

from rolodex.errors import Conflict, DomainError, InvalidInput, NotFound
from rolodex.teams.model import ADMIN, OWNER, ROLES
from rolodex.web.pages.context import Page, page, redirect

_HERE = "/settings/teams"

# The one-line messages a successful POST redirects back with (a fixed set, so the
# query string cannot put words of someone else's choosing on the page).
DONE = {
    "created": "Team created.",
    "added": "Member added.",
    "removed": "Member removed.",
}


def _status_of(exc: DomainError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict):
        return 409
    return 400


def _show(p: Page, account_id: str, status: int = 200, error: str | None = None) -> Response:
    done = DONE.get(p.request.query_params.get("done", ""))
    return p.render(
        "teams.html",
        status,
        title="Teams",
        teams=p.services.teams.teams_of(account_id),
        me=account_id,
        managers=(OWNER, ADMIN),
        roles=ROLES,
        done=None if error else done,
        error=error,
    )


@page
def teams(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    if p.request.method == "POST":
        try:
            p.services.teams.create(account.account_id, p.field("name"))
        except InvalidInput as exc:
            return _show(p, account.account_id, 400, exc.message)
        return redirect(_HERE + "?done=created")
    return _show(p, account.account_id)


@page
def add_member(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect(_HERE)
    team_id = p.request.path_params["team_id"]
    try:
        # Checked before the email is looked up, so an outsider learns nothing about accounts.
        p.services.teams.require_manager(team_id, account.account_id)
        member = p.services.accounts.find_by_email(p.field("email"))
        p.services.teams.add_member(
            team_id, member.account_id, p.field("role") or "member", actor_id=account.account_id
        )
    except DomainError as exc:
        return _show(p, account.account_id, _status_of(exc), exc.message)
    return redirect(_HERE + "?done=added")


@page
def remove_member(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect(_HERE)
    try:
        p.services.teams.remove_member(
            p.request.path_params["team_id"],
            p.request.path_params["account_id"],
            actor_id=account.account_id,
        )
    except DomainError as exc:
        return _show(p, account.account_id, _status_of(exc), exc.message)
    return redirect(_HERE + "?done=removed")
