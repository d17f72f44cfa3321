"""`POST /v1/contacts/import` and `GET /v1/contacts/export`: contact files over HTTP.

The import takes the file itself as the body (`text/vcard`, `text/csv` or
`application/x-ndjson`; `?format=` names the format outright), within its own limits
(`import_max_bytes`, `import_max_contacts`: docs/limits.md), and answers the summary
`rolodex import` prints. Without `?skipInvalid=true` a file with a bad contact imports
nothing: a 400 whose body is the summary with a `message`. The export streams the
file a page of contacts at a time. Authentication, scopes and the error shape are the
REST API's (`x-api-key`, `{"message"}`).
"""

from __future__ import annotations

import io
import logging

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from rolodex.actors import acting_as, importing
from rolodex.api.json_body import BodyError, read_limited
from rolodex.api.rest.errors import domain_error_response, error_response, forbidden_response
from rolodex.errors import DomainError, InvalidInput
from rolodex.formats.detect import AUTO, FORMAT_NAMES, JSONL, VCARD, UnknownFormat
from rolodex.oauth.actor_names import actor_of
from rolodex.oauth.credentials import API_KEY, Principal
from rolodex.services import Services
from rolodex.transfer.exporter import export_format
from rolodex.transfer.importer import ImportSummary, TooManyCards

log = logging.getLogger("rolodex")

READ = "contacts.read"
WRITE = "contacts.write"

# Media type -> the format it names (`auto` for CSV: Google's or Outlook's header says).
_BODY_FORMATS = {
    "text/vcard": VCARD,
    "text/x-vcard": VCARD,
    "text/directory": VCARD,
    "text/csv": AUTO,
    "application/x-ndjson": JSONL,
    "application/jsonl": JSONL,
}


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _principal(services: Services, request: Request, scope: str) -> Principal:
    value = (request.headers.get("x-api-key") or "").strip()
    if not value:
        raise _Refused(forbidden_response(True))
    principal = services.credentials.resolve(value, kinds=(API_KEY,))
    if principal is None:
        raise _Refused(forbidden_response(False))
    principal.require(scope)
    return principal


def _requested(request: Request) -> str:
    named = request.query_params.get("format")
    if named:
        if named not in FORMAT_NAMES:
            raise InvalidInput(
                f"unknown format {named!r}: one of {', '.join(FORMAT_NAMES)}", field="format"
            )
        return named
    media = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if media not in _BODY_FORMATS:
        raise _Refused(
            error_response(
                415,
                "unsupported_media_type",
                "send the file as text/vcard, text/csv or application/x-ndjson"
                " (or name it with ?format=)",
                None,
            )
        )
    return _BODY_FORMATS[media]


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name, "false").strip().lower()
    if value not in ("true", "false", "1", "0"):
        raise InvalidInput("must be true or false", field=name)
    return value in ("true", "1")


def _import(services: Services, request: Request, raw: bytes) -> Response:
    principal = _principal(services, request, WRITE)
    requested = _requested(request)
    skip_invalid = _flag(request, "skipInvalid")
    try:
        with acting_as(actor_of(services.store, principal)), importing():
            summary = services.card_import.run(
                principal.account_id,
                lambda: io.BytesIO(raw),
                requested=requested,
                skip_invalid=skip_invalid,
                max_cards=services.settings.import_max_contacts,
            )
    except UnknownFormat as exc:
        raise InvalidInput(str(exc), field="format") from None
    return _summary(summary)


def _summary(summary: ImportSummary) -> Response:
    body = summary.as_json()
    status = 200
    if not summary.written:
        count = len(summary.errors)
        body = {
            "message": f"{count} contact{'s' if count != 1 else ''} could not be read;"
            " nothing was imported (each is listed in errors with its line)",
            **body,
        }
        status = 400
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


async def import_contacts(request: Request) -> Response:
    services: Services = request.app.state.services
    if request.method != "POST":
        return _not_allowed("POST")
    limit = services.settings.import_max_bytes
    try:
        raw = await read_limited(request, limit)
        return await run_in_threadpool(_import, services, request, raw)
    except BodyError as exc:
        if exc.status == 413:
            message = f"the file may be at most {limit} bytes (docs/limits.md); split it"
            return error_response(413, exc.code, message, None)
        return error_response(exc.status, exc.code, exc.message, None)
    except _Refused as exc:
        return exc.response
    except TooManyCards as exc:
        return error_response(413, exc.code, exc.message, None)
    except DomainError as exc:
        return domain_error_response(exc)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(
            500, "internal_error", "the server failed to answer; this is a bug", None
        )


async def export_contacts(request: Request) -> Response:
    services: Services = request.app.state.services
    if request.method not in ("GET", "HEAD"):
        return _not_allowed("GET")
    try:
        principal = await run_in_threadpool(_principal, services, request, READ)
        fmt = export_format(request.query_params.get("format") or "vcard")
        photos = not _flag(request, "noPhotos")
    except _Refused as exc:
        return exc.response
    except DomainError as exc:
        return domain_error_response(exc)
    chunks = services.export.chunks(principal.account_id, fmt, photos=photos)
    return StreamingResponse(
        chunks,
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="contacts.{fmt.extension}"'},
    )


def _not_allowed(allowed: str) -> Response:
    response = error_response(405, "method_not_allowed", f"use {allowed} here", None)
    response.headers["Allow"] = allowed
    return response
