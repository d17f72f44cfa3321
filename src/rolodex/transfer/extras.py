"""Keeping a contact's kept extras true to its data after a write through any API.

`ContactService` calls `reconcile_kept` (wired in services.py as `data_saved`) inside
every write that saves a contact's data, in that write's transaction. A contact with no
`contact_cards` row costs one primary-key read; for one with a row, the format's own
rule (`formats.vcard.reconcile`) drops the details of values no longer there and keeps
the rest, so an export never writes a detail that contradicts the new data. A write of many
contacts at once (an undo's batch) calls `reconcile_kept_many`: one read for them all.

A merge (rolodex.duplicates.merge, wired in services.py) calls `merge_kept`: the
survivor's row gets every merged-away card's extras too (`formats.vcard.merged_extras`),
and what its row was is returned for the merge to keep; `unmerge` gives that back to
`restore_kept`, so the survivor's row is again exactly as before the merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from rolodex.contacts.cards import CardRepository, CardRow
from rolodex.contacts.model import Contact
from rolodex.formats.vcard import merged_extras, reconcile
from rolodex.transfer.uids import derived_uid


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


def merge_kept(
    conn: Connection, group: Sequence[Contact], merged: dict[str, Any]
) -> dict[str, Any] | None:
    """The survivor's (`group[0]`) row with every card's extras of the group, before the
    merge's write (`group` as it was; `merged` its new data). Returns the row as it was
    (`{"extras": None}`: it had none), or None when no card of the group has extras.
    The survivor's own are returned even when no other card adds to them: the merge's
    write reconciles them with the merged data (a detail of its name, when another
    record's name is fuller, goes), and the unmerge must give them back."""
    rows = CardRepository.by_pks(conn, [c.pk for c in group])
    if not any(rows[c.pk].extras for c in group if c.pk in rows):
        return None
    survivor = group[0]
    own = rows.get(survivor.pk)
    extras = merged_extras(
        [rows[c.pk].extras if c.pk in rows else None for c in group],
        [c.data for c in group],
        merged,
    )
    if own is not None:
        if extras != own.extras:
            CardRepository.set_extras(conn, survivor.pk, extras)
        return {"extras": own.extras}
    row = CardRow(survivor.pk, survivor.owner_id, derived_uid(survivor.contact_id), extras)
    CardRepository.put(conn, [row])
    return {"extras": None}


def restore_kept(conn: Connection, contact: Contact, before: dict[str, Any]) -> None:
    """The survivor's row as `merge_kept` found it (after the unmerge's write)."""
    extras = before.get("extras")
    if isinstance(extras, dict):
        CardRepository.set_extras(conn, contact.pk, extras)
    else:
        CardRepository.remove(conn, [contact.pk])
