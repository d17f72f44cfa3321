"""How the Contacts+ API shows a contact."""

from __future__ import annotations

from typing import Any

from rolodex.contacts.model import Contact
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
    if contact.deleted:
        # A tombstone says which contact went and when; its data is no longer shown.
        out["deleted"] = True
        out["contactData"] = {}
        out["contactMetadata"] = {"tagIds": [], "companyContact": False}
        return out
    meta: dict[str, Any] = {
        "tagIds": contact.tag_ids,
        "companyContact": bool(contact.meta.get("companyContact", False)),
    }
    for key in _OPTIONAL_META:
        if key in contact.meta:
            meta[key] = contact.meta[key]
    out["contactData"] = contact.data
    out["contactMetadata"] = meta
    return out
