"""The hot reads on the driver (`store.quick`): what they see, and how they recover."""

from __future__ import annotations

import threading

import pytest

from rolodex.contacts import quick_reads
from rolodex.services import Services
from rolodex.store.quick_read import Statement
from tests.conftest import ApiUser

_COUNT = Statement.same("SELECT count(*) FROM contacts WHERE owner_id = ?")


def test_a_quick_read_sees_what_a_write_just_committed(services: Services, user: ApiUser) -> None:
    before = services.store.quick.rows(_COUNT, user.account_id)[0][0]
    user.create({"name": {"givenName": "Ada"}})
    assert services.store.quick.rows(_COUNT, user.account_id)[0][0] == before + 1


def test_a_snapshot_runs_several_statements(services: Services, user: ApiUser) -> None:
    created = user.create({"name": {"givenName": "Grace"}})
    with services.store.quick.snapshot() as reader:
        found = quick_reads.live_by_ids(reader, user.account_id, [created["contactId"]])
        count = reader.rows(_COUNT, user.account_id)[0][0]
    assert [c.contact_id for c in found] == [created["contactId"]]
    assert found[0].data == {"name": {"givenName": "Grace"}}
    assert count >= 1


def test_contacts_by_id_are_the_owners_only(services: Services, make_user: object) -> None:
    alice, bob = make_user(), make_user()  # type: ignore[operator]
    hers = alice.create({"name": {"givenName": "Alice"}})
    assert quick_reads.live_by_ids(services.store.quick, bob.account_id, [hers["contactId"]]) == []


def test_each_thread_reads_on_its_own_connection(services: Services, user: ApiUser) -> None:
    seen: list[int] = []

    def read() -> None:
        seen.append(services.store.quick.rows(_COUNT, user.account_id)[0][0])

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 4 and len(set(seen)) == 1


def test_the_quick_reader_cannot_write(services: Services) -> None:
    refused = r"readonly|read-only"
    with pytest.raises(Exception, match=refused):
        services.store.quick.rows(Statement.same("DELETE FROM contacts"))
    with pytest.raises(Exception, match=refused), services.store.quick.snapshot() as reader:
        reader.rows(Statement.same("DELETE FROM contacts"))


def test_a_postgres_connection_killed_while_idle_is_replaced(
    services: Services, store_kind: str, user: ApiUser
) -> None:
    """A server restart (here: the backend terminated) costs no request an error."""
    if store_kind != "postgres":
        pytest.skip("SQLite has no server to lose")
    quick = services.store.quick
    pid = quick.rows(Statement.same("SELECT pg_backend_pid()"))[0][0]
    with services.store.write() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
    # A single statement, then a snapshot, each on a connection that has to be replaced.
    assert quick.rows(_COUNT, user.account_id)[0][0] >= 0
    pid = quick.rows(Statement.same("SELECT pg_backend_pid()"))[0][0]
    with services.store.write() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
    with quick.snapshot() as reader:
        assert reader.rows(_COUNT, user.account_id)[0][0] >= 0
