"""The hot reads on the driver (`store.quick`): what they see, and how they recover."""

from __future__ import annotations

import asyncio
import secrets
import threading

import pytest

from rolodex.contacts.repository import ContactRepository
from rolodex.services import Services
from rolodex.store.quick_read import Statement
from rolodex.store.quick_read_async import CONNECTIONS_PER_LOOP
from tests.conftest import ApiUser

_COUNT = Statement.same("SELECT count(*) FROM contacts WHERE owner_id = ?")
_BACKEND = Statement.same("SELECT pg_backend_pid()")


def _terminate(services: Services, backend_pid: int) -> None:
    """What a PostgreSQL restart does to an idle connection."""
    with services.store.write() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(backend_pid)})")


def test_a_quick_read_sees_what_a_write_just_committed(services: Services, user: ApiUser) -> None:
    before = services.store.quick.rows(_COUNT, user.account_id)[0][0]
    user.create({"name": {"givenName": "Ada"}})
    assert services.store.quick.rows(_COUNT, user.account_id)[0][0] == before + 1


def test_a_snapshot_runs_several_statements(services: Services, user: ApiUser) -> None:
    created = user.create({"name": {"givenName": "Grace"}})
    with services.store.quick.snapshot() as reader:
        found = ContactRepository.live_by_ids(reader, user.account_id, [created["contactId"]])
        count = reader.rows(_COUNT, user.account_id)[0][0]
    assert [c.contact_id for c in found] == [created["contactId"]]
    assert found[0].data == {"name": {"givenName": "Grace"}}
    assert count >= 1


def test_contacts_by_id_are_the_owners_only(services: Services, make_user: object) -> None:
    alice, bob = make_user(), make_user()  # type: ignore[operator]
    hers = alice.create({"name": {"givenName": "Alice"}})
    assert (
        ContactRepository.live_by_ids(services.store.quick, bob.account_id, [hers["contactId"]])
        == []
    )


def test_a_snapshot_sees_one_state_while_other_threads_see_new_writes(
    services: Services, user: ApiUser
) -> None:
    """Each thread reads on its own connection: a snapshot held open in one thread neither
    sees a later write nor holds back another thread's read of it."""
    user.create({"name": {"givenName": "Before"}})
    opened, written = threading.Event(), threading.Event()
    in_snapshot: list[int] = []

    def hold_a_snapshot() -> None:
        with services.store.quick.snapshot() as reader:
            in_snapshot.append(reader.rows(_COUNT, user.account_id)[0][0])
            opened.set()
            written.wait(30)
            in_snapshot.append(reader.rows(_COUNT, user.account_id)[0][0])

    holder = threading.Thread(target=hold_a_snapshot)
    holder.start()
    assert opened.wait(30)
    user.create({"name": {"givenName": "After"}})
    elsewhere: list[int] = []
    reader_thread = threading.Thread(
        target=lambda: elsewhere.append(services.store.quick.rows(_COUNT, user.account_id)[0][0])
    )
    reader_thread.start()
    reader_thread.join()
    written.set()
    holder.join()
    first = in_snapshot[0]
    assert in_snapshot == [first, first]
    assert elsewhere == [first + 1]


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
    user.create({"name": {"givenName": "Counted"}})
    with services.store.read() as conn:
        expected = conn.exec_driver_sql(
            "SELECT count(*) FROM contacts WHERE owner_id = %(owner)s", {"owner": user.account_id}
        ).scalar()
    first_backend = quick.rows(_BACKEND)[0][0]
    _terminate(services, first_backend)
    # A single statement, then a snapshot, each on a connection that has to be replaced.
    assert quick.rows(_COUNT, user.account_id)[0][0] == expected
    second_backend = quick.rows(_BACKEND)[0][0]
    assert second_backend != first_backend
    _terminate(services, second_backend)
    with quick.snapshot() as reader:
        assert reader.rows(_COUNT, user.account_id)[0][0] == expected

    # The same for the reads awaited on the event loop (contacts.get's).

    async def kill_then_read() -> int:
        _terminate(services, (await quick.rows_async(_BACKEND))[0][0])
        # Every connection of the loop is read through once; the dead one is replaced.
        for _ in range(CONNECTIONS_PER_LOOP + 1):
            count = (await quick.rows_async(_COUNT, user.account_id))[0][0]
        return int(count)

    assert asyncio.run(kill_then_read()) == quick.rows(_COUNT, user.account_id)[0][0]


# -- the same reads awaited on the event loop (rows_async: contacts.get's path) ----------


def test_an_awaited_read_sees_what_the_threaded_one_sees(services: Services, user: ApiUser) -> None:
    user.create({"name": {"givenName": "Hedy"}})
    awaited = asyncio.run(services.store.quick.rows_async(_COUNT, user.account_id))
    assert awaited == services.store.quick.rows(_COUNT, user.account_id)
    assert awaited[0][0] >= 1


def test_the_awaited_reader_cannot_write(services: Services) -> None:
    with pytest.raises(Exception, match=r"readonly|read-only"):
        asyncio.run(services.store.quick.rows_async(Statement.same("DELETE FROM contacts")))


def test_a_failed_awaited_statement_leaves_later_reads_working(
    services: Services, user: ApiUser
) -> None:
    async def fail_then_read() -> list[object]:
        with pytest.raises(Exception, match=r"no such table|does not exist"):
            await services.store.quick.rows_async(Statement.same("SELECT * FROM no_such_table"))
        # Each of the loop's connections is tried, the failed one replaced.
        return [
            (await services.store.quick.rows_async(_COUNT, user.account_id))[0][0] for _ in range(8)
        ]

    assert len(set(asyncio.run(fail_then_read()))) == 1


def test_many_awaited_reads_at_once_share_a_few_connections(
    services: Services, store_kind: str
) -> None:
    """More reads at once than connections: they queue for one, none fails."""
    pid = _BACKEND if store_kind == "postgres" else Statement.same("SELECT 1")

    async def at_once() -> list[object]:
        answers = await asyncio.gather(
            *(services.store.quick.rows_async(pid) for _ in range(4 * CONNECTIONS_PER_LOOP))
        )
        return [rows[0][0] for rows in answers]

    seen = asyncio.run(at_once())
    assert len(seen) == 4 * CONNECTIONS_PER_LOOP
    if store_kind == "postgres":
        assert 1 <= len(set(seen)) <= CONNECTIONS_PER_LOOP


def test_a_loops_connections_close_with_it(services: Services, store_kind: str) -> None:
    """A server's shutdown closes its loop's connections: none is left on PostgreSQL."""
    if store_kind != "postgres":
        pytest.skip("SQLite's connection is in-process")
    quick = services.store.quick
    mine = Statement.same("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")
    name = "rolodex-test-" + secrets.token_hex(4)

    async def read_then_close() -> list[int]:
        await quick.rows_async(
            Statement.same("SELECT set_config('application_name', ?, false)"), name
        )
        opened = quick.rows(mine, name)[0][0]
        quick.close_loop()
        await asyncio.sleep(0.05)
        return [opened, quick.rows(mine, name)[0][0]]

    assert asyncio.run(read_then_close()) == [1, 0]
