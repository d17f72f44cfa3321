"""Bulk import from JSON lines: batches, resumption after interruption, invalid lines."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import String, cast, select

from rolodex.contacts.importer import ContactImporter
from rolodex.contacts.model import clean_contact_data
from rolodex.contacts.search.backend import owner_token
from rolodex.errors import InvalidInput
from rolodex.services import Services
from rolodex.store.changelog import ChangeLog
from rolodex.store.schema import contact_search, contacts


def owner(services: Services) -> str:
    return services.accounts.create(
        f"imp-{secrets.token_hex(5)}@example.com", "password123"
    ).account_id


def write_lines(path: Path, datas: Sequence[object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in datas))
    return path


def all_contacts(services: Services, owner_id: str) -> list[dict[str, Any]]:
    page = services.contacts.scroll(owner_id, size=1000)
    return [c.data for c in page.contacts]


def test_import_creates_every_contact_with_its_change(services: Services, tmp_path: Path) -> None:
    who = owner(services)
    datas = [
        {"name": {"givenName": f"N{i}"}, "emails": [{"value": f"n{i}@x.example"}]}
        for i in range(25)
    ]
    source = write_lines(
        tmp_path / "a.jsonl", [*datas[:10], {"contactData": datas[10]}, *datas[11:]]
    )
    result = ContactImporter(services.store, services.contacts).run(who, source, batch_size=7)
    assert (result.lines_done, result.contacts_created) == (25, 25)
    assert all_contacts(services, who) == datas
    with services.store.read() as conn:
        assert [c.action for c in ChangeLog.since(conn, who, 0)] == ["created"] * 25


def test_an_interrupted_import_resumes_after_the_last_committed_batch(
    services: Services, tmp_path: Path
) -> None:
    who = owner(services)
    datas = [{"notes": f"line {i}"} for i in range(1, 21)]
    source = write_lines(tmp_path / "b.jsonl", datas)
    importer = ContactImporter(services.store, services.contacts)
    calls = 0

    def crash_after_two_batches(_: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        importer.run(who, source, batch_size=5, progress=crash_after_two_batches)
    assert len(all_contacts(services, who)) == 10
    resumed = importer.run(who, source, batch_size=5)
    assert resumed.resumed_from == 10
    assert all_contacts(services, who) == datas, "no line imported twice, none lost"
    again = importer.run(who, source, batch_size=5)
    assert again.already_done
    assert again.contacts_created == 0
    assert len(all_contacts(services, who)) == 20


def test_an_invalid_line_stops_the_import_before_its_batch(
    services: Services, tmp_path: Path
) -> None:
    who = owner(services)
    source = write_lines(
        tmp_path / "c.jsonl", [{"notes": "a"}, {"notes": "b"}, {"notes": 5}, {"notes": "d"}]
    )
    importer = ContactImporter(services.store, services.contacts)
    with pytest.raises(InvalidInput) as refused:
        importer.run(who, source, batch_size=2)
    assert "line 3" in refused.value.message
    assert all_contacts(services, who) == [{"notes": "a"}, {"notes": "b"}]
    skipping = importer.run(who, source, batch_size=2, skip_invalid=True)
    assert [n for n, _ in skipping.skipped] == [3]
    assert all_contacts(services, who) == [{"notes": "a"}, {"notes": "b"}, {"notes": "d"}]


def test_lines_that_are_not_json_objects_are_refused(services: Services, tmp_path: Path) -> None:
    who = owner(services)
    source = tmp_path / "d.jsonl"
    source.write_bytes(b'{"notes": "ok"}\n[1, 2]\n')
    with pytest.raises(InvalidInput, match="line 2"):
        ContactImporter(services.store, services.contacts).run(who, source)


def search_documents(services: Services, owner_id: str) -> dict[str, str]:
    """Each live contact's stored search document as text, by its data."""
    with services.store.read() as conn:
        rows = conn.execute(
            select(contacts.c.data, cast(contact_search.c.document, String))
            .join(contact_search, contact_search.c.contact_pk == contacts.c.pk)
            .where(contacts.c.owner_id == owner_id)
        ).all()
    return {data: document for data, document in rows}


RICH = [
    {
        "name": {"givenName": "José", "familyName": "Núñez", "prefix": "Dr."},
        "phoneNumbers": [{"value": "+1 (415) 555-0100"}, {"value": "020 7946 0958"}],
        "emails": [{"type": "work", "value": "jose@x.example"}],
        "organizations": [{"name": "Øresund", "title": "CTO", "department": "R&D"}],
        "addresses": [{"city": "Málaga", "country": "ES", "street": "Calle 1"}],
        "notes": "Zoë's friend",
    },
    {"displayName": "Ana Łukasz", "phoneNumbers": [{"value": "12"}, {"value": "x 9"}]},
    {"emails": [{"value": "only@mail.example"}]},
    {},
]


