"""Backups of the embedded store: a consistent copy of a live SQLite database, with the files
beside it (photos), in one tar.gz; and the restore of such an archive into a data folder.

The database is copied with SQLite's online backup API, which gives a consistent snapshot
while the server keeps writing. PostgreSQL deployments back up with the database's own
tools (pg_dump, base backups); `backup` refuses them rather than pretending.
"""

from __future__ import annotations

import gzip
import io
import sqlite3
import tarfile
import tempfile
import time
import zlib
from pathlib import Path

from sqlalchemy.engine import make_url

from rolodex.errors import InvalidInput

DATABASE_NAME = "rolodex.sqlite3"
_SQLITE_FILES = {DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm"}


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise InvalidInput(
            "backup copies the embedded SQLite store; back PostgreSQL up with pg_dump",
            field="database_url",
        )
    return Path(url.database)


def backup(database_url: str, data_dir: Path, out: Path) -> dict[str, int]:
    """Write a consistent archive of the store and the data folder's other files to `out`."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise InvalidInput("there is no store to back up in this data folder", field="data_dir")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / DATABASE_NAME
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)  # online, consistent even under concurrent writes
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
            src.close()
        files = 0
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(copy, arcname=DATABASE_NAME)
            for path in sorted(data_dir.rglob("*")):
                if path.is_file() and path.name not in _SQLITE_FILES and path != out:
                    archive.add(path, arcname=str(path.relative_to(data_dir)))
                    files += 1
            stamp = tarfile.TarInfo("ROLODEX_BACKUP")
            note = f"created_at_ms={time.time_ns() // 1_000_000}\n".encode()
            stamp.size = len(note)
            archive.addfile(stamp, io.BytesIO(note))
        partial.replace(out)  # never leave a half-written archive under the real name
    return {"bytes": out.stat().st_size, "files": files}


def restore(archive_path: Path, data_dir: Path, *, force: bool = False) -> dict[str, int]:
    """Unpack a backup into `data_dir`; refuses a folder that already holds a store unless forced."""
    if (data_dir / DATABASE_NAME).exists() and not force:
        raise InvalidInput(
            "the data folder already holds a store; restore into an empty folder or pass --force",
            field="data_dir",
        )
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            names = archive.getnames()
            if "ROLODEX_BACKUP" not in names or DATABASE_NAME not in names:
                raise InvalidInput("not a Rolodex backup archive", field="archive")
            data_dir.mkdir(parents=True, exist_ok=True)
            for stale in _SQLITE_FILES:
                (data_dir / stale).unlink(missing_ok=True)
            members = [m for m in archive.getmembers() if m.name != "ROLODEX_BACKUP"]
            # No paths outside data_dir.
            archive.extractall(data_dir, members=members, filter="data")
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error):
        raise InvalidInput(
            f"{archive_path} is not a backup archive (a .tar.gz made by `rolodex backup`)",
            field="archive",
        ) from None
    return {"files": len(members)}
