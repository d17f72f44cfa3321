"""The login page's answer to an attempt the login throttle refused (accounts/login_throttle.py)."""

from __future__ import annotations

import math

from starlette.responses import Response

from rolodex.web.pages.context import Page


def too_many_attempts(p: Page, next_url: str, values: dict[str, str], retry_after: int) -> Response:
    """The login page again, 429, saying how long to wait, with `Retry-After` (RFC 6585 §4)."""
    wait = (
        f"{retry_after} seconds" if retry_after < 120 else f"{math.ceil(retry_after / 60)} minutes"
    )
    response = p.render(
        "login.html",
        429,
        title="Log in",
        next=next_url,
        values=values,
        error=f"Too many failed log-ins from this address. Wait {wait} and try again.",
    )
    response.headers["Retry-After"] = str(retry_after)
    return response
