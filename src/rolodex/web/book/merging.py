"""The "Merge & fix" page: the book's likely duplicates, merged one group or all at once.

`/book/duplicates` lists up to 20 groups (`DuplicateService.find`), each shown side by
side with the merged contact as it would be (a dry run of `MergeService.merge`) and the
reasons in words. Merge makes one group one contact; Merge all does every group shown,
each its own merge. Undo takes the merges just made back, and the page lists the
book's recent merges, each with its own Undo, so any merge can be taken back
(`MergeService.unmerge`, docs/duplicates.md).

When a contact of the merge changed after it, the unmerge is refused (MergeChanged) and
the page says which contact, who changed it and when (the history's latest write, as
the edit conflict page does), and offers "Undo anyway": the unmerge with `force`, which
replaces that change (it stays in the contact's history).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from rolodex.contacts.model import Contact
from rolodex.contacts.sort_names import display_label
from rolodex.duplicates.merge import MergeChanged
from rolodex.web.book.books import Book, open_book
from rolodex.web.book.conflicts import changed_by, moment
from rolodex.web.book.endpoint import book_page
from rolodex.web.pages.context import Page, redirect

GROUPS = 20


def _values(data: dict[str, Any], field: str, key: str = "value") -> list[str]:
    return [str(e.get(key)) for e in data.get(field) or [] if isinstance(e, dict) and e.get(key)]


def _name(contact: Contact) -> str:
    return display_label(contact.data) or "(no name)"


def _card(contact: Contact) -> dict[str, Any]:
    data = contact.data
    return {
        "contact_id": contact.contact_id,
        "name": _name(contact),
        "emails": _values(data, "emails"),
        "phones": _values(data, "phoneNumbers"),
        "companies": _values(data, "organizations", "name"),
        "addresses": len(data.get("addresses") or []),
        "notes": data.get("notes") or "",
    }


def _groups(p: Page, book: Book) -> list[dict[str, Any]]:
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
    return groups


def _recent(p: Page, book: Book) -> list[dict[str, Any]]:
    """The merges that can still be undone, newest first, named by their survivor."""
    made = p.services.merges.recent(book.owner_id)
    survivors = {
        c.contact_id: c
        for c in p.services.contacts.get_many(book.owner_id, [m.survivor_id for m in made])
    }
    return [
        {
            "merge_id": m.merge_id,
            "name": _name(survivors[m.survivor_id]) if m.survivor_id in survivors else "",
            "survivor_id": m.survivor_id,
            "count": len(m.contact_ids),
            "when": moment(m.created_at),
        }
        for m in made
    ]


def _show(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    return p.render(
        "book/duplicates.html",
        200,
        title="Merge & fix",
        book=book,
        groups=_groups(p, book),
        recent=_recent(p, book),
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
    """Undo the merges named, newest first; `force` undoes them even over later changes."""
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    merge_ids = [m for m in p.field("merge_ids").split(",") if m]
    force = p.field("force") == "yes"
    undone = 0
    for merge_id in reversed(merge_ids):
        try:
            p.services.merges.unmerge(book.owner_id, merge_id, force=force)
        except MergeChanged as exc:
            return _changed(p, book, exc, merge_ids[: len(merge_ids) - undone], undone)
        undone += 1
    return redirect(book.url("/book/duplicates", notice=f"Undid {undone} merge(s)."))


def _changed(p: Page, book: Book, exc: MergeChanged, remaining: list[str], undone: int) -> Response:
    """The 409 page: which contacts changed since the merge, who changed them and when."""
    changes = [
        {
            "contact_id": c.contact_id,
            "name": _name(c),
            "deleted": c.deleted,
            "who": changed_by(
                p.services.history.latest_change(book.owner_id, c.contact_id), c.etag
            ),
            "when": moment(c.deleted_at or c.updated_at),
        }
        for c in exc.changed
    ]
    return p.render(
        "book/duplicates.html",
        409,
        title="Merge & fix",
        book=book,
        changed=changes,
        remaining=",".join(remaining),
        left=len(remaining),
        undone=undone,
        groups=[],
        recent=[],
        undo="",
        notice="",
    )


show_duplicates = book_page(_show)
merge_duplicates = book_page(_merge)
unmerge_duplicates = book_page(_unmerge)
