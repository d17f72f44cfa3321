"""The change log: every write appends its change in the same transaction, in order."""

from __future__ import annotations

import pytest

from rolodex.errors import EtagConflict
from rolodex.services import Services
from rolodex.store.changelog import ChangeLog


def test_each_write_appends_one_change_in_order(services: Services) -> None:
    owner = services.accounts.create(f"log-{id(object())}@example.com", "password123").account_id
    contacts = services.contacts
    a = contacts.create(owner, {"notes": "a"})
    b = contacts.create(owner, {"notes": "b"})
    a2 = contacts.replace_data(owner, a.contact_id, {"notes": "a2"}, etag=a.etag)
    contacts.delete(owner, b.contact_id, etag=b.etag)
    with services.store.read() as conn:
        log = ChangeLog.since(conn, owner, 0)
        last = ChangeLog.last_seq(conn, owner)
    assert [(c.entity_id, c.action) for c in log] == [
        (a.contact_id, "created"),
        (b.contact_id, "created"),
        (a.contact_id, "updated"),
        (b.contact_id, "deleted"),
    ]
    assert [c.seq for c in log] == sorted(c.seq for c in log)
    assert log[2].etag == a2.etag
    assert last == log[-1].seq
    with services.store.read() as conn:
        assert [c.action for c in ChangeLog.since(conn, owner, log[1].seq)] == [
            "updated",
            "deleted",
        ]


def test_a_refused_write_leaves_no_change_behind(services: Services) -> None:
    owner = services.accounts.create(
        f"log-refused-{id(object())}@example.com", "password123"
    ).account_id
    contact = services.contacts.create(owner, {"notes": "x"})
    with pytest.raises(EtagConflict):
        services.contacts.replace_data(owner, contact.contact_id, {"notes": "y"}, etag="stale")
    with services.store.read() as conn:
        assert [c.action for c in ChangeLog.since(conn, owner, 0)] == ["created"]


def test_a_write_that_fails_midway_rolls_back_its_change(services: Services) -> None:
    owner = services.accounts.create(
        f"log-boom-{id(object())}@example.com", "password123"
    ).account_id
    contact = services.contacts.create(owner, {"notes": "x"})

    def boom(c) -> None:  # type: ignore[no-untyped-def]
        c.data = {"notes": "half"}
        raise RuntimeError("fails after changing the contact")

    with pytest.raises(RuntimeError):
        services.contacts.modify(owner, contact.contact_id, boom, expected_etag=None)
    assert services.contacts.get_one(owner, contact.contact_id).data == {"notes": "x"}
    with services.store.read() as conn:
        assert len(ChangeLog.since(conn, owner, 0)) == 1
