"""The web pages' routes and the package's static files (no CDN: everything ships here)."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from rolodex.web.book.routes import routes as book_routes
from rolodex.web.pages import (
    accounts,
    api_keys,
    app_passwords,
    authorize,
    authorized,
    connect,
    developer,
    settings,
    teams,
)

_STATIC = Path(__file__).parent / "static"
_FORM = ["GET", "POST"]

routes: list[BaseRoute] = [
    Route("/", accounts.home, methods=["GET"]),
    Route("/signup", accounts.signup, methods=_FORM),
    Route("/login", accounts.login, methods=_FORM),
    Route("/logout", accounts.logout, methods=["POST"]),
    Route("/developer/apps", developer.apps, methods=_FORM),
    Route("/developer/apps/{client_id}/secret", developer.regenerate_secret, methods=["POST"]),
    Route("/developer/apps/{client_id}/edit", developer.edit_app, methods=["POST"]),
    Route("/developer/apps/{client_id}/delete", developer.delete_app, methods=["POST"]),
    Route("/settings/account", settings.account_settings, methods=["GET"]),
    Route("/settings/account/profile", settings.update_profile, methods=["POST"]),
    Route("/settings/account/password", settings.change_password, methods=["POST"]),
    Route("/settings/account/delete", settings.delete_account, methods=["POST"]),
    Route("/settings/sessions/{session_id}/end", settings.end_session, methods=["POST"]),
    Route("/settings/api-keys", api_keys.api_keys, methods=_FORM),
    Route("/settings/api-keys/{credential_id}/revoke", api_keys.revoke_api_key, methods=["POST"]),
    Route("/settings/app-passwords", app_passwords.app_passwords, methods=_FORM),
    Route(
        "/settings/app-passwords/{credential_id}/revoke",
        app_passwords.revoke_app_password,
        methods=["POST"],
    ),
    Route("/settings/connect", connect.connect, methods=_FORM),
    Route("/settings/connect/profile", connect.apple_profile, methods=["POST"]),
    Route("/settings/authorized-apps", authorized.authorized_apps, methods=["GET"]),
    Route("/settings/authorized-apps/{client_id}/revoke", authorized.revoke_app, methods=["POST"]),
    Route("/settings/teams", teams.teams, methods=_FORM),
    Route("/settings/teams/{team_id}/members", teams.add_member, methods=["POST"]),
    Route(
        "/settings/teams/{team_id}/members/{account_id}/remove",
        teams.remove_member,
        methods=["POST"],
    ),
    Route("/oauth/authorize", authorize.authorize, methods=_FORM),
    *book_routes,
    Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
]
