"""Every way a contact is inserted writes the same row (`repository.rows.new_row`).

One contact (`ContactRepository.insert`, what `contacts.create` uses), many at once
(`insert_many`: numbered rows through `executemany` on SQLite, multi-row statements on
PostgreSQL), and the import's batches prepared in a worker process must leave rows a
reader cannot tell apart: same data text, sort key and metadata for the same contact.
"""

from __future__ import annotations

import pickle
from typing import Any

import orjson

from rolodex.contacts import phones
from rolodex.contacts.importer import ContactImporter
from rolodex.contacts.model import Contact, clean_contact_data
from rolodex.contacts.prepared import prepare
from rolodex.contacts.repository import ContactRepository
from rolodex.ids import new_id
from rolodex.services import Services
from rolodex.store.schema import contacts

RAW = {
    "name": {"givenName": "Zoë", "familyName": "Ångström", "prefix": "Dr."},
    "emails": [{"type": "work", "value": "zoe@example.com"}],
    "phoneNumbers": [{"type": "mobile", "value": "+44 20 7946 0958"}],
    "organizations": [{"name": "Ünïcode Ltd", "title": "Engineer"}],
    "notes": 'quotes " and \\ backslashes, and 日本語',
}
# What the row may differ in: the database's key and the contact's own id.
_OWN = ("pk", "contact_id")


def _contact(owner: str, data: dict[str, Any], meta: dict[str, Any]) -> Contact:
    return Contact(
        pk=0,
        contact_id=new_id("c_"),
        owner_id=owner,
        etag="e" * 16,
        created_at=1_700_000_000_000,
        updated_at=1_700_000_000_001,
        deleted_at=None,
        data=data,
        meta=meta,
    )


def _rows(services: Services, owner: str, *ignored: str) -> dict[str, dict[str, Any]]:
    """The owner's contact rows by contact id, without the columns that may differ."""
    with services.store.read() as conn:
        found = conn.execute(contacts.select().where(contacts.c.owner_id == owner)).mappings()
        return {
            row["contact_id"]: {k: v for k, v in row.items() if k not in (*_OWN, *ignored)}
            for row in found
        }


def test_every_repository_insert_path_writes_the_same_row(services: Services) -> None:
    owner = new_id("a_")
    data = clean_contact_data(RAW)
    meta = {"favorite": True, "source": "Ünïcode import"}
    one, many, prepared = (_contact(owner, data, meta) for _ in range(3))
    dialect = services.store.engine.dialect.name
    # As an import's worker process hands it over: pickled, then unpickled by the writer.
    from_worker = pickle.loads(pickle.dumps(prepare(dialect, owner, data, phones.default_region())))
    with services.store.write() as conn:
        ContactRepository.insert(conn, one)
        ContactRepository.insert_many(conn, [many])
        ContactRepository.insert_many(conn, [prepared], [from_worker])

    rows = _rows(services, owner)
    assert set(rows) == {one.contact_id, many.contact_id, prepared.contact_id}
    assert rows[many.contact_id] == rows[one.contact_id]
    assert rows[prepared.contact_id] == rows[one.contact_id]
    assert orjson.loads(rows[one.contact_id]["data"]) == data
    assert orjson.loads(rows[one.contact_id]["meta"]) == meta


def test_an_imported_contact_is_stored_as_a_created_one(services: Services) -> None:
    owner = new_id("a_")
    created = services.contacts.create(owner, clean_contact_data(RAW))
    importer = ContactImporter(services.store, services.contacts)
    importer.import_all(owner, [orjson.dumps(RAW)], max_lines=10)

    rows = _rows(services, owner, "etag", "created_at", "updated_at")
    imported = [row for contact_id, row in rows.items() if contact_id != created.contact_id]
    assert len(rows) == 2
    assert imported == [rows[created.contact_id]]
