"""The Contacts+ method table and the one route that serves it: `/api/v1/<method>`.

Every method is a `POST` with a JSON body and a bearer token. The body is read (within
the size limit) on the event loop; authentication, parsing, the service call and
rendering then run together in one worker thread, since the store is synchronous.
An entry of the table marked `OnTheLoop` (`contacts.get`) is answered on the event
loop instead: on SQLite a few short reads from the page cache cost less than the hop
to a thread and back, and a WAL reader never waits for the writer; on PostgreSQL the
round trips are awaited (store/quick_read_async.py). Either way the token is resolved
before the body is parsed (`Call.of`): a bad token and a bad body together answer 401.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from rolodex.actors import acting_as
from rolodex.api.contactsplus import (
    account,
    contacts,
    contacts_search,
    duplicates,
    history,
    tags,
    teams,
)
from rolodex.api.contactsplus import webhooks as webhooks_api
from rolodex.api.contactsplus.call import Call, OnTheLoop
from rolodex.api.contactsplus.errors import domain_error_response, error_response
from rolodex.api.json_body import BodyError, JSONBytes, read_limited
from rolodex.errors import DomainError
from rolodex.oauth.actor_names import actor_of
from rolodex.oauth.credentials import ACCESS_TOKEN
from rolodex.services import Services

Handler = Callable[[Call], dict[str, Any]]

METHODS: dict[str, Handler | OnTheLoop] = {
    "account.get": account.get,
    "contacts.get": OnTheLoop(contacts.get_on_loop),
    "contacts.scroll": contacts.scroll,
    "contacts.search": contacts_search.search,
    "contacts.create": contacts.create,
    "contacts.update": contacts.update,
    "contacts.delete": contacts.delete,
    "contacts.manageTags": contacts.manage_tags,
    "contacts.changeOwner": contacts.change_owner,
    # Rolodex's own extensions (docs/history.md).
    "contacts.getHistory": history.get_history,
    "contacts.restoreVersion": history.restore_version,
    "contacts.getTrash": history.get_trash,
    "contacts.undelete": history.undelete,
    "contacts.undoCredential": history.undo_credential,
    # Rolodex's extension (docs/duplicates.md).
    "contacts.findDuplicates": duplicates.find_duplicates,
    "contacts.merge": duplicates.merge,
    "contacts.unmerge": duplicates.unmerge,
    "teams.get": teams.get,
    "tags.get": tags.get,
    "tags.scroll": tags.scroll,
    "tags.create": tags.create,
    "tags.update": tags.update,
    "tags.delete": tags.delete,
    "webhooks.getTriggers": webhooks_api.get_triggers,
    "webhooks.create": webhooks_api.create,
    "webhooks.get": webhooks_api.get,
    "webhooks.search": webhooks_api.search,
    "webhooks.delete": webhooks_api.delete,
    "webhooks.getBatches": webhooks_api.get_batches,
}

_ALL_HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def post_with_token(request: Request) -> str | Response:
    """The bearer token of a POST, or the 405 / 401 answer every method of this API gives.

    Checked before any body is read, so a client without a token never uploads one.
    """
    if request.method != "POST":
        return error_response(
            405,
            "method_not_allowed",
            "every method of this API is a POST",
            headers={"Allow": "POST"},
        )
    token = bearer_token(request)
    if token is None:
        return error_response(
            401,
            "unauthorized",
            "send an access token: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": 'Bearer realm="rolodex"'},
        )
    return token


def _answer(
    handler: Handler, services: Services, token: str, request: Request, raw: bytes
) -> dict[str, Any]:
    principal = services.credentials.resolve(token, kinds=(ACCESS_TOKEN,))
    call = Call.of(principal, services, request, raw)
    # Whatever the call writes, its versions name this app (docs/history.md).
    with acting_as(actor_of(services.store, call.principal)):
        return handler(call)


async def rpc(request: Request) -> Response:
    name = request.path_params["method"]
    handler = METHODS.get(name)
    if handler is None:
        return error_response(404, "unknown_method", f"there is no method named '{name}'")
    checked = post_with_token(request)
    if isinstance(checked, Response):
        return checked
    token = checked
    services: Services = request.app.state.services
    try:
        raw = await read_limited(request, services.settings.max_body_bytes)
        if isinstance(handler, OnTheLoop):
            result = await handler.answer(services, token, request, raw)
        else:
            result = await run_in_threadpool(_answer, handler, services, token, request, raw)
    except BodyError as exc:
        return error_response(exc.status, exc.code, exc.message)
    except DomainError as exc:
        return domain_error_response(exc)
    return JSONBytes(orjson.dumps(result))


# Served by routes of their own: the OAuth token endpoints (api/oauth/routes.py) and the
# multipart photo upload (photos.py). Their tests fail if this list falls behind.
SERVED_ELSEWHERE = (
    "oauth.exchangeAuthCode",
    "oauth.refreshToken",
    "oauth.verifyAccessToken",
    "contacts.uploadPhoto",
)


class MethodName(Convertor[str]):
    """Any method name but those served elsewhere.

    Leaving those out of the pattern lets this route, the busiest, be tried first: each
    route tried before the one that matches costs every request a regular expression.
    """

    regex = "".join(f"(?!{re.escape(name)}$)" for name in SERVED_ELSEWHERE) + "[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("rpc_method", MethodName())

routes = [Route("/api/v1/{method:rpc_method}", rpc, methods=_ALL_HTTP_METHODS)]
