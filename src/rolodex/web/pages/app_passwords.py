"""App passwords: CardDAV clients' sign-in (docs/carddav.md); create, see once, list, revoke."""

from __future__ import annotations

from starlette.responses import Response

from rolodex.errors import InvalidInput, NotFound
from rolodex.web.pages.context import Page, page, redirect

PATH = "/settings/app-passwords"


@page
def app_passwords(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    created = None
    error = None
    status = 200
    if p.request.method == "POST":
        try:
            created = p.services.app_passwords.create(
                account.account_id, p.field("name"), read_only=p.field("read_only") == "yes"
            )
            status = 201
        except InvalidInput as exc:
            error, status = f"Name: {exc.message}.", 400
    return p.render(
        "app_passwords.html",
        status,
        title="App passwords",
        passwords=p.services.app_passwords.list(account.account_id),
        created=created,
        error=error,
        revoked=p.request.query_params.get("done") == "revoked",
    )


@page
def revoke_app_password(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect(PATH)
    try:
        p.services.app_passwords.revoke(account.account_id, p.request.path_params["credential_id"])
    except NotFound:
        # Unknown, already revoked, or another account's: the same answer for each.
        return p.render(
            "error.html",
            404,
            title="No such app password",
            message="That app password does not exist or was already revoked.",
        )
    return redirect(PATH + "?done=revoked")
