"""Event data: the contact or tag as the Contacts+ API shows it, or its id once deleted.

The objects are the API's own (rolodex/contactsplus_objects.py), read through the
contacts' and tags' repositories, so an event and an API answer never differ.

Data is read when the batch is built (moments after the change, while the worker
keeps up), so an `added` or `updated` event shows the object as it then is; if it was
deleted in between, the event shows `{"contactId", "deleted": true}` and the
`deleted` event follows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from rolodex.contacts.repository import ContactRepository
from rolodex.contactsplus_objects import render_contact, render_tag
from rolodex.ids import new_id
from rolodex.store.changelog import DELETED, Change
from rolodex.tags.repository import TagRepository
from rolodex.timestamps import iso
from rolodex.webhooks.model import TRIGGER_OF_CHANGE


def render_events(conn: Connection, owner_id: str, found: list[Change]) -> list[dict[str, Any]]:
    """One event per change, in change order, with data read in this transaction."""
    live = [c for c in found if c.action != DELETED]
    contact_ids = [c.entity_id for c in live if c.entity == "contact"]
    tag_ids = [c.entity_id for c in live if c.entity == "tag"]
    contacts = ContactRepository.by_ids(conn, owner_id, contact_ids) if contact_ids else {}
    tags = TagRepository.by_ids(conn, owner_id, tag_ids)
    out: list[dict[str, Any]] = []
    for change in found:
        key = "contactId" if change.entity == "contact" else "tagId"
        data: dict[str, Any]
        if change.action == DELETED:
            data = {key: change.entity_id}
        elif change.entity == "contact" and change.entity_id in contacts:
            data = render_contact(contacts[change.entity_id])
        elif change.entity == "tag" and change.entity_id in tags:
            data = render_tag(tags[change.entity_id])
        else:
            data = {key: change.entity_id, "deleted": True}
        out.append(
            {
                "eventId": new_id("ev_"),
                "triggerId": TRIGGER_OF_CHANGE[(change.entity, change.action)],
                "created": iso(change.occurred_at),
                "data": data,
            }
        )
    return out
