"""The Contacts+ objects (specs/contactsplus-api.txt: Contact, Tag, Team) as JSON.

The Contacts+ API answers with them, and webhook events carry the same objects as their
data (docs/webhooks.md), so they live below both (docs/architecture.md): one shape of a
contact or a tag, whichever road it leaves by.
"""

from __future__ import annotations

from typing import Any

from rolodex.contacts.model import Contact
from rolodex.tags.model import Tag
from rolodex.teams.model import Team, is_team_id
from rolodex.timestamps import iso

# Canonical metadata (DESIGN.md) shown when set; `tagIds` and `companyContact` always are.
_OPTIONAL_META = ("favorite", "stage", "location", "source", "businessCardTranscriptionStatus")


def render_contact(contact: Contact) -> dict[str, Any]:
    out: dict[str, Any] = {
        "contactId": contact.contact_id,
        "etag": contact.etag,
        "created": iso(contact.created_at),
        "updated": iso(contact.updated_at),
    }
    team = is_team_id(contact.owner_id)
    if team:
        out["teamId"] = contact.owner_id
    if contact.deleted:
        # A tombstone says which contact went and when; its data is no longer shown.
        out["deleted"] = True
        out["contactData"] = {}
        out["contactMetadata"] = {"tagIds": [], "companyContact": False}
        return out
    stored = contact.meta  # parsed on this first read (StoredJSON)
    meta: dict[str, Any] = {
        "tagIds": contact.tag_ids,
        "companyContact": bool(stored.get("companyContact", False)),
    }
    for key in _OPTIONAL_META:
        if key in stored:
            meta[key] = stored[key]
    if team:
        # Spec, Contact Object: `ownedBy` and `sharedBy` are "only returned for team contacts".
        meta["sharedBy"] = list(stored.get("sharedBy", []))
        if stored.get("ownedBy"):
            meta["ownedBy"] = stored["ownedBy"]
    out["contactData"] = contact.data_for_json()
    out["contactMetadata"] = meta
    return out


def render_tag(tag: Tag) -> dict[str, Any]:
    """The spec's Tag Object; a deleted tag (scroll with `includeDeletedTags`) adds `deleted`."""
    out: dict[str, Any] = {
        "tagId": tag.tag_id,
        "created": iso(tag.created_at),
        "updated": iso(tag.updated_at),
        "etag": tag.etag,
        "tagData": {"name": tag.name},
    }
    if tag.deleted:
        out["deleted"] = True
    return out


def render_team(team: Team) -> dict[str, Any]:
    """A team as `teams.get` shows it (the spec leaves `teamData`/`teamMembers` open)."""
    return {
        "teamId": team.team_id,
        "created": iso(team.created_at),
        "updated": iso(team.updated_at),
        "teamData": {"name": team.name},
        "teamMembers": [
            {"accountId": m.account_id, "name": m.name, "email": m.email, "role": m.role}
            for m in team.members
        ],
    }
