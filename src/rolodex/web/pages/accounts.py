"""Home, sign up, log in, log out."""

from __future__ import annotations

from starlette.responses import Response

from rolodex.errors import Conflict, InvalidInput
from rolodex.observability.origin import client_address
from rolodex.web.pages.context import LANDING, Page, page, redirect, safe_next
from rolodex.web.pages.throttled import too_many_attempts


@page
def home(p: Page) -> Response:
    return p.render("home.html", title="Rolodex")


@page
def signup(p: Page) -> Response:
    next_url = safe_next(p.field("next") or p.request.query_params.get("next"), LANDING)
    if p.request.method == "GET":
        return p.render("signup.html", title="Sign up", next=next_url, values={})
    values = {"email": p.field("email"), "name": p.field("name")}
    try:
        account = p.services.accounts.create(
            values["email"], p.raw_field("password"), values["name"]
        )
    except (InvalidInput, Conflict) as exc:
        return p.render(
            "signup.html",
            400 if isinstance(exc, InvalidInput) else 409,
            title="Sign up",
            next=next_url,
            values=values,
            error=exc.message,
            error_field=exc.field,
        )
    p.log_in(account.account_id)
    return redirect(next_url)


@page
def login(p: Page) -> Response:
    next_url = safe_next(p.field("next") or p.request.query_params.get("next"), LANDING)
    if p.request.method == "GET":
        if p.account is not None:
            return redirect(next_url)
        return p.render("login.html", title="Log in", next=next_url, values={})
    email = p.field("email")
    password = p.raw_field("password")
    # Behind a trusted proxy, the client's own address (ROLODEX_TRUST_PROXY_HEADERS).
    address = client_address(p.request.scope, p.services.settings.trust_proxy_headers)
    throttle = p.services.login_throttle
    values = {"email": email}
    attempt = throttle.begin(email, address)
    if not attempt.allowed:
        return too_many_attempts(p, next_url, values, attempt.retry_after)
    account = p.services.accounts.authenticate(email, password)
    if account is None:
        return p.render(
            "login.html",
            401,
            title="Log in",
            next=next_url,
            values=values,
            error="Wrong email or password.",
        )
    throttle.succeeded(attempt)
    p.log_in(account.account_id)
    return redirect(next_url)


@page
def logout(p: Page) -> Response:
    p.log_out()
    return redirect("/login")
