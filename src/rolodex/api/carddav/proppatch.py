"""PROPPATCH, MKCOL and DELETE of address books (RFC 4918 §9.2-9.3, RFC 5689).

A book's `displayname` and `addressbook-description` may be set (by the account, or a
team's owners and admins); any other property is a 403 and, since a PROPPATCH is all or
nothing, the settable ones beside it a 424. Extended MKCOL (RFC 5689) with an
`addressbook` resource type makes a book, as does a plain MKCOL (no body) under a home;
a MKCOL naming an existing resource is a 405. DELETE of a book other than the default
one deletes its contacts, each an ordinary delete (books/collections.py).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from starlette.responses import Response

from rolodex.api.carddav import multistatus as ms
from rolodex.api.carddav import resources as r
from rolodex.api.carddav.errors import condition, plain
from rolodex.api.carddav.resources import Dav, Resource
from rolodex.api.carddav.xml import CARDDAV, DAV, BadXml, element, parse, tag
from rolodex.books.model import AddressBook
from rolodex.errors import Conflict

DISPLAYNAME = tag(DAV, "displayname")
DESCRIPTION = tag(CARDDAV, "addressbook-description")
SETTABLE = (DISPLAYNAME, DESCRIPTION)
FAILED_DEPENDENCY = "HTTP/1.1 424 Failed Dependency"


def _instructions(root: Element | None) -> list[tuple[str, str | None]]:
    """(property, new text or None to remove) of a propertyupdate, in order."""
    if root is None or root.tag != tag(DAV, "propertyupdate"):
        raise BadXml("the body of a PROPPATCH is a DAV:propertyupdate element")
    found: list[tuple[str, str | None]] = []
    for instruction in root:
        if instruction.tag not in (tag(DAV, "set"), tag(DAV, "remove")):
            raise BadXml("a DAV:propertyupdate holds set and remove elements")
        prop = instruction.find(tag(DAV, "prop"))
        if prop is None:
            raise BadXml("a DAV:set or DAV:remove holds a DAV:prop")
        removing = instruction.tag == tag(DAV, "remove")
        found.extend((p.tag, None if removing else (p.text or "")) for p in prop)
    return found


def proppatch(dav: Dav, res: Resource, body: bytes) -> Response:
    changes = _instructions(parse(body))
    names = list(dict.fromkeys(name for name, _ in changes))
    book = res.book if res.kind == r.BOOK else None
    refused = [n for n in names if book is None or n not in SETTABLE]
    if refused:
        body_xml = ms.propstat([element(n) for n in refused], ms.FORBIDDEN)
        others = [element(n) for n in names if n not in refused]
        if others:
            body_xml += ms.propstat(others, FAILED_DEPENDENCY)
        return ms.whole([element(tag(DAV, "response"), ms.href_of(res.href) + body_xml)])
    assert book is not None
    values = dict(changes)
    dav.services.book_admin.describe(
        book,
        _new(values, DISPLAYNAME),
        _new(values, DESCRIPTION),
    )
    done = ms.propstat([element(n) for n in names], ms.OK)
    return ms.whole([element(tag(DAV, "response"), ms.href_of(res.href) + done)])


def _new(values: dict[str, str | None], name: str) -> str | None:
    if name not in values:
        return None
    return values[name] or ""


def _mkcol_props(root: Element | None) -> tuple[bool, str | None, str | None]:
    """(an address book?, displayname, description) of an extended MKCOL body."""
    if root is None:
        return True, None, None
    if root.tag != tag(DAV, "mkcol"):
        raise BadXml("the body of an extended MKCOL is a DAV:mkcol element")
    prop = root.find(f"{tag(DAV, 'set')}/{tag(DAV, 'prop')}")
    if prop is None:
        return True, None, None
    kind = prop.find(tag(DAV, "resourcetype"))
    is_book = kind is None or kind.find(tag(CARDDAV, "addressbook")) is not None
    return is_book, prop.findtext(DISPLAYNAME), prop.findtext(DESCRIPTION)


def mkcol(dav: Dav, owner_id: str, name: str, body: bytes) -> Response:
    """Make the book `name` in `owner_id`'s home."""
    is_book, display_name, description = _mkcol_props(parse(body))
    if not is_book:
        return condition(403, tag(DAV, "valid-resourcetype"))
    home: AddressBook = dav.home(owner_id)[0]
    try:
        dav.services.book_admin.create(home, name, display_name, description)
    except Conflict:
        return plain(405, "a resource of this name exists", {"Allow": "PROPFIND, DELETE"})
    return Response(status_code=201)


def delete_book(dav: Dav, book: AddressBook) -> Response:
    dav.services.book_admin.delete(book)
    return Response(status_code=204)
