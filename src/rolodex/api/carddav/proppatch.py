"""PROPPATCH and MKCOL: what a client may change of a collection, and what it may not.

Rolodex keeps one address book per owner (docs/carddav.md, "Not supported yet"): its
name and description are not stored, so a PROPPATCH answers 403 for each property it
names (RFC 4918 §9.2: every instruction or none) and MKCOL is refused with
`DAV:need-privileges` (RFC 5689 §3: no book is made).
"""

from __future__ import annotations

from starlette.responses import Response

from rolodex.api.carddav import multistatus as ms
from rolodex.api.carddav.errors import condition
from rolodex.api.carddav.resources import Dav, Resource
from rolodex.api.carddav.xml import DAV, BadXml, element, parse, tag


def proppatch(dav: Dav, res: Resource, body: bytes) -> Response:
    root = parse(body)
    if root is None or root.tag != tag(DAV, "propertyupdate"):
        raise BadXml("the body of a PROPPATCH is a DAV:propertyupdate element")
    names: list[str] = []
    for instruction in root:
        if instruction.tag not in (tag(DAV, "set"), tag(DAV, "remove")):
            raise BadXml("a DAV:propertyupdate holds set and remove elements")
        prop = instruction.find(tag(DAV, "prop"))
        if prop is None:
            raise BadXml("a DAV:set or DAV:remove holds a DAV:prop")
        names.extend(p.tag for p in prop)
    found = [element(n) for n in dict.fromkeys(names)]
    body_xml = element(
        tag(DAV, "response"), ms.href_of(res.href) + ms.propstat(found, ms.FORBIDDEN)
    )
    return ms.whole([body_xml])


def mkcol(dav: Dav, res: Resource, body: bytes) -> Response:
    parse(body)  # a malformed body is still a 400
    return condition(403, tag(DAV, "need-privileges"))
