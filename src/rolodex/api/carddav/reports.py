"""REPORT on a book: addressbook-multiget, addressbook-query (RFC 6352 §8.6-8.7) and
sync-collection (RFC 6578).

Each answers the properties the client names for each card, `address-data` included
(the card's text, vCard 3.0 unless the element asks `version="4.0"`). Answers stream:
cards are read and written a page at a time. multiget and sync-collection read names and
etags only (and texts when asked) and write each card from listing.py's template.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from starlette.responses import Response

from rolodex.api.carddav import multistatus as ms
from rolodex.api.carddav import resources as r
from rolodex.api.carddav.errors import condition
from rolodex.api.carddav.listing import CardResponses
from rolodex.api.carddav.query_xml import card_filter_of, limit_of
from rolodex.api.carddav.resources import Dav, Resource
from rolodex.api.carddav.tokens import seq_of, token_of
from rolodex.api.carddav.xml import CARDDAV, DAV, BadXml, element, parse, tag, text
from rolodex.books.group_listing import GroupView
from rolodex.books.model import AddressBook, CardEntry, Member, UnknownBookState

ADDRESS_DATA = tag(CARDDAV, "address-data")
MULTIGET_CHUNK = 1000


def _wanted(root: Element) -> tuple[str, list[str], str | None]:
    """(mode, property names, vCard version of address-data or None) of a REPORT."""
    prop = root.find(tag(DAV, "prop"))
    mode, names = ms.PROP, []
    if prop is not None:
        names = list(dict.fromkeys(p.tag for p in prop))
    elif root.find(tag(DAV, "allprop")) is not None:
        mode = ms.ALLPROP
    version = None
    if prop is not None:
        data = prop.find(ADDRESS_DATA)
        if data is not None:
            version = "4.0" if data.get("version", "3.0").strip() == "4.0" else "3.0"
    return mode, names, version


def _responses(
    dav: Dav,
    book: AddressBook,
    members: list[Member],
    wanted: tuple[str, list[str], str | None],
    texts: dict[str, str] | None = None,
) -> Iterator[str]:
    mode, names, version = wanted
    if version is not None and (texts is None or version != "3.0"):
        texts = dav.services.books.card_texts(book, members, version)
    for member in members:
        extra = {ADDRESS_DATA: text(texts[member.name])} if version and texts else None
        res = Resource(r.CARD, r.card_href(book, member.name), book, member, book.owner_id)
        yield ms.properties(dav, res, mode, names, extra)


def _group_responses(
    dav: Dav,
    book: AddressBook,
    groups: Iterable[GroupView],
    wanted: tuple[str, list[str], str | None],
) -> Iterator[str]:
    """Group cards' responses: address-data is the card as served (books/group_listing.py)."""
    mode, names, version = wanted
    for group in groups:
        extra = {ADDRESS_DATA: text(group.text)} if version else None
        href = r.card_href(book, group.name)
        res = Resource(r.CARD, href, book, None, book.owner_id, group.name, group)
        yield ms.properties(dav, res, mode, names, extra)


def _listed(
    dav: Dav, book: AddressBook, entries: list[CardEntry], wanted: tuple[str, list[str], str | None]
) -> Iterator[str]:
    """The responses of these cards (their texts read at once when asked)."""
    if not entries:
        return
    mode, names, version = wanted
    cards = CardResponses(dav, book, mode, names, with_data=version is not None)
    texts = dav.services.books.texts(book, entries, version) if version else {}
    yield "".join([cards.render(e, texts.get(e.name) if version else None) for e in entries])


def _name_in(prefix: str, href: str) -> str | None:
    """The card name an href names in the book of this (decoded) path, or None (another
    collection)."""
    path = href.strip()
    if not path.startswith("/") or any(c in path for c in "%?#\x00"):
        # A full URL, an encoded or a NUL character: the long way.
        path = unquote(urlsplit(path).path)
    if "\x00" in path:
        return None
    if not path.startswith(prefix) or path == prefix:
        return None
    return path[len(prefix) :]


