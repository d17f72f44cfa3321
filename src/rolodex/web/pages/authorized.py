"""Authorized apps: which apps hold access to the account, with which scopes; revoke one."""

from __future__ import annotations

from starlette.responses import Response

from rolodex.oauth.scopes import SCOPES
from rolodex.web.pages.context import Page, page, redirect


@page
def authorized_apps(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    return p.render(
        "authorized_apps.html",
        title="Authorized apps",
        grants=p.services.grants.list_for(account.account_id),
        scopes=SCOPES,
        revoked=p.request.query_params.get("revoked"),
    )


@page
def revoke_app(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    client_id = p.request.path_params["client_id"]
    p.services.grants.revoke(account.account_id, client_id)
    return redirect("/settings/authorized-apps?revoked=1")
