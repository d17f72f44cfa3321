"""`contacts.search` (specs/contactsplus-api.txt, Search Contacts; the language: docs/search.md).

In its own module rather than `contacts.py` so that the search request, with its
cursor and tag filter, reads on its own; the service does the work.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.contactsplus_objects import render_contact
from rolodex.errors import InvalidInput

Id = Annotated[str, Field(min_length=1, max_length=64)]


class ContactsSearch(Envelope):
    # Length is checked by the parser, so that the message is the language's own.
    searchQuery: str
    size: int | None = None
    searchCursor: Annotated[str, Field(max_length=256)] | None = None
    # The spec's prose says to send the cursor back "as scrollCursor" while its example
    # request names it searchCursor: both are accepted (docs/api-notes.md).
    scrollCursor: Annotated[str, Field(max_length=256)] | None = None
    tagIds: Annotated[list[Id], Field(max_length=100)] | None = None
    teamId: Id | None = None


def search(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsSearch)
    owner = call.owner(req.teamId, scope="contacts.read", team_scope="teams.contacts.read")
    cursor = req.searchCursor if req.searchCursor is not None else req.scrollCursor
    if req.scrollCursor is not None and req.scrollCursor != cursor:
        raise InvalidInput("searchCursor and scrollCursor differ: send one", field="searchCursor")
    page = call.services.search.search(
        owner, req.searchQuery, size=req.size, cursor=cursor, tag_ids=req.tagIds
    )
    out: dict[str, Any] = {"contacts": [render_contact(c) for c in page.contacts]}
    if page.cursor is not None:
        out["cursor"] = page.cursor
    return out
