"""Keeping a contact's kept extras true to its data after a write through any API.

`ContactService` calls `reconcile_kept` (wired in services.py as `data_saved`) inside
every write that saves a contact's data, in that write's transaction. A contact with no
`contact_cards` row costs one primary-key read; for one with a row, the format's own
rule (`formats.vcard.reconcile`) drops the details of values no longer there and keeps
the rest, so an export never writes a detail that contradicts the new data. A write of many
contacts at once (an undo's batch) calls `reconcile_kept_many`: one read for them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from rolodex.contacts.cards import CardRepository
from rolodex.contacts.model import Contact
from rolodex.formats.vcard import reconcile


def reconcile_kept(conn: Connection, contact: Contact) -> None:
    """In the write's transaction: the contact's kept extras, reconciled with its data."""
    _reconcile(conn, contact, CardRepository.extras_of(conn, contact.pk))


def reconcile_kept_many(conn: Connection, contacts: Sequence[Contact]) -> None:
    """`reconcile_kept` of many contacts, their extras read in one statement."""
    found = CardRepository.extras_of_many(conn, [c.pk for c in contacts])
    for contact in contacts:
        _reconcile(conn, contact, found.get(contact.pk))


def _reconcile(conn: Connection, contact: Contact, extras: dict[str, Any] | None) -> None:
    if not extras:
        return
    kept = reconcile(extras, contact.data)
    if kept != extras:
        CardRepository.set_extras(conn, contact.pk, kept)
