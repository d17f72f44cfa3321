"""The history extension methods (docs/history.md): versions, the trash, undo.

`contacts.getHistory`, `contacts.restoreVersion`, `contacts.getTrash`, `contacts.undelete`
and `contacts.undoCredential` are Rolodex's own, not Contacts+'s: they follow its
conventions (a POST with a JSON body, `teamId` for a team's book with the team scopes,
the signed cursors, its error shape) and are marked as extensions in the OpenAPI document.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.contacts.model import Contact, Text
from rolodex.contacts.versions import Snapshot
from rolodex.contactsplus_objects import render_contact
from rolodex.errors import InvalidInput
from rolodex.history.model import Source
from rolodex.history.undo import UndoOutcome
from rolodex.timestamps import iso, parse_iso

Id = Annotated[str, Field(min_length=1, max_length=64)]
Cursor = Annotated[str, Field(max_length=256)]
READ = {"scope": "contacts.read", "team_scope": "teams.contacts.read"}
WRITE = {"scope": "contacts.write", "team_scope": "teams.contacts.write"}


class GetHistory(Envelope):
    contactId: Id
    teamId: Id | None = None
    size: int | None = None
    cursor: Cursor | None = None


class RestoreVersion(Envelope):
    contactId: Id
    versionId: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[0-9]+$")]
    etag: Text | None = None
    force: bool | None = None
    teamId: Id | None = None


class GetTrash(Envelope):
    teamId: Id | None = None
    size: int | None = None
    cursor: Cursor | None = None


class Undelete(Envelope):
    contactId: Id
    teamId: Id | None = None


class UndoCredential(Envelope):
    credentialId: Id | None = None
    credentialName: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    since: Annotated[str, Field(min_length=1, max_length=64)]
    dryRun: bool | None = None
    teamId: Id | None = None


def _source(source: Source) -> dict[str, Any]:
    return {"kind": source.kind, "name": source.name}


def _shown(contact_id: str, owner_id: str, state: Snapshot) -> dict[str, Any]:
    """A kept version's `contactData` and `contactMetadata`, as a live contact shows them."""
    shown = render_contact(
        Contact(
            pk=0,
            contact_id=contact_id,
            owner_id=owner_id,
            etag=state.etag,
            created_at=state.updated_at,
            updated_at=state.updated_at,
            deleted_at=None,
            data=state.data_json,
            meta=state.meta_json,
            tag_ids=list(state.tag_ids),
        )
    )
    return {"contactData": shown["contactData"], "contactMetadata": shown["contactMetadata"]}


def get_history(call: Call) -> dict[str, Any]:
    req = call.parse(GetHistory)
    owner = call.owner(req.teamId, **READ)
    page = call.services.history.history(owner, req.contactId, size=req.size, cursor=req.cursor)
    out: dict[str, Any] = {
        "versions": [
            {
                "versionId": str(v.version_id),
                "etag": v.state.etag,
                "updated": iso(v.state.updated_at),
                "deleted": v.state.deleted_at is not None,
                "source": _source(v.source),
                "replaced": iso(v.replaced_at),
                "replacedBy": _source(v.replaced_by),
                **_shown(req.contactId, owner, v.state),
            }
            for v in page.items
        ]
    }
    if page.cursor is not None:
        out["cursor"] = page.cursor
    return out


def restore_version(call: Call) -> dict[str, Any]:
    req = call.parse(RestoreVersion)
    owner = call.owner(req.teamId, **WRITE)
    if req.etag is None and not req.force:
        raise InvalidInput("required unless force is true", field="etag")
    contact = call.services.history.restore_version(
        owner, req.contactId, int(req.versionId), etag=req.etag, force=bool(req.force)
    )
    return {"contact": render_contact(contact)}


def get_trash(call: Call) -> dict[str, Any]:
    req = call.parse(GetTrash)
    owner = call.owner(req.teamId, **READ)
    page = call.services.history.trash(owner, size=req.size, cursor=req.cursor)
    out: dict[str, Any] = {
        "contacts": [
            {
                "contactId": t.contact_id,
                "deleted": iso(t.deleted_at),
                "source": _source(t.source),
                **_shown(t.contact_id, owner, t.state),
            }
            for t in page.items
        ]
    }
    if page.cursor is not None:
        out["cursor"] = page.cursor
    return out


def undelete(call: Call) -> dict[str, Any]:
    req = call.parse(Undelete)
    owner = call.owner(req.teamId, **WRITE)
    return {"contact": render_contact(call.services.history.undelete(owner, req.contactId))}


def undo_credential(call: Call) -> dict[str, Any]:
    req = call.parse(UndoCredential)
    owner = call.owner(req.teamId, **WRITE)
    if (req.credentialId is None) == (req.credentialName is None):
        raise InvalidInput(
            "give exactly one of credentialId and credentialName", field="credentialId"
        )
    since = parse_iso(req.since)
    if since is None:
        raise InvalidInput("must be an ISO 8601 time, such as 2026-12-07T14:02:00Z", field="since")
    outcome = call.services.history.undo_credential(
        owner,
        since=since,
        credential_id=req.credentialId,
        name=req.credentialName,
        dry_run=bool(req.dryRun),
    )
    return undo_json(outcome)


def undo_json(outcome: UndoOutcome) -> dict[str, Any]:
    """An undo's outcome as the API and the CLI show it."""
    return {
        "dryRun": outcome.dry_run,
        "count": outcome.count,
        "undeleted": outcome.undeleted,
        "deleted": outcome.deleted,
        "restored": outcome.restored,
        "conflicts": outcome.conflicts,
    }
