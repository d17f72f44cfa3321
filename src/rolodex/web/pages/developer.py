"""Developer apps: register an app, see its client_id, get (or regenerate) its secret, edit or delete it."""

from __future__ import annotations

from starlette.responses import Response

from rolodex.errors import InvalidInput, NotFound
from rolodex.oauth.apps import App
from rolodex.oauth.redirects import is_valid_redirect_uri
from rolodex.web.pages.context import Page, page, redirect


def _redirect_uris(p: Page) -> list[str]:
    # One per field (repeatable `redirect_uri`), or one per line in `redirect_uris`.
    uris = p.fields("redirect_uri")
    for block in p.fields("redirect_uris"):
        uris.extend(block.splitlines())
    return [u.strip() for u in uris if u.strip()]


def _unsafe_uris(apps: list[App]) -> set[str]:
    """Stored URIs that today's rules refuse (apps registered before them): flagged."""
    return {uri for app in apps for uri in app.redirect_uris if not is_valid_redirect_uri(uri)}


@page
def apps(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    created = None
    error = None
    status = 200
    values: dict[str, str] = {}
    if p.request.method == "POST":
        uris = _redirect_uris(p)
        values = {"name": p.field("name"), "redirect_uris": "\n".join(uris)}
        try:
            created = p.services.apps.create(account.account_id, p.field("name"), uris)
            values = {}
            status = 201
        except InvalidInput as exc:
            error, status = exc.message, 400
    listed = p.services.apps.list_for(account.account_id)
    return p.render(
        "apps.html",
        status,
        title="Developer apps",
        apps=listed,
        unsafe_uris=_unsafe_uris(listed),
        created=created,
        error=error,
        values=values,
    )


@page
def regenerate_secret(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    client_id = p.request.path_params["client_id"]
    try:
        created = p.services.apps.regenerate_secret(account.account_id, client_id)
    except NotFound:
        return _no_such_app(p)
    listed = p.services.apps.list_for(account.account_id)
    return p.render(
        "apps.html",
        title="Developer apps",
        apps=listed,
        unsafe_uris=_unsafe_uris(listed),
        created=created,
        regenerated=True,
        values={},
    )


def _no_such_app(p: Page) -> Response:
    return p.render(
        "error.html", 404, title="No such app", message="You have no app with this client_id."
    )


@page
def edit_app(p: Page) -> Response:
    """Rename an app and replace its redirect URIs (the list's edit form)."""
    account = p.account
    if account is None:
        return p.login_redirect("/developer/apps")
    client_id = p.request.path_params["client_id"]
    try:
        p.services.apps.update(account.account_id, client_id, p.field("name"), _redirect_uris(p))
    except NotFound:
        return _no_such_app(p)
    except InvalidInput as exc:
        listed = p.services.apps.list_for(account.account_id)
        return p.render(
            "apps.html",
            400,
            title="Developer apps",
            apps=listed,
            unsafe_uris=_unsafe_uris(listed),
            created=None,
            error=None,
            edit_error=exc.message,
            editing=client_id,
            values={},
        )
    return redirect("/developer/apps")


@page
def delete_app(p: Page) -> Response:
    """Delete an app: every token it was given stops working."""
    account = p.account
    if account is None:
        return p.login_redirect("/developer/apps")
    try:
        p.services.apps.delete(account.account_id, p.request.path_params["client_id"])
    except NotFound:
        return _no_such_app(p)
    return redirect("/developer/apps")
