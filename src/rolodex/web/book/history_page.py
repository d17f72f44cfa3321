"""A contact's History page: each change, field by field, with Restore for each version.

`/book/contacts/{id}/history` lists the contact's kept versions newest first (a page of
100): for each change, who made it and when, and which fields it added, removed or
changed; Restore brings that version back (`HistoryService.restore_version`, with the
etag the page was shown with: someone else's change since is refused, not overwritten).
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from rolodex.timestamps import iso
from rolodex.web.book.books import open_book
from rolodex.web.book.endpoint import book_page
from rolodex.web.pages.context import Page, redirect

_SHOWN = 80


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    """What a change did to each top-level field of `contactData`: added, removed, changed."""
    out = []
    for field in sorted(set(before) | set(after)):
        if field not in before:
            out.append({"field": field, "what": "added", "value": _shown(after[field])})
        elif field not in after:
            out.append({"field": field, "what": "removed", "value": _shown(before[field])})
        elif before[field] != after[field]:
            value = f"{_shown(before[field])} → {_shown(after[field])}"
            out.append({"field": field, "what": "changed", "value": value})
    return out


def _show(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    contact_id = p.request.path_params["contact_id"]
    contact = p.services.contacts.get_one(book.owner_id, contact_id)
    page = p.services.history.history(book.owner_id, contact_id, size=100)
    newer = contact.data
    rows = []
    for version in page.items:
        older = version.state.data()
        rows.append(
            {
                "version_id": version.version_id,
                "by": version.replaced_by.name or version.replaced_by.kind,
                "at": iso(version.replaced_at),
                "changes": diff(older, newer),
                "made_by": version.source.name or version.source.kind,
            }
        )
        newer = older
    return p.render(
        "book/history.html", 200, title="History", book=book, contact=contact, rows=rows
    )


def _restore(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    contact_id = p.request.path_params["contact_id"]
    version = p.field("version_id")
    p.services.history.restore_version(
        book.owner_id, contact_id, int(version) if version.isdigit() else 0, etag=p.field("etag")
    )
    return redirect(book.url(f"/book/contacts/{contact_id}", notice="Version restored."))


show_history = book_page(_show)
restore_version = book_page(_restore)
