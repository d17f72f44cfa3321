"""PROPFIND (RFC 4918 §9.1) on every resource, Depth 0 or 1.

The body names properties (`<prop>`), asks for all (`<allprop/>`, optionally with
`<include>`; an empty body too) or for their names (`<propname/>`). `Depth: infinity`
is answered as Depth 1: nothing of this tree is deeper than a book's cards, which are
what Depth 1 of a book lists, streamed a page at a time (listing.py writes each card's
response from a template; the service reads only names and etags).
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from starlette.responses import Response

from rolodex.api.carddav import multistatus as ms
from rolodex.api.carddav import resources as r
from rolodex.api.carddav.listing import CardResponses
from rolodex.api.carddav.resources import Dav, Resource
from rolodex.api.carddav.xml import DAV, BadXml, parse, tag
from rolodex.books.model import AddressBook


def request_props(root: Element | None) -> tuple[str, list[str]]:
    """(mode, property names) of a PROPFIND body."""
    if root is None:
        return ms.ALLPROP, []
    if root.tag != tag(DAV, "propfind"):
        raise BadXml("the body of a PROPFIND is a DAV:propfind element")
    for child in root:
        if child.tag == tag(DAV, "propname"):
            return ms.PROPNAME, []
        if child.tag == tag(DAV, "allprop"):
            include = root.find(tag(DAV, "include"))
            return ms.ALLPROP, [p.tag for p in include] if include is not None else []
        if child.tag == tag(DAV, "prop"):
            return ms.PROP, list(dict.fromkeys(p.tag for p in child))
    raise BadXml("a DAV:propfind holds prop, allprop or propname")


def depth_of(header: str | None) -> int:
    value = (header or "infinity").strip().lower()
    if value not in ("0", "1", "infinity"):
        raise BadXml("Depth is 0, 1 or infinity")
    return 0 if value == "0" else 1


def children(dav: Dav, res: Resource) -> Iterator[Resource]:
    """The members of a collection but a book, as Depth 1 lists them (a book's: `_book`)."""
    if res.kind in (r.ROOT, r.PRINCIPALS):
        yield Resource(r.PRINCIPAL, r.principal_href(dav.account_id), owner_id=dav.account_id)
    elif res.kind == r.HOME and res.owner_id is not None:
        for book in dav.home(res.owner_id):
            yield Resource(r.BOOK, r.book_href(book), book=book)


def group_resources(dav: Dav, book: AddressBook) -> Iterator[Resource]:
    """The book's group cards, listed after its contacts' cards."""
    for group in dav.services.card_writer.groups.listing(book):
        href = r.card_href(book, group.name)
        yield Resource(r.CARD, href, book, None, book.owner_id, group.name, group)


def _book(dav: Dav, res: Resource, mode: str, wanted: list[str]) -> Iterator[str]:
    """A book's Depth 1: the book, then its cards a page at a time, then its group cards."""
    assert res.book is not None
    yield ms.properties(dav, res, mode, wanted)
    cards = CardResponses(dav, res.book, mode, wanted, with_data=False)
    for page in dav.services.books.listed(res.book):
        yield "".join([cards.render(entry) for entry in page])
    for group in group_resources(dav, res.book):
        yield ms.properties(dav, group, mode, wanted)


def propfind(dav: Dav, res: Resource, body: bytes, depth_header: str | None) -> Response:
    mode, wanted = request_props(parse(body))
    depth = depth_of(depth_header)

    def parts() -> Iterator[str]:
        yield ms.properties(dav, res, mode, wanted)
        if depth == 1:
            for child in children(dav, res):
                yield ms.properties(dav, child, mode, wanted)

    if depth == 1 and res.kind == r.BOOK:
        return ms.stream(_book(dav, res, mode, wanted))
    return ms.whole(parts())
