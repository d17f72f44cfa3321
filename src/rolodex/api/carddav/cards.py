"""GET, HEAD, PUT and DELETE of one card (RFC 6352 §6.3.2, RFC 9110 conditionals).

A card is written as vCard 3.0 unless the client asks for 4.0 (`Accept: text/vcard;
version=4.0`): macOS refuses 4.0, DAVx5 prefers it. The ETag is the contact's etag,
strong. A card reads back exactly as it was PUT until anything changes the contact
(books/writes.py keeps the text), so a PUT answers the new ETag (RFC 9110 §9.3.4 allows
it only for an untransformed representation) unless the photo store changed the contact
after the write; then the client, given none, fetches the card again.
"""

from __future__ import annotations

from email.utils import formatdate

from starlette.datastructures import Headers
from starlette.responses import Response

from rolodex.api.carddav.resources import Dav
from rolodex.books.model import AddressBook, Member
from rolodex.books.writes import InvalidCard
from rolodex.errors import EtagConflict, NotFound

VCARD_TYPE = "text/vcard; charset=utf-8"
# What a card may be sent as; anything else is a 415 (RFC 6352 §6.3.2.1 supported-address-data).
CARD_TYPES = {"text/vcard", "text/x-vcard", "text/directory"}


def wanted_version(accept: str | None) -> str:
    """4.0 when some `text/vcard` range of Accept names version 4.0; else 3.0."""
    for media_range in (accept or "").split(","):
        kind, *params = (p.strip().lower() for p in media_range.split(";"))
        if kind in ("text/vcard", "text/*", "*/*") and "version=4.0" in params:
            return "4.0"
    return "3.0"


def etag_header(member: Member) -> str:
    return f'"{member.contact.etag}"'


def _entity_tags(value: str) -> list[str]:
    return [t.strip().removeprefix("W/").strip('"') for t in value.split(",") if t.strip()]


def if_match(headers: Headers) -> str | None:
    """The etag `If-Match` names (the first), `*`, or None when absent."""
    value = headers.get("if-match")
    if value is None or not value.strip():
        return None
    if value.strip() == "*":
        return "*"
    tags = _entity_tags(value)
    return tags[0] if tags else None


def get(dav: Dav, book: AddressBook, name: str, headers: Headers, *, head: bool) -> Response:
    member = dav.services.books.member(book, name)
    version = wanted_version(headers.get("accept"))
    groups = dav.services.card_writer.groups
    group = None if member is not None else groups.get(book, name, version)
    if member is not None:
        etag, updated_at = member.contact.etag, member.contact.updated_at
    elif group is not None:
        etag, updated_at = group.etag, group.updated_at
    else:
        raise NotFound("no card of this name", field="href")
    common = {
        "ETag": f'"{etag}"',
        "Last-Modified": formatdate(updated_at / 1000, usegmt=True),
    }
    none_match = headers.get("if-none-match")
    if none_match and (none_match.strip() == "*" or etag in _entity_tags(none_match)):
        return Response(status_code=304, headers=common)
    if group is not None:
        # A client's group card reads back as it was sent (its members and name
        # current), whatever version is asked; a tag's is written in the version asked.
        text = group.text.encode()
    else:
        assert member is not None
        text = dav.services.books.card_texts(book, [member], version)[name].encode()
    if head:
        common["Content-Length"] = str(len(text))
        return Response(status_code=200, headers=common, media_type=VCARD_TYPE)
    return Response(text, status_code=200, headers=common, media_type=VCARD_TYPE)


def put(dav: Dav, book: AddressBook, name: str, headers: Headers, body: bytes) -> Response:
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type and content_type not in CARD_TYPES:
        return Response("a card is sent as text/vcard\n", status_code=415, media_type="text/plain")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidCard("a card is UTF-8 text", field="body") from None
    match = if_match(headers)
    if (
        match == "*"
        and dav.services.books.member(book, name) is None
        and dav.services.card_writer.groups.get(book, name) is None
    ):
        raise EtagConflict("no card of this name (If-Match: *)", field="If-Match")
    none_match = (headers.get("if-none-match") or "").strip() == "*"
    written = dav.services.card_writer.put(
        book,
        name,
        text,
        if_match=None if match == "*" else match,
        if_none_match=none_match,
    )
    # RFC 9110 §9.3.4: the ETag only when the card reads back exactly as sent.
    response_headers = {"ETag": f'"{written.etag}"'} if written.exact else {}
    return Response(status_code=201 if written.created else 204, headers=response_headers)


def delete(dav: Dav, book: AddressBook, name: str, headers: Headers) -> Response:
    match = if_match(headers)
    if match == "*":
        match = None
    dav.services.card_writer.delete(book, name, if_match=match)
    return Response(status_code=204)
