"""The search documents of trashed contacts: a deletion takes the contact out of every
search and keeps its document aside; an undelete with the same data puts that document
back, one with other data is indexed from its data; leaving the trash drops it."""

from __future__ import annotations

import dataclasses

import orjson
from sqlalchemy import String, cast, func, select

from rolodex.contacts.model import Contact
from rolodex.contacts.put_back import PutBack
from rolodex.contacts.versions import Snapshot
from rolodex.ids import new_id
from rolodex.services import Services
from rolodex.store.schema import contact_search, contact_search_trash, contacts


def _found(services: Services, owner: str, query: str) -> list[str]:
    return [c.contact_id for c in services.search.search(owner, query).contacts]


def _document(services: Services, contact_id: str) -> str | None:
    with services.store.read() as conn:
        found: str | None = conn.execute(
            select(cast(contact_search.c.document, String))
            .join(contacts, contacts.c.pk == contact_search.c.contact_pk)
            .where(contacts.c.contact_id == contact_id)
        ).scalar()
    return found


def _kept(services: Services, owner: str) -> int:
    with services.store.read() as conn:
        return int(
            conn.execute(
                select(func.count()).where(contact_search_trash.c.owner_id == owner)
            ).scalar_one()
        )


def _put_back(services: Services, owner: str, contact_id: str, data: dict[str, str]) -> None:
    """Make the trashed contact live again with `data` (as a restore of a version does)."""
    with services.store.write(owner_id=owner) as conn:
        contact: Contact = services.contacts.repo.by_ids_with_tombstones(conn, owner, [contact_id])[
            contact_id
        ]
        state = dataclasses.replace(Snapshot.of(contact), data_json=orjson.dumps(data).decode())
        services.contacts.put_back_many_in(conn, [PutBack(contact, state, [], deleted=False)])


def test_an_undeleted_contact_is_found_again_by_the_same_document(services: Services) -> None:
    owner = new_id("a_")
    contact = services.contacts.create(owner, {"name": {"givenName": "Ottoline"}})
    other = services.contacts.create(owner, {"name": {"givenName": "Ottokar"}})
    indexed = _document(services, contact.contact_id)
    services.contacts.delete(owner, contact.contact_id, etag=None)
    assert _found(services, owner, "otto") == [other.contact_id]
    assert _found(services, owner, "ottoline") == []
    assert _document(services, contact.contact_id) is None
    assert _kept(services, owner) == 1
    services.history.undelete(owner, contact.contact_id)
    assert _found(services, owner, "ottoline") == [contact.contact_id]
    assert sorted(_found(services, owner, "otto")) == sorted([contact.contact_id, other.contact_id])
    assert _document(services, contact.contact_id) == indexed
    assert _kept(services, owner) == 0
    # Deleted again: out of the index again (the document put back was the one indexed).
    services.contacts.delete(owner, contact.contact_id, etag=None)
    assert _found(services, owner, "ottoline") == []
    assert _kept(services, owner) == 1


def test_a_contact_put_back_with_other_data_is_indexed_from_that_data(
    services: Services,
) -> None:
    owner = new_id("a_")
    contact = services.contacts.create(owner, {"notes": "walrus"})
    services.contacts.delete(owner, contact.contact_id, etag=None)
    _put_back(services, owner, contact.contact_id, {"notes": "narwhal"})
    assert _found(services, owner, "narwhal") == [contact.contact_id]
    assert _found(services, owner, "walrus") == []
    assert _kept(services, owner) == 0


def test_leaving_the_trash_drops_the_kept_document(services: Services) -> None:
    owner = new_id("a_")
    contact = services.contacts.create(owner, {"notes": "gone for good"})
    services.contacts.delete(owner, contact.contact_id, etag=None)
    assert _kept(services, owner) == 1
    services.history.leave_trash(owner, contact.contact_id, [])
    assert _kept(services, owner) == 0
    assert _found(services, owner, "good") == []
