"""`rolodex backup` / `restore`: consistent under write load, and an identical store when quiet."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from rolodex.errors import InvalidInput
from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.store.backup import backup, restore


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def consistent(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        contacts = {r[0] for r in conn.execute("SELECT contact_id FROM contacts")}
        created = {
            r[0]
            for r in conn.execute(
                "SELECT entity_id FROM changes WHERE entity='contact' AND action='created'"
            )
        }
        assert contacts == created, "every contact has its change, every change its contact"
    finally:
        conn.close()


def test_backup_under_write_load_restores_a_consistent_store_and_identical_when_quiet(
    tmp_path: Path,
) -> None:
    source_dir = tmp_path / "live"
    settings = Settings(data_dir=source_dir)
    services = Services.build(settings)
    (source_dir / "photos").mkdir()
    (source_dir / "photos" / "p1.bin").write_bytes(b"\x89PNG fake bytes")
    owner = services.accounts.create("backup@example.com", "password123").account_id
    stop = threading.Event()

    def write() -> None:
        i = 0
        while not stop.is_set():
            services.contacts.create(owner, {"notes": f"n{i}"})
            i += 1

    writers = [threading.Thread(target=write) for _ in range(3)]
    for w in writers:
        w.start()
    try:
        for n in range(3):
            archive = tmp_path / f"under-load-{n}.tar.gz"
            backup(settings.resolved_database_url(), source_dir, archive)
            target = tmp_path / f"restored-{n}"
            restore(archive, target)
            consistent(target / "rolodex.sqlite3")
            assert (target / "photos" / "p1.bin").read_bytes() == b"\x89PNG fake bytes"
    finally:
        stop.set()
        for w in writers:
            w.join()

    quiet = tmp_path / "quiet.tar.gz"
    backup(settings.resolved_database_url(), source_dir, quiet)
    restore(quiet, tmp_path / "quiet")
    assert dump(tmp_path / "quiet" / "rolodex.sqlite3") == dump(source_dir / "rolodex.sqlite3")
    services.close()

    restored = Services.build(Settings(data_dir=tmp_path / "quiet"))
    try:
        assert restored.accounts.authenticate("backup@example.com", "password123") is not None
    finally:
        restored.close()


def test_restore_refuses_a_folder_with_a_store_and_a_file_that_is_not_a_backup(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "a")
    Services.build(settings).close()
    archive = tmp_path / "a.tar.gz"
    backup(settings.resolved_database_url(), tmp_path / "a", archive)
    with pytest.raises(InvalidInput, match="already holds a store"):
        restore(archive, tmp_path / "a")
    restore(archive, tmp_path / "a", force=True)
    bogus = tmp_path / "bogus.tar.gz"
    import tarfile

    with tarfile.open(bogus, "w:gz") as t:
        t.add(archive, arcname="something")
    with pytest.raises(InvalidInput, match="not a Rolodex backup"):
        restore(bogus, tmp_path / "b")


def test_backup_refuses_postgres() -> None:
    with pytest.raises(InvalidInput, match="pg_dump"):
        backup("postgresql+psycopg://postgres@127.0.0.1/test", Path("."), Path("x.tar.gz"))
