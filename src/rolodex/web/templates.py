"""Rendering pages: Jinja2 templates shipped in the package, escaped by default."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse

from rolodex.timestamps import iso


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rolodex.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = lambda ms: iso(ms)[:10] if ms else ""
    env.filters["datetime"] = lambda ms: iso(ms)[:16].replace("T", " ") + " UTC" if ms else ""
    return env


def render(name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    html = environment().get_template(name).render(**context)
    # Pages with secrets or tokens must not be cached or framed.
    headers = {
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        # No form-action: the consent form's answer redirects to the app's own URI.
        "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
    }
    return HTMLResponse(html, status_code=status, headers=headers)