def multiget(dav: Dav, book: AddressBook, root: Element) -> Response:
    wanted = _wanted(root)
    hrefs = [h.text or "" for h in root.findall(tag(DAV, "href"))]
    prefix = unquote(r.book_href(book))

    def parts() -> Iterator[str]:
        for start in range(0, len(hrefs), MULTIGET_CHUNK):
            chunk = hrefs[start : start + MULTIGET_CHUNK]
            names = {h: _name_in(prefix, h) for h in chunk}
            found = dav.services.books.entries(book, [n for n in names.values() if n])
            listed = [found[n] for n in dict.fromkeys(names.values()) if n and n in found]
            yield from _listed(dav, book, listed, wanted)
            rest = [n for n in dict.fromkeys(names.values()) if n and n not in found]
            groups = dav.services.card_writer.groups.named(book, rest, wanted[2] or "3.0")
            yield from _group_responses(dav, book, groups.values(), wanted)
            for h, n in names.items():
                if n is None or (n not in found and n not in groups):
                    yield ms.status_response(h.strip(), ms.NOT_FOUND)

    return ms.stream(parts())


def query(dav: Dav, book: AddressBook, root: Element) -> Response:
    wanted = _wanted(root)
    card_filter = card_filter_of(root.find(tag(CARDDAV, "filter")))
    limit = limit_of(root)

    def parts() -> Iterator[str]:
        # The contacts' cards, then the group cards (RFC 6352 §8.6: every card of the
        # book); `nresults` counts both.
        book_query = dav.services.book_query
        count = 0
        for found in book_query.run(book, card_filter):
            if limit is not None and count >= limit:
                # RFC 6352 §8.6.1: results cut at the client's limit say so.
                yield _cut(book)
                return
            count += 1
            texts = {found.member.name: found.text}
            yield from _responses(dav, book, [found.member], wanted, texts)
        for group in book_query.groups(book, card_filter, wanted[2] or "3.0"):
            if limit is not None and count >= limit:
                yield _cut(book)
                return
            count += 1
            yield from _group_responses(dav, book, [group], wanted)

    return ms.stream(parts())


def _cut(book: AddressBook) -> str:
    limited = element(tag(DAV, "error"), element(tag(DAV, "number-of-matches-within-limits")))
    return element(
        tag(DAV, "response"),
        ms.href_of(r.book_href(book)) + ms.status(ms.INSUFFICIENT) + limited,
    )


def sync_collection(dav: Dav, book: AddressBook, root: Element) -> Response:
    wanted = _wanted(root)
    token_element = root.find(tag(DAV, "sync-token"))
    token = (token_element.text or "").strip() if token_element is not None else ""
    if not token:
        seq = dav.services.books.state(book)
        pages: Iterable[list[CardEntry]] = dav.services.books.listed(book)

        def initial() -> Iterator[str]:
            for page in pages:
                yield from _listed(dav, book, page, wanted)
            groups = dav.services.card_writer.groups.listing(book, wanted[2] or "3.0")
            yield from _group_responses(dav, book, groups, wanted)
            yield element(tag(DAV, "sync-token"), text(token_of(book, seq)))

        return ms.stream(initial())
    since = seq_of(book, token)
    if since is None:
        raise UnknownBookState("not a sync token of this address book", field="sync-token")
    changes = dav.services.books.changes_since(book, since)
    groups = dav.services.card_writer.groups.changes_since(
        book, since, changes.reached, wanted[2] or "3.0"
    )

    def incremental() -> Iterator[str]:
        yield from _listed(dav, book, changes.changed, wanted)
        yield from _group_responses(dav, book, groups.changed, wanted)
        for name in [*changes.removed, *groups.removed]:
            yield ms.status_response(r.card_href(book, name), ms.NOT_FOUND)
        if changes.truncated:
            yield ms.status_response(r.book_href(book), ms.INSUFFICIENT)
        yield element(tag(DAV, "sync-token"), text(token_of(book, changes.reached)))

    return ms.stream(incremental())


def report(dav: Dav, book: AddressBook, body: bytes, depth: str | None) -> Response:
    root = parse(body)
    if root is None:
        raise BadXml("a REPORT needs a body naming the report")
    if root.tag == tag(CARDDAV, "addressbook-multiget"):
        return multiget(dav, book, root)
    if root.tag == tag(CARDDAV, "addressbook-query"):
        return query(dav, book, root)
    if root.tag == tag(DAV, "sync-collection"):
        return sync_collection(dav, book, root)
    # RFC 3253 §3.6: a report the resource does not support.
    return condition(403, tag(DAV, "supported-report"))
