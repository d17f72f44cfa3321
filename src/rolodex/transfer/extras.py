"""Keeping a contact's kept extras true to its data after a write through any API.

`ContactService` calls `reconcile_kept` (wired in services.py as `data_saved`) inside
every write that saves a contact's data, in that write's transaction. A contact with no
`contact_cards` row costs one primary-key read; for one with a row, the format's own
rule (`formats.vcard.reconcile`) drops the details of values no longer there and keeps
the rest, so an export never writes a detail that contradicts the new data.
"""

from __future__ import annotations

from sqlalchemy import Connection

from rolodex.contacts.cards import CardRepository
from rolodex.contacts.model import Contact
from rolodex.formats.vcard import reconcile


def reconcile_kept(conn: Connection, contact: Contact) -> None:
    """In the write's transaction: the contact's kept extras, reconciled with its data."""
    extras = CardRepository.extras_of(conn, contact.pk)
    if not extras:
        return
    kept = reconcile(extras, contact.data)
    if kept != extras:
        CardRepository.set_extras(conn, contact.pk, kept)
