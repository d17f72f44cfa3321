"""Bulk import from JSON lines: batches, resumption after interruption, invalid lines."""

from __future__ import annotations

import secrets
from pathlib import Path

import orjson
import pytest

from rolodex.contacts.importer import ContactImporter
from rolodex.errors import InvalidInput
from rolodex.services import Services
from rolodex.store.changelog import ChangeLog


def owner(services: Services) -> str:
    return services.accounts.create(
        f"imp-{secrets.token_hex(5)}@example.com", "password123"
    ).account_id


def write_lines(path: Path, datas: list[object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in datas))
    return path


def all_contacts(services: Services, owner_id: str) -> list[dict]:
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
    assert again.already_done and again.contacts_created == 0
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
