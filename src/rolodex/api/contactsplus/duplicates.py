"""`contacts.findDuplicates`, `contacts.merge`, `contacts.unmerge`: Rolodex extensions of
the Contacts+ API (docs/duplicates.md).

The groups of likely duplicates in the caller's book, or a team's: `contacts.read`
(with `teamId`, `teams.contacts.read` and membership, as every team-aware method). Merging and unmerging write: `contacts.write` (`teams.contacts.write`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.contactsplus_objects import render_contact

Id = Annotated[str, Field(min_length=1, max_length=64)]


class ContactsFindDuplicates(Envelope):
    teamId: Id | None = None
    # From 0 to 1; the service's default when absent (docs/duplicates.md).
    minScore: float | None = None
    size: int | None = None
    cursor: Annotated[str, Field(max_length=256)] | None = None


def find_duplicates(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsFindDuplicates)
    owner = call.owner(req.teamId, scope="contacts.read", team_scope="teams.contacts.read")
    found, cursor = call.services.duplicates.find(
        owner, min_score=req.minScore, size=req.size, cursor=req.cursor
    )
    out: dict[str, Any] = {"duplicates": [s.as_json() for s in found]}
    if cursor is not None:
        out["cursor"] = cursor
    return out


class ContactsMerge(Envelope):
    contactIds: Annotated[list[Id], Field(max_length=50)]
    survivorId: Id | None = None
    # Stored instead of the merged data, checked as `contacts.update` checks it.
    contactData: dict[str, Any] | None = None
    dryRun: bool | None = None
    teamId: Id | None = None


class ContactsUnmerge(Envelope):
    mergeId: Id
    force: bool | None = None
    teamId: Id | None = None


def merge(call: Call) -> dict[str, Any]:
    """`contacts.merge`: the contacts made one (the survivor), the others deleted."""
    req = call.parse(ContactsMerge)
    owner = call.owner(req.teamId, scope="contacts.write", team_scope="teams.contacts.write")
    contact, merge_id = call.services.merges.merge(
        owner,
        req.contactIds,
        survivor_id=req.survivorId,
        contact_data=req.contactData,
        dry_run=bool(req.dryRun),
    )
    out: dict[str, Any] = {"contact": render_contact(contact)}
    if merge_id is not None:
        out["mergeId"] = merge_id
    return out


def unmerge(call: Call) -> dict[str, Any]:
    """`contacts.unmerge`: every contact of a merge back as it was."""
    req = call.parse(ContactsUnmerge)
    owner = call.owner(req.teamId, scope="contacts.write", team_scope="teams.contacts.write")
    contacts = call.services.merges.unmerge(owner, req.mergeId, force=bool(req.force))
    return {"contacts": [render_contact(c) for c in contacts]}
