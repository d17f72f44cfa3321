"""`contacts.get`, `contacts.scroll`, `contacts.create`, `contacts.update`, `contacts.delete`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.api.contactsplus.render import render_contact
from rolodex.contacts.model import ContactData, Text
from rolodex.errors import InvalidInput

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
    found = call.services.contacts.get_many(owner, req.contactIds)
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
