"""The "Merge & fix" page: the book's likely duplicates, merged one group or all at once.

`/book/duplicates` lists up to 20 groups (`DuplicateService.find`), each shown side by
side with the merged contact as it would be (a dry run of `MergeService.merge`) and the
reasons in words. Merge makes one group one contact; Merge all does every group shown,
each its own merge; Undo takes the merges just made back (`MergeService.unmerge`,
docs/duplicates.md).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from rolodex.contacts.model import Contact
from rolodex.contacts.sort_names import display_label
from rolodex.web.book.books import open_book
from rolodex.web.book.endpoint import book_page
from rolodex.web.pages.context import Page, redirect

GROUPS = 20


def _values(data: dict[str, Any], field: str, key: str = "value") -> list[str]:
    return [str(e.get(key)) for e in data.get(field) or [] if isinstance(e, dict) and e.get(key)]


def _card(contact: Contact) -> dict[str, Any]:
    data = contact.data
    return {
        "contact_id": contact.contact_id,
        "name": display_label(data) or "(no name)",
        "emails": _values(data, "emails"),
        "phones": _values(data, "phoneNumbers"),
        "companies": _values(data, "organizations", "name"),
        "addresses": len(data.get("addresses") or []),
        "notes": data.get("notes") or "",
    }


def _show(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    found, _ = p.services.duplicates.find(book.owner_id, size=GROUPS)
    groups = []
    for suggestion in found:
        ids = list(suggestion.contact_ids)
        members = p.services.contacts.get_many(book.owner_id, ids)
        merged, _ = p.services.merges.merge(book.owner_id, ids, dry_run=True)
        groups.append(
            {
                "ids": ",".join(ids),
                "score": round(suggestion.score * 100),
                "reasons": suggestion.reasons,
                "members": [_card(c) for c in members],
                "merged": _card(merged),
            }
        )
    return p.render(
        "book/duplicates.html",
        200,
        title="Merge & fix",
        book=book,
        groups=groups,
        undo=p.request.query_params.get("undo", ""),
        notice=p.request.query_params.get("notice", ""),
    )


def _merge(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    made = []
    for group in p.fields("contact_ids"):
        ids = [i.strip() for i in group.split(",") if i.strip()]
        made.append(p.services.merges.merge(book.owner_id, ids)[1] or "")
    notice = f"Merged {len(made)} group(s)."
    return redirect(book.url("/book/duplicates", notice=notice, undo=",".join(made)))


def _unmerge(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    merge_ids = [m for m in p.field("merge_ids").split(",") if m]
    for merge_id in reversed(merge_ids):
        p.services.merges.unmerge(book.owner_id, merge_id)
    return redirect(book.url("/book/duplicates", notice=f"Undid {len(merge_ids)} merge(s)."))


show_duplicates = book_page(_show)
merge_duplicates = book_page(_merge)
unmerge_duplicates = book_page(_unmerge)
