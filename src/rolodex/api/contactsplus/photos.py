"""`contacts.uploadPhoto`: a `multipart/form-data` request, so it has a route of its own.

The body holds a `contact.json` part naming the contact (`{"contactId"}` or
`{"contact": {"contactId"}}`, with `teamId` for a team's contact) and one image part
under any other name (DESIGN.md). The bearer token is checked before the body is read,
so an unauthenticated client cannot make the server take in ten megabytes.
"""

from __future__ import annotations

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from rolodex.actors import acting_as
from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.api.contactsplus.contacts import Id
from rolodex.api.contactsplus.errors import domain_error_response, error_response
from rolodex.api.contactsplus.routes import post_with_token
from rolodex.api.contactsplus.upload_form import (
    CONTACT_PART,
    ENVELOPE_SLACK,
    is_multipart,
    parse_upload_form,
)
from rolodex.api.json_body import BodyError, read_limited
from rolodex.contacts.model import Text
from rolodex.contactsplus_objects import render_contact
from rolodex.errors import DomainError, InvalidInput, Unauthenticated
from rolodex.oauth.actor_names import actor_of
from rolodex.oauth.credentials import ACCESS_TOKEN, Principal
from rolodex.photos.errors import ImageTooLarge, UnsupportedImage
from rolodex.services import Services

METHOD = "contacts.uploadPhoto"


class PhotoTarget(Envelope):
    contactId: Id
    # Optional: when sent, the upload is refused (409) if the contact changed since.
    etag: Text | None = None
    teamId: Id | None = None


class UploadPhoto(Envelope):
    """`contact.json`: either `{"contact": {...}}` or the contact's fields at the top."""

    contact: PhotoTarget | None = None
    contactId: Id | None = None
    etag: Text | None = None
    teamId: Id | None = None

    def target(self) -> tuple[str, str | None, str | None]:
        """(contactId, etag, teamId), whichever of the two shapes was sent."""
        if (self.contact is None) == (self.contactId is None):
            raise InvalidInput(
                f"{CONTACT_PART} must name the contact: contactId or contact.contactId",
                field="contact.contactId",
            )
        if self.contact is None:
            assert self.contactId is not None
            return self.contactId, self.etag, self.teamId
        teams = {t for t in (self.teamId, self.contact.teamId) if t is not None}
        if len(teams) > 1:
            raise InvalidInput("teamId and contact.teamId differ", field="teamId")
        etag = self.contact.etag or self.etag
        return self.contact.contactId, etag, next(iter(teams), None)


def _authenticate(services: Services, token: str) -> Principal:
    principal = services.credentials.resolve(token, kinds=(ACCESS_TOKEN,))
    if principal is None:
        raise Unauthenticated("the access token is unknown, expired or revoked")
    return principal


def _target(
    services: Services, principal: Principal, content_type: str, raw: bytes
) -> tuple[str, str, str | None, bytes]:
    """(owner, contactId, etag, image bytes) from the form, the caller's scopes checked."""
    form = parse_upload_form(content_type, raw, max_image_bytes=services.settings.photo_max_bytes)
    try:
        body = orjson.loads(form.contact_json)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"{CONTACT_PART} is not valid JSON: {exc}", field=CONTACT_PART) from None
    if not isinstance(body, dict):
        raise InvalidInput(f"{CONTACT_PART} must be a JSON object", field=CONTACT_PART)
    call = Call(body, principal, services)
    contact_id, etag, team_id = call.parse(UploadPhoto).target()
    owner = call.owner(team_id, scope="contacts.write", team_scope="teams.contacts.write")
    return owner, contact_id, etag, form.image


async def upload_photo(request: Request) -> Response:
    checked = post_with_token(request)
    if isinstance(checked, Response):
        return checked
    token = checked
    services: Services = request.app.state.services
    content_type = request.headers.get("content-type")
    try:
        principal = await run_in_threadpool(_authenticate, services, token)
        if content_type is None or not is_multipart(content_type):
            return error_response(
                415,
                "unsupported_media_type",
                f"send multipart/form-data with a '{CONTACT_PART}' part and an image part",
            )
        limit = services.settings.photo_max_bytes + ENVELOPE_SLACK
        raw = await read_limited(request, limit)
        owner, contact_id, etag, image = await run_in_threadpool(
            _target, services, principal, content_type, raw
        )
        del raw  # the image part is all that is needed from here on
        # Its version names this app (docs/history.md).
        actor = await run_in_threadpool(actor_of, services.store, principal)
        # Waits for the decode budget on the event loop, holding no worker thread.
        with acting_as(actor):
            contact = await services.photos.upload_async(owner, contact_id, image, etag=etag)
        result = {"contact": render_contact(contact)}
    except BodyError as exc:
        return error_response(exc.status, exc.code, exc.message)
    except UnsupportedImage as exc:
        return error_response(415, exc.code, exc.message, field=exc.field)
    except ImageTooLarge as exc:
        return error_response(413, exc.code, exc.message, field=exc.field)
    except DomainError as exc:
        return domain_error_response(exc)
    return Response(orjson.dumps(result), media_type="application/json")


# Registered before the generic `/api/v1/{method}` route, which takes only JSON.
routes = [
    Route(
        f"/api/v1/{METHOD}",
        upload_photo,
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    )
]
