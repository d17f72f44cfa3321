"""Following a search's cursor to its end: how the search tests compare two ways of paging."""

from __future__ import annotations

from rolodex.services import Services


def walk_search(services: Services, owner: str, query: str, size: int) -> list[str]:
    """The ids of every page of `query`, in order, each page fetched with the previous cursor."""
    seen: list[str] = []
    cursor = None
    while True:
        page = services.search.search(owner, query, size=size, cursor=cursor)
        seen += [c.contact_id for c in page.contacts]
        if page.cursor is None:
            return seen
        cursor = page.cursor
