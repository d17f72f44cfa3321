"""The `<response>` of each card of a listing, written from a template made once per request.

In a PROPFIND Depth 1, a sync-collection or a multiget every card answers the same
properties, and only a few of their values differ from card to card: the href, the etag,
the last-modified date and the card's text. The rest (`resourcetype`, `getcontenttype`,
the privileges, every property a card lacks) is the same for the whole book, so the
whole `<response>` is written once by multistatus.py's own functions with placeholders
where those values go, and each card is one `str.format`. Writing each card through
`multistatus.properties` cost 40 us a card (docs/benchmarks.md, "After the listing work").
"""

from __future__ import annotations

import re
from email.utils import formatdate
from urllib.parse import quote
from xml.sax.saxutils import escape

from rolodex.api.carddav import multistatus as ms
from rolodex.api.carddav import props
from rolodex.api.carddav import resources as r
from rolodex.api.carddav.resources import Dav, Resource
from rolodex.api.carddav.xml import CARDDAV, DAV, element, tag
from rolodex.books.model import AddressBook, CardEntry

ADDRESS_DATA = tag(CARDDAV, "address-data")
GETETAG = tag(DAV, "getetag")
LAST_MODIFIED = tag(DAV, "getlastmodified")
# The placeholders: {0} the href, {1} the etag, {2} the last-modified date, {3} the text.
_SLOTS = {GETETAG: "{1}", LAST_MODIFIED: "{2}", ADDRESS_DATA: "{3}"}
# A name made only of these needs neither quoting (resources.card_href) nor XML escaping.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.\-~@+:=,;!$'()*]+").fullmatch
_CARD_SAFE = "@+:=,;!$&'()*~"


def _braced(xml: str) -> str:
    return xml.replace("{", "{{").replace("}", "}}")


class CardResponses:
    """Writes the `<response>` of each card of one book for one request's properties.

    `mode` and `wanted` are the request's (multistatus.PROP, ALLPROP or PROPNAME, and the
    names it asks); `with_data`: the method answers `address-data` itself (a REPORT).
    """

    def __init__(
        self, dav: Dav, book: AddressBook, mode: str, wanted: list[str], with_data: bool
    ) -> None:
        self.book_href = escape(r.book_href(book))
        sample = Resource(r.CARD, "", book, None, book.owner_id, "")
        self.template = self._template(dav, sample, mode, wanted, with_data)
        # Used for a card whose text could not be had (it is then a 404 property).
        self.without_data = (
            self._template(dav, sample, mode, wanted, False) if with_data else self.template
        )
        # The date is written only when asked (formatting it costs as much as the rest).
        self.last_modified = mode == ms.ALLPROP or LAST_MODIFIED in wanted

    @staticmethod
    def _template(dav: Dav, sample: Resource, mode: str, wanted: list[str], data: bool) -> str:
        if mode == ms.PROPNAME:
            names = [
                n for n, get in props.GETTERS.items() if n in _SLOTS or get(dav, sample) is not None
            ]
            return ms.response("{0}", [element(n) for n in names], [])
        names = props.ALLPROP[r.CARD] if mode == ms.ALLPROP else wanted
        if mode == ms.ALLPROP:
            names = [*names, *(n for n in wanted if n not in names)]
        found: list[str] = []
        missing: list[str] = []
        for name in names:
            if name in _SLOTS and (name != ADDRESS_DATA or data):
                found.append(element(name, _SLOTS[name]))
                continue
            got = props.value(dav, sample, name)
            if got is None:
                missing.append(_braced(element(name)))
            else:
                found.append(_braced(element(name, got)))
        return ms.response("{0}", found, missing)

    def href(self, name: str) -> str:
        """The card's href as the XML text of `<D:href>`."""
        if _PLAIN_NAME(name):
            return self.book_href + name
        return self.book_href + escape(quote(name, safe=_CARD_SAFE))

    def render(self, entry: CardEntry, data: str | None = None) -> str:
        """One card's `<response>`; `data` its text when the request asks for it."""
        modified = formatdate(entry.updated_at / 1000, usegmt=True) if self.last_modified else ""
        template = self.template if data is not None else self.without_data
        return template.format(
            self.href(entry.name),
            escape(f'"{entry.etag}"'),
            modified,
            escape(data) if data is not None else "",
        )
