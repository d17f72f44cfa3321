"""CardDAV's errors: a status, and for a failed precondition a `DAV:error` body naming it.

RFC 4918 §16 and RFC 6352 §6.3.2.1 / §8.7 name the preconditions a client can act on
(`no-uid-conflict` with the href of the card holding the UID, `valid-address-data`,
`valid-sync-token`, `need-privileges`); any other refusal is a status and a sentence.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.responses import Response

from rolodex.api.carddav.resources import card_href
from rolodex.api.carddav.xml import CARDDAV, DAV, element, error_body, href, tag
from rolodex.books.collections import NotManager
from rolodex.books.model import AddressBook
from rolodex.books.service import UnknownBookState
from rolodex.books.writes import InvalidCard, NotWritable, UidConflict
from rolodex.errors import (
    Conflict,
    DomainError,
    EtagConflict,
    InvalidInput,
    LimitExceeded,
    NotFound,
)

XML_TYPE = "application/xml; charset=utf-8"


def condition(status: int, name: str, inner: str | None = None) -> Response:
    """A refusal naming the precondition or postcondition `name` (Clark notation)."""
    return Response(error_body(element(name, inner)), status_code=status, media_type=XML_TYPE)


def plain(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain", headers=headers)


def domain_error(exc: DomainError, book: AddressBook | None = None) -> Response:
    """The answer to a refusal of the services, in CardDAV's terms."""
    if isinstance(exc, UidConflict):
        holder_book = replace(book, name=exc.book) if book is not None else None
        inner = href(card_href(holder_book, exc.holder)) if holder_book is not None else None
        return condition(403, tag(CARDDAV, "no-uid-conflict"), inner)
    if isinstance(exc, InvalidCard):
        return condition(400, tag(CARDDAV, "valid-address-data"))
    if isinstance(exc, NotWritable | NotManager):
        return condition(403, tag(DAV, "need-privileges"))
    if isinstance(exc, UnknownBookState):
        return condition(403, tag(DAV, "valid-sync-token"))
    if isinstance(exc, LimitExceeded):
        return condition(507, tag(DAV, "quota-not-exceeded"))
    status = _STATUS.get(type(exc))
    if status is None:
        status = next((s for k, s in _STATUS.items() if isinstance(exc, k)), 400)
    where = f" ({exc.field})" if exc.field else ""
    return plain(status, f"{exc.message}{where}")


_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    EtagConflict: 412,
    Conflict: 409,
    InvalidInput: 400,
}
