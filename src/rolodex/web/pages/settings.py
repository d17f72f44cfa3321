"""Account settings: name and email, password, the browsers logged in, deleting the account.

Every change that could lock a person out or hand the account to someone else asks for
the current password: a new email (the login), a new password, and deletion (which also
needs a confirmation box ticked). A new password ends every other session; signing a
session out ends it on the server at once (docs/administration.md).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from rolodex.accounts.service import Account
from rolodex.errors import Conflict, InvalidInput, NotFound
from rolodex.web.pages.context import Page, page, redirect

PATH = "/settings/account"


def _render(
    p: Page, account: Account, status: int = 200, *, form: str = "", **context: Any
) -> Response:
    """The settings page; `form` names the section an error or a notice belongs to."""
    return p.render(
        "account.html",
        status,
        title="Account",
        sessions=p.services.sessions.list_for(account.account_id),
        current_session=p.session.session_id,
        form=form,
        **context,
    )


@page
def account_settings(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    done = {
        "profile": "Saved.",
        "password": "Password changed; every other browser was logged out.",
        "session": "That browser is logged out.",
    }.get(p.request.query_params.get("done", ""))
    return _render(p, account, done=done)


@page
def update_profile(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect(PATH)
    name, email = p.field("name"), p.field("email")
    try:
        if email.lower() != account.email:
            p.services.accounts.check_password(
                account.account_id, p.raw_field("password"), field="password"
            )
        p.services.accounts.update_profile(account.account_id, name=name, email=email)
    except (InvalidInput, Conflict) as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        values = {"name": name, "email": email}
        return _render(p, account, status, form="profile", error=_named(exc), values=values)
    return redirect(PATH + "?done=profile")


@page
def change_password(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect(PATH)
    new = p.raw_field("new_password")
    try:
        p.services.accounts.check_password(
            account.account_id, p.raw_field("password"), field="password"
        )
        if new != p.raw_field("confirm_password"):
            raise InvalidInput("the two new passwords differ", field="confirm_password")
        p.services.accounts.set_password(
            account.account_id, new, keep_session=p.session.session_id, field="new_password"
        )
    except InvalidInput as exc:
        return _render(p, account, 400, form="password", error=_named(exc))
    return redirect(PATH + "?done=password")


@page
def end_session(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect(PATH)
    session_id = p.request.path_params["session_id"]
    if session_id == p.session.session_id:
        p.log_out()
        return redirect("/login")
    if not p.services.sessions.end(account.account_id, session_id):
        message = "You have no such session (it may have ended already)."
        return _render(p, account, 404, form="sessions", error=message)
    return redirect(PATH + "?done=session")


@page
def delete_account(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect(PATH)
    try:
        p.services.accounts.check_password(
            account.account_id, p.raw_field("password"), field="delete_password"
        )
        if p.field("confirm") != "yes":
            raise InvalidInput("tick the box to confirm", field="confirm")
        p.services.account_deletion.delete(account.account_id)
    except (InvalidInput, Conflict, NotFound) as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        return _render(p, account, status, form="delete", error=_named(exc))
    p.log_out()
    return redirect("/")


_LABELS = {
    "email": "Email",
    "name": "Name",
    "password": "Current password",
    "delete_password": "Password",
    "new_password": "New password",
    "confirm_password": "Repeat the new password",
    "confirm": "Confirmation",
}


def _named(exc: InvalidInput | Conflict | NotFound) -> str:
    """A domain refusal as a sentence naming the form field: "Email: not a valid ..."."""
    message = exc.message[:1].upper() + exc.message[1:]
    if not message.endswith("."):
        message += "."
    label = _LABELS.get(exc.field or "")
    return f"{label}: {message}" if label else message
