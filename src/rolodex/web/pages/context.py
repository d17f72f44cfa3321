"""What every page handler receives, and the wrapper that turns a handler into an endpoint.

A handler is a plain function run in a worker thread (the services are synchronous and
argon2 is deliberately slow); the wrapper reads the form and the session on the event
loop, checks the CSRF token of every POST, and writes the session cookie back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from rolodex.accounts.service import Account
from rolodex.errors import NotFound
from rolodex.services import Services
from rolodex.web.sessions import WebSession, load_session, save_session
from rolodex.web.templates import render

MAX_FORM_FIELDS = 100
# The largest form any page takes (an app's redirect URIs are the longest) is far below this.
MAX_FORM_BYTES = 65_536


@dataclass
class Page:
    request: Request
    services: Services
    session: WebSession
    form: FormData | None
    _account: Account | None = field(default=None, init=False)

    @property
    def account(self) -> Account | None:
        """The logged-in account, or None (a session naming a vanished account is logged out)."""
        if self.session.account_id is None:
            if self.session.secret is not None:  # ended elsewhere: drop the stale cookie
                self.session = WebSession.anonymous()
            return None
        if self._account is None:
            try:
                self._account = self.services.accounts.get(self.session.account_id)
            except NotFound:
                self.session = WebSession.anonymous()
                return None
        return self._account

    def log_in(self, account_id: str) -> None:
        """Start a server-side session for the account in this browser (a fresh CSRF token)."""
        agent = self.request.headers.get("user-agent", "")
        started = self.services.sessions.start(account_id, agent)
        self.session = WebSession.logged_in(started)

    def log_out(self) -> None:
        """End this browser's session on the server, then forget it here."""
        account_id, session_id = self.session.account_id, self.session.session_id
        if account_id is not None and session_id is not None:
            self.services.sessions.end(account_id, session_id)
        self.session = WebSession.anonymous()
        self._account = None

    def field(self, name: str) -> str:
        value = self.form.get(name) if self.form is not None else None
        return value.strip() if isinstance(value, str) else ""

    def raw_field(self, name: str) -> str:
        """A field as typed (passwords keep their spaces)."""
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else ""

    def fields(self, name: str) -> list[str]:
        if self.form is None:
            return []
        return [v for v in self.form.getlist(name) if isinstance(v, str)]

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        return render(
            template,
            {"account": self.account, "csrf_token": self.session.csrf_token, **context},
            status,
        )

    def login_redirect(self, back_to: str | None = None) -> Response:
        """Send the visitor to log in, and back here (or to `back_to`) afterwards."""
        here = self.request.url.path
        if self.request.url.query:
            here += "?" + self.request.url.query
        return RedirectResponse("/login?next=" + quote(back_to or here, safe=""), status_code=303)


Handler = Callable[[Page], Response]


def page(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint for a page handler: session in, CSRF checked, session cookie out."""

    async def endpoint(request: Request) -> Response:
        services: Services = request.app.state.services
        key = await run_in_threadpool(services.secret_key.get)
        trust = services.settings.trust_proxy_headers
        session = load_session(request, key)
        form = None
        if request.method == "POST":
            length = request.headers.get("content-length", "")
            if length.isdigit() and int(length) > MAX_FORM_BYTES:
                return render(
                    "error.html",
                    {
                        "account": None,
                        "csrf_token": session.csrf_token,
                        "title": "Too much",
                        "message": "The form sent more data than any page takes.",
                    },
                    413,
                )
            form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
            token = form.get("csrf_token")
            if not session.csrf_ok(token if isinstance(token, str) else None):
                ctx = Page(request, services, session, form)
                response = ctx.render(
                    "error.html",
                    403,
                    title="The form expired",
                    message="This form was out of date or did not come from Rolodex. "
                    "Go back, reload the page and try again.",
                )
                save_session(request, response, ctx.session, key, trust_proxy=trust)
                return response
        ctx = Page(request, services, session, form)
        response = await run_in_threadpool(handler, ctx)
        save_session(request, response, ctx.session, key, trust_proxy=trust)
        return response

    return endpoint


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


LANDING = "/book"
"""Where a person lands after logging in or signing up: their contacts."""


def safe_next(value: str | None, default: str = "/") -> str:
    """Where to go after logging in: only a path on this site (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value
