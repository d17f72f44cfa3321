"""Recent activity: what each client did to the book, with Undo, and the held deletions.

`/book/activity` lists, for the last week, how many contacts each client (an app, a key,
an import, the address book) created, changed and deleted, with an Undo per client
(`HistoryService.undo_credential`, from its first change of the week); and the clients
whose deletions the mass-deletion guard holds, with Allow (docs/history.md).
"""

from __future__ import annotations

from starlette.responses import Response

from rolodex.timestamps import iso, now_ms
from rolodex.web.book.books import open_book
from rolodex.web.book.endpoint import book_page
from rolodex.web.pages.context import Page, redirect

WEEK_MS = 7 * 24 * 3600 * 1000


def _show(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    history = p.services.history
    rows = [
        {
            "kind": a.source.kind,
            "name": a.source.name,
            "credential_id": a.source.credential_id or "",
            "created": a.created,
            "changed": a.changed,
            "deleted": a.deleted,
            "first": iso(a.first_at),
            "since": a.first_at,
        }
        for a in history.activity(book.owner_id, now_ms() - WEEK_MS)
    ]
    return p.render(
        "book/activity.html",
        200,
        title="Recent activity",
        book=book,
        activity=rows,
        holds=history.holds(book.owner_id),
        notice=p.request.query_params.get("notice", ""),
    )


def _undo(p: Page) -> Response:
    """Undo one client's changes since its first change of the week."""
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    since = p.field("since")
    credential_id = p.field("credential_id") or None
    outcome = p.services.history.undo_credential(
        book.owner_id,
        since=int(since) if since.isdigit() else now_ms() - WEEK_MS,
        credential_id=credential_id,
        # Both when both are known: the versions' index is by name.
        name=p.field("name") or None,
    )
    notice = f"Undid {outcome.count:,} change(s)."
    if outcome.conflicts:
        notice += f" {len(outcome.conflicts):,} contact(s) changed since by others were left alone."
    return redirect(book.url("/book/activity", notice=notice))


def _release(p: Page) -> Response:
    """A person confirms a held client's deletions."""
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    released = p.services.history.release(book.owner_id, p.field("credential_id"))
    notice = "Its deletions are allowed again." if released else "Nothing was held."
    return redirect(book.url("/book/activity", notice=notice))


show_activity = book_page(_show)
undo_client = book_page(_undo)
release_client = book_page(_release)
