"""Writing one batch of checked cards in the caller's transaction: creates and updates.

A card whose `UID` a live contact of the owner holds (in `contact_cards`, or as the
derived `UID` of an export, uids.py) updates that contact, in whichever of the owner's
books it is (a UID is unique per book: the default book's holder first): its data is replaced by the
card's (photos uploaded to it stay), the card's tags are added, and its kept extras are
replaced. Every other card is a new contact, made through the contact service's batched
path (`ContactService.create_many_in`, the bulk import's one insert path). A `UID` held
by a deleted contact of the default book passes to the new contact made for it there
(an import's new contacts land in the default book).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from rolodex.contacts import phones
from rolodex.contacts.cards import DEFAULT_BOOK, CardRepository, CardRow
from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import prepare
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.photos.service import PHOTO_TYPE
from rolodex.tags.model import name_key
from rolodex.transfer.checks import CheckedCard
from rolodex.transfer.tag_names import ensure_tags
from rolodex.transfer.uids import contact_id_of, derived_uid


@dataclass(slots=True)
class Written:
    """What a batch did: each card with the contact it made or updated."""

    created: list[tuple[CheckedCard, Contact]] = field(default_factory=list)
    updated: list[tuple[CheckedCard, Contact]] = field(default_factory=list)


def uploaded(data: dict[str, Any]) -> list[dict[str, Any]]:
    photos = data.get("photos") or []
    return [p for p in photos if isinstance(p, dict) and p.get("type") == PHOTO_TYPE]


def targets_of(
    conn: Connection, owner_id: str, uids: list[str]
) -> tuple[dict[str, Contact], list[str]]:
    """uid -> the owner's live contact it names (locked), and the uids deleted contacts of
    the default book hold."""
    holders = CardRepository.holders(conn, owner_id, uids)
    released = [uid for uid, h in holders.items() if h.deleted and h.book == DEFAULT_BOOK]
    wanted: dict[str, str] = {}
    for uid in uids:
        holder = holders.get(uid)
        if holder is not None:
            if not holder.deleted:
                wanted[uid] = holder.contact_id
            continue
        contact_id = contact_id_of(uid)
        if contact_id is not None:
            wanted[uid] = contact_id
    live = ContactRepository.by_ids(conn, owner_id, wanted.values(), for_update=True)
    return {uid: live[cid] for uid, cid in wanted.items() if cid in live}, released


def write_batch(
    conn: Connection, contacts: ContactService, owner_id: str, cards: list[CheckedCard]
) -> Written:
    """Create or update one contact per card, with tags and `contact_cards` rows."""
    targets, released = targets_of(conn, owner_id, [c.uid for c in cards if c.uid])
    CardRepository.release(conn, owner_id, DEFAULT_BOOK, released)
    tag_ids = ensure_tags(conn, owner_id, [name for card in cards for name in card.tags])
    written = Written()
    rows: list[CardRow] = []
    creates = [c for c in cards if not (c.uid and c.uid in targets)]
    if creates:
        region = phones.default_region()
        dialect = conn.dialect.name
        prepared = [c.prepared or prepare(dialect, owner_id, c.data, region) for c in creates]
        made = contacts.create_many_in(conn, owner_id, [p.data_json for p in prepared], prepared)
        for card, contact in zip(creates, made, strict=True):
            ids = sorted({tag_ids[name_key(n)] for n in card.tags})
            if ids:
                contact.tag_ids = ids
                ContactRepository.set_tags(conn, contact.pk, ids)
            if card.uid or card.extras:
                uid = card.uid or derived_uid(contact.contact_id)
                rows.append(CardRow(contact.pk, owner_id, uid, card.extras))
            written.created.append((card, contact))
    for card in cards:
        target = targets.get(card.uid) if card.uid else None
        if target is None:
            continue
        contact = target
        data = dict(card.data)
        kept = uploaded(contact.data)
        if kept:
            data["photos"] = [*(data.get("photos") or []), *kept]
        contact.data = data
        contact.tag_ids = sorted(set(contact.tag_ids) | {tag_ids[name_key(n)] for n in card.tags})
        contacts.record_in(conn, contact)
        rows.append(CardRow(contact.pk, owner_id, card.uid or "", card.extras))
        written.updated.append((card, contact))
    CardRepository.put(conn, rows)
    return written
