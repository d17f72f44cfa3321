"""The address book's endpoint wrapper: the shared `Page`, with the book's own form limits.

`rolodex.web.pages.context.page` reads at most 100 fields and no files, which suits the
account pages; a contact's edit form has a row of fields per email, phone, address...
and the photo form carries a file. This wrapper is the same session and CSRF handling
with those limits, and it turns the domain errors a handler lets through into pages
(404 for NotFound, 400 naming the field otherwise) so no input becomes a 5xx.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from rolodex.actors import ADDRESS_BOOK, Actor, acting_as
from rolodex.errors import DomainError, NotFound
from rolodex.services import Services
from rolodex.web.pages.context import Handler, Page
from rolodex.web.sessions import load_session, save_session

MAX_EDIT_FIELDS = 4000
"""Enough for a contact at the model's list limits (docs/limits.md) plus the form's own fields."""

MAX_FORM_BYTES = 2 * 1024 * 1024
"""A form without files: the notes limit (64 KiB) and every row many times over."""


def error_page(p: Page, status: int, title: str, message: str) -> Response:
    return p.render("book/error.html", status, title=title, message=message)


def book_page(
    handler: Handler, *, max_files: int = 0, max_bytes: Callable[[Services], int] | None = None
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint for an address-book handler: session in, CSRF checked, errors as pages."""

    async def endpoint(request: Request) -> Response:
        services: Services = request.app.state.services
        key = await run_in_threadpool(services.secret_key.get)
        session = load_session(request, key)
        form: FormData | None = None
        problem: tuple[int, str, str] | None = None
        if request.method == "POST":
            limit = max_bytes(services) if max_bytes is not None else MAX_FORM_BYTES
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                problem = (413, "Too large", f"The form is larger than {limit // 1024} KiB.")
            else:
                try:
                    form = await request.form(max_files=max_files, max_fields=MAX_EDIT_FIELDS)
                except HTTPException as exc:
                    problem = (400, "The form could not be read", str(exc.detail))
            if problem is None:
                token = form.get("csrf_token") if form is not None else None
                if not session.csrf_ok(token if isinstance(token, str) else None):
                    problem = (
                        403,
                        "The form expired",
                        "This form was out of date or did not come from Rolodex. "
                        "Go back, reload the page and try again.",
                    )
        ctx = Page(request, services, session, form)
        if problem is not None:
            response = await run_in_threadpool(error_page, ctx, *problem)
        else:
            response = await run_in_threadpool(_run, handler, ctx)
        if form is not None:
            await form.close()
        save_session(
            request, response, ctx.session, key, trust_proxy=services.settings.trust_proxy_headers
        )
        return response

    return endpoint


def _run(handler: Handler, p: Page) -> Response:
    # Whatever a person writes here, its versions say "address book" (docs/history.md).
    actor = Actor(kind=ADDRESS_BOOK, name="address book", account_id=p.session.account_id)
    try:
        with acting_as(actor):
            return handler(p)
    except NotFound as exc:
        return error_page(p, 404, "Not found", _sentence(exc.message))
    except DomainError as exc:
        named = f" ({exc.field})" if exc.field else ""
        return error_page(p, 400, "That did not work", _sentence(exc.message) + named)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
