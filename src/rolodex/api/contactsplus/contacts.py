"""`contacts.get`, `contacts.scroll`, `contacts.create`, `contacts.update`, `contacts.delete`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.api.json_body import BodyError, parse_object
from rolodex.contacts.model import Contact, ContactData, Text
from rolodex.contactsplus_objects import render_contact
from rolodex.errors import InvalidInput
from rolodex.oauth.credentials import ACCESS_TOKEN
from rolodex.services import Services

Id = Annotated[str, Field(min_length=1, max_length=64)]


class ContactsGet(Envelope):
    contactIds: Annotated[list[Id], Field(min_length=1)]
    teamId: Id | None = None


class ContactsScroll(Envelope):
    size: int | None = None
    scrollCursor: Annotated[str, Field(max_length=256)] | None = None
    includeDeletedContacts: bool | None = None
    teamId: Id | None = None


class NewContact(Envelope):
    contactData: ContactData | None = None
    # Read-only parts of a contact that clients echo back: accepted and ignored.
    contactMetadata: dict[str, Any] | None = None


class ContactsCreate(Envelope):
    contact: NewContact
    teamId: Id | None = None


class ExistingContact(Envelope):
    contactId: Id
    etag: Text | None = None
    contactData: ContactData | None = None
    # Read-only fields of the contact as this API returned it: accepted and ignored, so a
    # client can send back what it read. Tags change through contacts.manageTags.
    teamId: Id | None = None
    created: Text | None = None
    updated: Text | None = None
    deleted: bool | None = None
    contactMetadata: dict[str, Any] | None = None


class ContactsUpdate(Envelope):
    contact: ExistingContact
    resolveConflicts: bool | None = None
    teamId: Id | None = None


class ContactsDelete(Envelope):
    contactId: Id
    etag: Text
    teamId: Id | None = None


def _data(model: ContactData | None) -> dict[str, Any]:
    return {} if model is None else model.model_dump(exclude_none=True)


def get(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsGet)
    owner = call.owner(req.teamId, scope="contacts.read", team_scope="teams.contacts.read")
    return _rendered(call.services.contacts.get_many(owner, req.contactIds))


async def get_on_loop(
    services: Services, token: str, request: Request, raw: bytes
) -> dict[str, Any]:
    """`get`, awaited on the event loop: the busiest read, kept off the worker threads.

    The usual call (one id, no team) is one statement that also resolves the token
    (`ContactService.get_one_with_credential`); it is taken only for a body already
    found valid, so it can only answer 401 or 403 before the contact. Any other body is
    answered as every method is (`Call.on_the_loop`: 401 before 400).
    """
    usual = _one_own_id(request, raw)
    if usual is None:
        return await _get_on_loop(await Call.on_the_loop(services, token, request, raw))
    body, contact_id = usual
    principal, found = await services.contacts.get_one_with_credential(
        services.credentials, token, contact_id, kinds=(ACCESS_TOKEN,)
    )
    call = Call.of_valid(principal, services, body)
    call.owner(None, scope="contacts.read", team_scope="teams.contacts.read")
    return _rendered(found)


async def _get_on_loop(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsGet)
    if req.teamId is not None:
        # Membership is read through the store's engine, which blocks: a worker thread.
        return await run_in_threadpool(get, call)
    owner = call.owner(None, scope="contacts.read", team_scope="teams.contacts.read")
    return _rendered(await call.services.contacts.get_many_async(owner, req.contactIds))


def _one_own_id(request: Request, raw: bytes) -> tuple[dict[str, Any], str] | None:
    """The body and id of a well-formed `contacts.get` of one id and no team, else None."""
    try:
        body = parse_object(request, raw, empty_is_object=True)
        req = ContactsGet.model_validate(body)
    except (BodyError, ValidationError):
        return None
    if req.teamId is not None or len(req.contactIds) != 1:
        return None
    return body, req.contactIds[0]


def _rendered(found: list[Contact]) -> dict[str, Any]:
    return {"contacts": [render_contact(c) for c in found]}


def scroll(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsScroll)
    owner = call.owner(req.teamId, scope="contacts.read", team_scope="teams.contacts.read")
    page = call.services.contacts.scroll(
        owner,
        size=req.size,
        cursor=req.scrollCursor,
        include_deleted=bool(req.includeDeletedContacts),
    )
    out: dict[str, Any] = {"contacts": [render_contact(c) for c in page.contacts]}
    if page.cursor is not None:
        out["cursor"] = page.cursor
    return out


def create(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsCreate)
    owner = call.owner(req.teamId, scope="contacts.write", team_scope="teams.contacts.write")
    # A team contact is shared by the member who created it (contactMetadata.sharedBy).
    meta = None if req.teamId is None else {"sharedBy": [call.principal.account_id]}
    contact = call.services.contacts.create(owner, _data(req.contact.contactData), meta)
    return {"contact": render_contact(contact)}


def update(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsUpdate)
    owner = call.owner(req.teamId, scope="contacts.write", team_scope="teams.contacts.write")
    contact = call.services.contacts.replace_data(
        owner,
        req.contact.contactId,
        _data(req.contact.contactData),
        etag=req.contact.etag,
        resolve_conflicts=bool(req.resolveConflicts),
    )
    return {"contact": render_contact(contact)}


def delete(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsDelete)
    owner = call.owner(req.teamId, scope="contacts.write", team_scope="teams.contacts.write")
    call.services.contacts.delete(owner, req.contactId, etag=req.etag)
    return {}


class ContactsManageTags(Envelope):
    contactIds: Annotated[list[Id], Field(min_length=1)]
    addTagIds: list[Id] | None = None
    removeTagIds: list[Id] | None = None
    teamId: Id | None = None


def manage_tags(call: Call) -> dict[str, Any]:
    """`contacts.manageTags`: answers the contacts whose tags changed (spec's example comment)."""
    req = call.parse(ContactsManageTags)
    owner = call.owner(req.teamId, scope="contacts.write", team_scope="teams.contacts.write")
    changed = call.services.tags.manage(
        owner, req.contactIds, add=req.addTagIds or [], remove=req.removeTagIds or []
    )
    return {"contacts": [render_contact(c) for c in changed]}


class ContactsChangeOwner(Envelope):
    contactIds: Annotated[list[Id], Field(min_length=1)]
    # null (or absent) clears the owner, as the spec says ("Pass null ownerId").
    ownerId: Id | None = None
    teamId: Id | None = None


def change_owner(call: Call) -> dict[str, Any]:
    """`contacts.changeOwner`: only team contacts have owners, so `teamId` is required."""
    req = call.parse(ContactsChangeOwner)
    if req.teamId is None:
        raise InvalidInput("contacts.changeOwner applies to team contacts", field="teamId")
    team = call.owner(req.teamId, scope="contacts.write", team_scope="teams.contacts.write")
    changed = call.services.teams.change_owner(team, req.contactIds, req.ownerId)
    return {"contacts": [render_contact(c) for c in changed]}
