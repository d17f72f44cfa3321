"""Connect a phone or computer: the three values a CardDAV client asks for, an app
password made on the spot, and an Apple configuration profile (docs/carddav.md)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from rolodex.accounts.service import Account
from rolodex.errors import InvalidInput
from rolodex.web.pages.context import Page, page
from rolodex.web.pages.device_profile import (
    CONTENT_TYPE,
    FILENAME,
    ServerAddress,
    carddav_profile,
    server_address,
)

PATH = "/settings/connect"


def _address(p: Page) -> ServerAddress:
    return server_address(p.request, trust_proxy=p.services.settings.trust_proxy_headers)


def _render(p: Page, account: Account, status: int = 200, **context: Any) -> Response:
    return p.render(
        "connect.html",
        status,
        title="Connect a phone or computer",
        server=_address(p),
        username=account.email,
        **context,
    )


def _name(p: Page, default: str) -> str:
    return p.field("name") or default


@page
def connect(p: Page) -> Response:
    """GET: the values and the steps; POST: the same, with a new app password shown once."""
    account = p.account
    if account is None:
        return p.login_redirect()
    if p.request.method == "GET":
        return _render(p, account)
    try:
        created = p.services.app_passwords.create(
            account.account_id, _name(p, "My device"), read_only=p.field("read_only") == "yes"
        )
    except InvalidInput as exc:
        return _render(p, account, 400, error=f"Name: {exc.message}.", form="password")
    return _render(p, account, 201, created=created)


@page
def apple_profile(p: Page) -> Response:
    """A new app password, delivered inside a profile for iOS and macOS (POST only: each
    download makes a password, so a link followed twice, or by a crawler, makes none)."""
    account = p.account
    if account is None:
        return p.login_redirect(PATH)
    try:
        created = p.services.app_passwords.create(
            account.account_id,
            _name(p, "iPhone, iPad or Mac"),
            read_only=p.field("read_only") == "yes",
        )
    except InvalidInput as exc:
        return _render(p, account, 400, error=f"Name: {exc.message}.", form="profile")
    body = carddav_profile(_address(p), account.email, created.password)
    return Response(
        body,
        media_type=CONTENT_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{FILENAME}"',
            # It holds a password: no cache keeps a copy.
            "Cache-Control": "no-store",
        },
    )
