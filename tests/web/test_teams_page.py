"""The teams page: create a team, owners and admins add and remove members, outsiders see nothing."""

from __future__ import annotations

import httpx2
from starlette.testclient import TestClient

from rolodex.services import Services
from rolodex.teams.model import Team
from tests.web.browser import Browser, new_browser

PAGE = "/settings/teams"


def _account_id(services: Services, browser: Browser) -> str:
    return services.accounts.find_by_email(browser.email).account_id


def _person(client: TestClient) -> Browser:
    browser = new_browser(client)
    browser.sign_up()
    return browser


def _create(browser: Browser, services: Services, name: str = "Sales") -> Team:
    response = browser.submit(PAGE, PAGE, {"name": name})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == PAGE + "?done=created"
    teams = services.teams.teams_of(_account_id(services, browser))
    return next(t for t in teams if t.name == name)


def _add(browser: Browser, team: Team, email: str, role: str = "member") -> httpx2.Response:
    return browser.submit(PAGE, f"{PAGE}/{team.team_id}/members", {"email": email, "role": role})


def _remove(browser: Browser, team: Team, account_id: str) -> httpx2.Response:
    return browser.submit(PAGE, f"{PAGE}/{team.team_id}/members/{account_id}/remove", {})


def _roles(services: Services, team: Team) -> dict[str, str]:
    return {m.account_id: m.role for m in services.teams.get(team.team_id).members}


def test_the_page_needs_a_login(browser: Browser) -> None:
    assert browser.get(PAGE).status_code == 303


def test_creating_a_team_makes_you_its_owner(browser: Browser, services: Services) -> None:
    browser.sign_up()
    team = _create(browser, services, "Field crew")
    assert _roles(services, team) == {_account_id(services, browser): "owner"}
    page = browser.get(PAGE + "?done=created")
    assert "Field crew" in page.text
    assert "Team created." in page.text
    assert 'href="/settings/teams"' in page.text


def test_a_team_needs_a_name(browser: Browser) -> None:
    browser.sign_up()
    response = browser.submit(PAGE, PAGE, {"name": "  "})
    assert response.status_code == 400
    assert "must not be empty" in response.text


def test_an_owner_adds_a_member_by_email_and_the_member_sees_the_team(
    client: TestClient, services: Services
) -> None:
    owner, member = _person(client), _person(client)
    team = _create(owner, services, "Sales")
    response = _add(owner, team, member.email.upper())
    assert response.status_code == 303
    assert response.headers["location"] == PAGE + "?done=added"
    assert _roles(services, team)[_account_id(services, member)] == "member"
    seen = member.get(PAGE)
    assert seen.status_code == 200
    assert "Sales" in seen.text
    assert owner.email in seen.text
    # A plain member gets no forms to change the team.
    assert f"{PAGE}/{team.team_id}/members" not in seen.text


def test_adding_an_unknown_email_or_a_bad_role_is_shown_on_the_page(
    client: TestClient, services: Services
) -> None:
    owner, other = _person(client), _person(client)
    team = _create(owner, services)
    response = _add(owner, team, "nobody-here@example.com")
    assert response.status_code == 404
    assert "no account with this email" in response.text
    response = _add(owner, team, other.email, role="emperor")
    assert response.status_code == 400
    assert "must be one of" in response.text
    _add(owner, team, other.email)
    response = _add(owner, team, other.email)
    assert response.status_code == 409
    assert "already a member" in response.text


def test_a_plain_member_cannot_add_or_remove(client: TestClient, services: Services) -> None:
    owner, member, outsider = _person(client), _person(client), _person(client)
    team = _create(owner, services)
    _add(owner, team, member.email)
    response = _add(member, team, outsider.email)
    assert response.status_code == 400
    assert "only the team&#39;s owners and admins" in response.text
    response = _remove(member, team, _account_id(services, owner))
    assert response.status_code == 400
    assert set(_roles(services, team)) == {
        _account_id(services, owner),
        _account_id(services, member),
    }


def test_an_admin_adds_and_removes_members(client: TestClient, services: Services) -> None:
    owner, admin, member = _person(client), _person(client), _person(client)
    team = _create(owner, services)
    _add(owner, team, admin.email, role="admin")
    assert _add(admin, team, member.email).status_code == 303
    member_id = _account_id(services, member)
    assert member_id in _roles(services, team)
    response = _remove(admin, team, member_id)
    assert response.status_code == 303
    assert response.headers["location"] == PAGE + "?done=removed"
    assert member_id not in _roles(services, team)
    assert "Sales" not in member.get(PAGE).text


def test_the_last_owner_cannot_be_removed(client: TestClient, services: Services) -> None:
    owner = _person(client)
    team = _create(owner, services)
    owner_id = _account_id(services, owner)
    response = _remove(owner, team, owner_id)
    assert response.status_code == 409
    assert "at least one owner" in response.text
    assert _roles(services, team) == {owner_id: "owner"}


def test_another_account_sees_nothing_and_cannot_post_to_the_team(
    client: TestClient, services: Services
) -> None:
    owner, outsider = _person(client), _person(client)
    team = _create(owner, services, "Secret squirrels")
    owner_id = _account_id(services, owner)
    assert "Secret squirrels" not in outsider.get(PAGE).text
    added = _add(outsider, team, outsider.email)
    removed = _remove(outsider, team, owner_id)
    unknown = _add(outsider, Team("t_doesnotexist", "x", 0, 0), owner.email)
    for response in (added, removed, unknown):
        assert response.status_code == 404
        assert "no such team" in response.text
        assert "Secret squirrels" not in response.text
    # An unknown email from an outsider still says only "no such team".
    assert "no such team" in _add(outsider, team, "nobody-here@example.com").text
    assert _roles(services, team) == {owner_id: "owner"}


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, services: Services) -> None:
    owner, member = _person(client), _person(client)
    team = _create(owner, services)
    owner_id = _account_id(services, owner)
    for action, data in (
        (PAGE, {"name": "Forged"}),
        (f"{PAGE}/{team.team_id}/members", {"email": member.email, "role": "owner"}),
        (f"{PAGE}/{team.team_id}/members/{owner_id}/remove", {}),
    ):
        response = owner.http.post(action, data=data, follow_redirects=False)
        assert response.status_code == 403
    assert _roles(services, team) == {owner_id: "owner"}
    assert [t.name for t in services.teams.teams_of(owner_id)] == ["Sales"]