@pytest.mark.parametrize("workers", [0, 1])
def test_imported_contacts_are_stored_and_indexed_as_created_ones(
    services: Services, tmp_path: Path, workers: int
) -> None:
    imported, created = owner(services), owner(services)
    datas = [*RICH, *({"name": {"givenName": f"Émile{i}"}} for i in range(12))]
    source = write_lines(tmp_path / "rich.jsonl", datas)
    importer = ContactImporter(services.store, services.contacts)
    result = importer.run(imported, source, batch_size=5, workers=workers)
    assert result.contacts_created == len(datas)
    for data in datas:
        services.contacts.create(created, clean_contact_data(data))
    assert all_contacts(services, imported) == datas
    mine, theirs = search_documents(services, imported), search_documents(services, created)
    owners = (owner_token(imported), owner_token(created))
    assert {k: v.replace(*owners) for k, v in mine.items()} == theirs
    for query in ("jose", "0100", "02079460958", "lukasz", "emile11"):
        found = [c.data for c in services.search.search(imported, query).contacts]
        assert found == [c.data for c in services.search.search(created, query).contacts]
        assert found, query


def test_an_invalid_line_stops_the_import_with_a_worker_too(
    services: Services, tmp_path: Path
) -> None:
    who = owner(services)
    datas: list[object] = [{"notes": str(i)} for i in range(9)]
    datas[6] = {"notes": 5}
    source = write_lines(tmp_path / "w.jsonl", datas)
    importer = ContactImporter(services.store, services.contacts)
    with pytest.raises(InvalidInput) as refused:
        importer.run(who, source, batch_size=3, workers=1)
    assert "line 7" in refused.value.message
    assert len(all_contacts(services, who)) == 6
    skipping = importer.run(who, source, batch_size=3, workers=1, skip_invalid=True)
    assert [n for n, _ in skipping.skipped] == [7]
    assert len(all_contacts(services, who)) == 8


@pytest.fixture
def postgres(services: Services) -> Services:
    """`services` on PostgreSQL only: GIN's pending list is PostgreSQL's."""
    if services.store.is_sqlite:
        pytest.skip("GIN's pending list is PostgreSQL's")
    return services


def gin_pending_list(services: Services) -> str:
    """The search index's `fastupdate` setting on PostgreSQL: "on" while GIN defers entries."""
    with services.store.read() as conn:
        options = conn.exec_driver_sql(
            "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class"
            " WHERE oid = 'ix_contact_search_document'::regclass"
        ).scalar_one()
    return "on" if "fastupdate=on" in options else "off"


def test_an_import_into_postgresql_defers_index_entries_only_while_it_runs(
    postgres: Services, tmp_path: Path
) -> None:
    services = postgres
    who = owner(services)
    source = write_lines(tmp_path / "g.jsonl", [{"notes": f"bulk word{i}"} for i in range(12)])
    seen: list[str] = []
    result = ContactImporter(services.store, services.contacts).run(
        who, source, batch_size=5, progress=lambda _: seen.append(gin_pending_list(services))
    )
    assert result.contacts_created == 12
    assert seen == ["on", "on", "on"], "each batch went through the pending list"
    assert gin_pending_list(services) == "off", "and searches read the tree alone again"
    found = services.search.search(who, "word7")
    assert [c.data["notes"] for c in found.contacts] == ["bulk word7"]


def test_an_import_that_fails_still_switches_the_pending_list_off(
    postgres: Services, tmp_path: Path
) -> None:
    services = postgres
    who = owner(services)
    source = write_lines(tmp_path / "h.jsonl", [{"notes": "a"}, {"notes": "b"}, {"notes": 5}])
    with pytest.raises(InvalidInput):
        ContactImporter(services.store, services.contacts).run(who, source, batch_size=2)
    assert gin_pending_list(services) == "off"


def test_imported_contacts_take_keys_after_every_other_owners(
    services: Services, tmp_path: Path
) -> None:
    """Keys are numbered on from the largest in the store (SQLite numbers them so itself),
    whoever owns it, and a later write gets the next one."""
    first, second = owner(services), owner(services)
    ContactImporter(services.store, services.contacts).run(
        first, write_lines(tmp_path / "k1.jsonl", [{"notes": "first"}] * 3)
    )
    latest = services.contacts.create(second, {"notes": "in between"})
    ContactImporter(services.store, services.contacts).run(
        second, write_lines(tmp_path / "k2.jsonl", [{"notes": f"second {i}"} for i in range(4)])
    )
    after = services.contacts.create(second, {"notes": "after"})
    with services.store.read() as conn:
        keys = (
            conn.execute(
                select(contacts.c.pk).where(contacts.c.owner_id == second).order_by(contacts.c.pk)
            )
            .scalars()
            .all()
        )
    assert len(keys) == 6
    assert len(set(keys)) == 6
    assert keys[0] == latest.pk
    assert keys[-1] == after.pk
    assert [c.data["notes"] for c in services.search.search(second, "second").contacts] == [
        f"second {i}" for i in range(4)
    ]
