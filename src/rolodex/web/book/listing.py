"""The address book's list: contacts by name, a page at a time; search; tags on many at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from starlette.responses import Response

from rolodex.contacts.service import ScrollPage
from rolodex.errors import InvalidInput, NotFound
from rolodex.tags.model import Tag, name_key
from rolodex.web.book.alphabet import LETTER_PARAM, Jump, jumps, key_starts, start_key
from rolodex.web.book.books import Book, open_book
from rolodex.web.book.endpoint import book_page
from rolodex.web.book.importing import LIMITS as IMPORT_LIMITS
from rolodex.web.book.people import Row, row_of
from rolodex.web.pages.context import Page, redirect, safe_next

PAGE_SIZE = 50
UNDO_SECONDS = 30
"""How long after a delete "Undo" still brings the contact back (docs/address-book.md)."""
MAX_TAGS_SHOWN = 1000


@dataclass(frozen=True, slots=True)
class Listing:
    rows: list[Row]
    cursor: str | None
    query: str
    tag_id: str
    favorites: bool
    error: str
    letter: str = ""


def all_tags(p: Page, owner_id: str) -> list[Tag]:
    """The book's live tags by name (for the filter and the tag pickers); at most 1000."""
    found: list[Tag] = []
    cursor = None
    while len(found) < MAX_TAGS_SHOWN:
        page = p.services.tags.scroll(owner_id, size=500, cursor=cursor)
        found.extend(page.tags)
        cursor = page.cursor
        if cursor is None:
            break
    return sorted(found, key=lambda t: t.name_key)


def _listing(p: Page, book: Book, tags: dict[str, Tag]) -> tuple[Listing, int]:
    params = p.request.query_params
    query = params.get("q", "").strip()
    tag_id = params.get("tag", "")
    favorites = params.get("favorites") == "1"
    cursor = params.get("after") or None
    letter = params.get(LETTER_PARAM, "").strip()
    tag_ids = [tag_id] if tag_id in tags else []
    error = ""
    status = 200
    try:
        page: ScrollPage
        from_key = start_key(letter)
        if query:
            page = p.services.search.search(
                book.owner_id, query, size=PAGE_SIZE, cursor=cursor, tag_ids=tag_ids
            )
        else:
            page = p.services.contacts.list_by_name(
                book.owner_id,
                size=PAGE_SIZE,
                cursor=cursor,
                tag_ids=tag_ids,
                favorites_only=favorites,
                from_key=from_key,
            )
    except InvalidInput as exc:
        page = ScrollPage([], None)
        # A page link's cursor: `after` for the list, `searchCursor` for search results.
        link = exc.field in ("after", "searchCursor")
        error = "That page link is out of date." if link else exc.message
        if exc.field == LETTER_PARAM:
            error, letter = "There is no such letter in the index: choose one below.", ""
        status = 400
    rows = [row_of(c, tags) for c in page.contacts]
    return Listing(rows, page.cursor, query, tag_id, favorites, error, letter), status


def _index(p: Page, book: Book, listing: Listing) -> tuple[int, list[Jump]]:
    """The book's live total and its A-Z index (both index reads, at any book size)."""
    total = p.services.contacts.count_live(book.owner_id)
    present = p.services.contacts.name_starts(book.owner_id, key_starts()) if total else set()
    return total, jumps(present, listing.letter, total)


def _deleted(p: Page, book: Book) -> dict[str, Any] | None:
    """The contact the undo banner offers to bring back (only while it is a tombstone)."""
    contact_id = p.request.query_params.get("deleted", "")
    if not contact_id:
        return None
    found = p.services.contacts.get_with_tombstones(book.owner_id, [contact_id]).get(contact_id)
    if found is None or not found.deleted:
        return None
    return {
        "contact": row_of(found, {}),
        "tags": p.request.query_params.get("tags", ""),
        "seconds": UNDO_SECONDS,
    }


def _book_list(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    tags = {t.tag_id: t for t in all_tags(p, book.owner_id)}
    listing, status = _listing(p, book, tags)
    context: dict[str, Any] = {
        "book": book,
        "listing": listing,
        "tags": list(tags.values()),
        "next_url": _next_url(book, listing),
        "here": _here(p),
        "import_limits": IMPORT_LIMITS,
    }
    if p.request.query_params.get("fragment") == "1":
        return p.render("book/_results.html", status, **context)
    total, index = _index(p, book, listing)
    return p.render(
        "book/list.html",
        status,
        title=book.name,
        total=total,
        index=index,
        undo=_deleted(p, book),
        notice=p.request.query_params.get("notice", ""),
        **context,
    )


def _next_url(book: Book, listing: Listing) -> str:
    if listing.cursor is None:
        return ""
    return book.url(
        "/book",
        q=listing.query,
        tag=listing.tag_id,
        favorites="1" if listing.favorites else "",
        after=listing.cursor,
    )


def _here(p: Page) -> str:
    here = p.request.url.path
    # Where "back" returns to: the same list, without one-off banners.
    transient = ("fragment", "notice", "deleted", "tags")
    query = [(k, v) for k, v in p.request.query_params.multi_items() if k not in transient]
    if query:
        here += "?" + urlencode(query)
    return here


def _bulk_tags(p: Page) -> Response:
    """Add or remove one tag on the ticked contacts (one transaction, `contacts.manageTags`)."""
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    back = safe_next(p.field("back") or book.url("/book"))
    ids = p.fields("ids")
    name = p.field("tag_name")
    action = p.field("action")
    if not ids:
        raise InvalidInput("tick at least one contact first", field="ids")
    if action == "add":
        tag = p.services.tags.add_named(book.owner_id, ids, name, field="tag_name")
        notice = f"Tagged {len(ids)} contact(s) “{tag.name}”."
    elif action == "remove":
        tag = _tag_named(p, book, name)
        p.services.tags.manage(book.owner_id, ids, add=[], remove=[tag.tag_id])
        notice = f"Took the tag “{tag.name}” off {len(ids)} contact(s)."
    else:
        raise InvalidInput("choose add or remove", field="action")
    separator = "&" if "?" in back else "?"
    return redirect(f"{back}{separator}notice={quote(notice)}")


def _tag_named(p: Page, book: Book, name: str) -> Tag:
    if not name.strip():
        raise InvalidInput("name the tag", field="tag_name")
    key = name_key(name)
    for tag in all_tags(p, book.owner_id):
        if tag.name_key == key:
            return tag
    raise NotFound(f"no tag named “{name.strip()}” in this address book", field="tag_name")


book_list = book_page(_book_list)
bulk_tags = book_page(_bulk_tags)
