"""API keys: the `x-api-key` credentials of the REST API; create with chosen scopes, list, revoke."""

from __future__ import annotations

from starlette.responses import Response

from rolodex.errors import InvalidInput
from rolodex.oauth.credentials import API_KEY
from rolodex.oauth.scopes import SCOPES, parse_scopes
from rolodex.web.pages.context import Page, page, redirect

MAX_KEY_NAME_LENGTH = 100


@page
def api_keys(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    created = None
    error = None
    status = 200
    if p.request.method == "POST":
        name = p.field("name")
        chosen = p.fields("scope")
        try:
            if not chosen:
                raise InvalidInput("choose at least one scope", field="scope")
            if len(name) > MAX_KEY_NAME_LENGTH:
                raise InvalidInput(
                    f"must be at most {MAX_KEY_NAME_LENGTH} characters", field="name"
                )
            scopes = parse_scopes(",".join(chosen), field="scope")
            created = p.services.credentials.issue(
                account.account_id, scopes, kind=API_KEY, name=name or None
            )
            status = 201
        except InvalidInput as exc:
            error, status = exc.message, 400
    return p.render(
        "api_keys.html",
        status,
        title="API keys",
        keys=p.services.credentials.list_for(account.account_id, API_KEY),
        scopes=SCOPES,
        created=created,
        error=error,
    )


@page
def revoke_api_key(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    p.services.credentials.revoke(account.account_id, p.request.path_params["credential_id"])
    return redirect("/settings/api-keys")
