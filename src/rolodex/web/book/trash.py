"""The Trash page: deleted contacts that can still come back, with Restore and Empty.

`/book/trash` lists the book's trash newest deletion first (a page of 100), who deleted
each contact and when; Restore is `HistoryService.undelete` (the contact comes back with
its id, tags and photos), Empty is `empty_trash` (docs/history.md).
"""

from __future__ import annotations

from starlette.responses import Response

from rolodex.contacts.sort_names import display_label
from rolodex.timestamps import iso
from rolodex.web.book.books import open_book
from rolodex.web.book.endpoint import book_page
from rolodex.web.pages.context import Page, redirect


def _show(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    page = p.services.history.trash(book.owner_id, size=100)
    rows = [
        {
            "contact_id": t.contact_id,
            "name": display_label(t.state.data()) or "(no name)",
            "deleted": iso(t.deleted_at),
            "source": t.source.name or t.source.kind,
        }
        for t in page.items
    ]
    return p.render(
        "book/trash.html",
        200,
        title="Trash",
        book=book,
        rows=rows,
        more=page.cursor is not None,
        notice=p.request.query_params.get("notice", ""),
    )


def _restore(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    contact = p.services.history.undelete(book.owner_id, p.field("contact_id"))
    return redirect(book.url(f"/book/contacts/{contact.contact_id}", notice="Contact restored."))


def _empty(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    emptied = p.services.history.empty_trash(book.owner_id)
    return redirect(book.url("/book/trash", notice=f"Emptied {emptied:,} contact(s) for good."))


show_trash = book_page(_show)
restore_from_trash = book_page(_restore)
empty_trash = book_page(_empty)
