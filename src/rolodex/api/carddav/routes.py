"""CardDAV's URLs (resources.py) and the request cycle every one of them shares.

`/.well-known/carddav` is a 301 to `/dav/` (RFC 6764 §5), whatever the method; a
PROPFIND of `/` answers discovery (Thunderbird and CardBook ask there; a GET of `/`
stays the web page, a route further down). OPTIONS needs no credentials (RFC 4918 §10.1:
clients probe `DAV:` first). Everything else: the body read within its limit on the event
loop, then HTTP Basic (auth.py) and the method together in one worker thread, inside
`acting_as` the app password's actor, since the store is synchronous.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from xml.etree.ElementTree import ParseError

from starlette.concurrency import run_in_threadpool
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from rolodex.actors import acting_as
from rolodex.api.carddav import cards, reports
from rolodex.api.carddav import resources as r
from rolodex.api.carddav.auth import CHALLENGE, Caller, Refused, authenticate
from rolodex.api.carddav.errors import condition, domain_error, plain
from rolodex.api.carddav.propfind import propfind
from rolodex.api.carddav.proppatch import delete_book, mkcol, proppatch
from rolodex.api.carddav.resources import Dav, Resource
from rolodex.api.carddav.xml import DAV, BadXml, tag
from rolodex.api.json_body import BodyError, read_limited
from rolodex.books.model import AddressBook
from rolodex.errors import DomainError, NotFound
from rolodex.observability.origin import client_address
from rolodex.services import Services

DAV_HEADER = "1, 3, addressbook, extended-mkcol"


class AnyPath(PathConvertor):
    """Starlette's `path` matches no newline (`.*`); a card's name may hold one (sent as
    `%0A`, vdirsyncer's test_newline_in_uid), so this one matches every character."""

    regex = r"[\s\S]*"


register_url_convertor("carddav_name", AnyPath())
_METHODS = {
    r.ROOT: ("OPTIONS", "PROPFIND"),
    r.PRINCIPALS: ("OPTIONS", "PROPFIND"),
    r.PRINCIPAL: ("OPTIONS", "PROPFIND"),
    r.HOME: ("OPTIONS", "PROPFIND", "MKCOL"),
    r.BOOK: ("OPTIONS", "PROPFIND", "PROPPATCH", "REPORT", "DELETE", "MKCOL"),
    r.CARD: ("OPTIONS", "GET", "HEAD", "PUT", "DELETE", "PROPFIND", "PROPPATCH"),
}
_ALL = sorted({m for methods in _METHODS.values() for m in methods} | {"POST", "PATCH"})


def _resource(dav: Dav, kind: str, params: Mapping[str, str], path: str) -> Resource:
    """The resource a path names for this caller; NotFound for another account's."""
    if kind == r.ROOT:
        return Resource(r.ROOT, "/" if path == "/" else r.DAV_ROOT)
    if kind == r.PRINCIPALS:
        return Resource(r.PRINCIPALS, r.PRINCIPALS_PATH)
    if kind == r.PRINCIPAL:
        if params["account"] != dav.account_id:
            raise NotFound("no such principal", field="href")
        return Resource(r.PRINCIPAL, r.principal_href(dav.account_id), owner_id=dav.account_id)
    owner = params["owner"]
    if kind == r.HOME:
        dav.home(owner)
        return Resource(r.HOME, r.home_href(owner), owner_id=owner)
    book = dav.book(owner, params["book"])
    if kind == r.BOOK:
        return Resource(r.BOOK, r.book_href(book), book=book, owner_id=owner)
    name = params["name"]
    return Resource(r.CARD, r.card_href(book, name), book, None, owner, name)


def _card(dav: Dav, res: Resource) -> Resource:
    """A card resource with its member, for the methods that read it (404 when none)."""
    assert res.book is not None
    assert res.name is not None
    member = dav.services.books.member(res.book, res.name)
    if member is not None:
        return Resource(r.CARD, res.href, res.book, member, res.owner_id, res.name)
    group = dav.services.card_writer.groups.get(res.book, res.name)
    if group is None:
        raise NotFound("no card of this name", field="href")
    return Resource(r.CARD, res.href, res.book, None, res.owner_id, res.name, group)


def _exists(dav: Dav, owner_id: str, name: str) -> bool:
    """Whether the book exists for this caller (NotFound for a home it does not reach)."""
    return any(b.name == name for b in dav.home(owner_id))


def _method(dav: Dav, res: Resource, method: str, headers: Headers, body: bytes) -> Response:
    book: AddressBook | None = res.book
    if method == "PROPFIND":
        target = _card(dav, res) if res.kind == r.CARD else res
        return propfind(dav, target, body, headers.get("depth"))
    if method == "REPORT" and book is not None:
        return reports.report(dav, book, body, headers.get("depth"))
    if method == "PROPPATCH":
        target = _card(dav, res) if res.kind == r.CARD else res
        return proppatch(dav, target, body)
    if method == "MKCOL":
        return plain(405, "a resource of this name exists", {"Allow": "PROPFIND"})
    if method == "DELETE" and res.kind == r.BOOK and book is not None:
        return delete_book(dav, book)
    if res.kind == r.CARD and book is not None and res.name is not None:
        name = res.name
        if method in ("GET", "HEAD"):
            return cards.get(dav, book, name, headers, head=method == "HEAD")
        if method == "PUT":
            return cards.put(dav, book, name, headers, body)
        if method == "DELETE":
            return cards.delete(dav, book, name, headers)
    return condition(403, tag(DAV, "need-privileges"))


def _answer(
    services: Services,
    caller: Caller,
    kind: str,
    request: Request,
    body: bytes,
) -> Response:
    dav = Dav(services, caller)
    book: AddressBook | None = None
    with acting_as(caller.actor):
        try:
            if kind == r.BOOK and request.method == "MKCOL":
                params = request.path_params
                if not _exists(dav, params["owner"], params["book"]):
                    return mkcol(dav, params["owner"], params["book"], body)
            res = _resource(dav, kind, request.path_params, request.url.path)
            book = res.book
            return _method(dav, res, request.method, request.headers, body)
        except (BadXml, ParseError) as exc:
            return plain(400, str(exc))
        except DomainError as exc:
            return domain_error(exc, book)


def _options(kind: str) -> Response:
    allow = ", ".join(_METHODS[kind])
    return Response(status_code=200, headers={"DAV": DAV_HEADER, "Allow": allow})


def unauthorized(refused: Refused) -> Response:
    if refused.retry_after:
        return plain(429, "too many failed attempts", {"Retry-After": str(refused.retry_after)})
    return plain(401, "authentication required", {"WWW-Authenticate": CHALLENGE})


Credentials = tuple[Services, str | None, str, str]


def _authenticate(
    services: Services, header: str | None, address: str, user_agent: str
) -> Caller | Refused:
    return authenticate(services, header, client_address=address, user_agent=user_agent)


def _serve(credentials: Credentials, kind: str, request: Request, body: bytes) -> Response:
    """Authentication and the answer in one worker thread: one hop from the event loop
    and back per request, not two (a PUT's share of time, docs/benchmarks.md)."""
    outcome = _authenticate(*credentials)
    if isinstance(outcome, Refused):
        return unauthorized(outcome)
    return _answer(credentials[0], outcome, kind, request, body)


def endpoint(kind: str) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of one kind of resource: every method, authenticated, in a thread.

    The body is read (within its limit) on the event loop first; then authentication and
    the method run together in one worker thread, as Contacts+ does.
    """
    allowed = _METHODS[kind]

    async def serve(request: Request) -> Response:
        if request.method == "OPTIONS":
            return _options(kind)
        if request.method not in allowed:
            return plain(405, f"use {', '.join(allowed)} here", {"Allow": ", ".join(allowed)})
        if any("\x00" in value for value in request.path_params.values()):
            return plain(404, "no such resource")
        services: Services = request.app.state.services
        credentials = (
            services,
            request.headers.get("authorization"),
            client_address(request.scope, services.settings.trust_proxy_headers),
            request.headers.get("user-agent", "")[:256],
        )
        limit = (
            services.settings.carddav_max_card_bytes
            if request.method == "PUT"
            else services.settings.max_body_bytes
        )
        try:
            body = await read_limited(request, limit)
        except BodyError as exc:
            # Who calls is settled first: a refused caller is a 401 whatever it sent.
            outcome = await run_in_threadpool(_authenticate, *credentials)
            if isinstance(outcome, Refused):
                return unauthorized(outcome)
            return plain(exc.status, exc.message)
        return await run_in_threadpool(_serve, credentials, kind, request, body)

    return serve


async def well_known(request: Request) -> Response:
    """RFC 6764 §5: the context path, by a permanent redirect."""
    return RedirectResponse(r.DAV_ROOT, status_code=301)


def _both(path: str, kind: str) -> list[Route]:
    """The path with and without its trailing slash (clients send either)."""
    serve = endpoint(kind)
    return [Route(path, serve, methods=_ALL), Route(path.rstrip("/"), serve, methods=_ALL)]


routes = [
    Route("/.well-known/carddav", well_known, methods=_ALL),
    Route("/.well-known/carddav/", well_known, methods=_ALL),
    # Discovery at the server's root: PROPFIND and OPTIONS only, GET is the web page's.
    Route("/", endpoint(r.ROOT), methods=["PROPFIND", "OPTIONS"]),
    *_both("/dav/", r.ROOT),
    *_both("/dav/principals/", r.PRINCIPALS),
    *_both("/dav/principals/{account}/", r.PRINCIPAL),
    *_both("/dav/books/{owner}/", r.HOME),
    *_both("/dav/books/{owner}/{book}/", r.BOOK),
    # Any characters: a name may hold a `/` (an imported card's UID, sent as `%2F`) or a
    # newline (`%0A`); only NUL is refused (endpoint), which no store can keep.
    Route("/dav/books/{owner}/{book}/{name:carddav_name}", endpoint(r.CARD), methods=_ALL),
]
