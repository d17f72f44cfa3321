"""Where photo bytes live: a small contract and two backends, loaded by name.

A backend stores opaque blobs under keys the photo service chooses (`<photo id>` and
`<photo id>.thumb`). Backends (settings `ROLODEX_PHOTO_STORAGE`):

- `database` (the default): blobs in the `photo_blobs` table of the store. Every process
  that shares the database shares the photos, so a deployment on several machines
  works with no further setup, and a database backup holds the photos too.
- `filesystem`: one file per blob under `ROLODEX_PHOTO_DIR` (default `<data dir>/photos`).
  Several machines point it at one shared mount (NFS, a cloud file share).
- `package.module:Class`: any class with this contract, built as `Class(settings, store)`,
  for object stores and the like.
"""

from __future__ import annotations

import importlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, insert, select

from rolodex.settings import Settings
from rolodex.store import Store
from rolodex.store.schema import photo_blobs
from rolodex.timestamps import now_ms

# Keys are made by the photo service from random ids; anything else is refused, so a
# key can never walk out of the photo folder.
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,100}(\.[a-z]{1,10})?$")


class PhotoStorage(Protocol):
    """The contract every backend keeps. `put` overwrites; `delete` ignores missing keys."""

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes | None: ...

    def delete(self, keys: list[str]) -> None: ...


def _checked(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError(f"not a photo storage key: {key!r}")
    return key


class FilesystemStorage:
    """One file per blob, written atomically (temporary file, then rename)."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.root = (settings.photo_dir or settings.data_dir / "photos").resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        # Two levels of fan-out keep directories small on large installations.
        key = _checked(key)
        return self.root / key[-2:] / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            self._path(key).unlink(missing_ok=True)


class DatabaseStorage:
    """Blobs in the store's `photo_blobs` table, each write its own transaction."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.store = store

    def put(self, key: str, data: bytes) -> None:
        key = _checked(key)
        with self.store.write() as conn:
            conn.execute(delete(photo_blobs).where(photo_blobs.c.blob_key == key))
            conn.execute(insert(photo_blobs).values(blob_key=key, data=data, created_at=now_ms()))

    def get(self, key: str) -> bytes | None:
        with self.store.read() as conn:
            value = conn.execute(
                select(photo_blobs.c.data).where(photo_blobs.c.blob_key == _checked(key))
            ).scalar()
        return None if value is None else bytes(value)

    def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        with self.store.write() as conn:
            conn.execute(
                delete(photo_blobs).where(photo_blobs.c.blob_key.in_([_checked(k) for k in keys]))
            )


BACKENDS: dict[str, str] = {
    "database": "rolodex.photos.storage:DatabaseStorage",
    "filesystem": "rolodex.photos.storage:FilesystemStorage",
}


def load_storage(settings: Settings, store: Store) -> PhotoStorage:
    """The backend named by `settings.photo_storage`: a short name or `module:Class`."""
    target = BACKENDS.get(settings.photo_storage, settings.photo_storage)
    module_name, _, class_name = target.partition(":")
    if not module_name or not class_name:
        raise ValueError(
            f"ROLODEX_PHOTO_STORAGE must be one of {sorted(BACKENDS)} or 'module:Class', "
            f"not {settings.photo_storage!r}"
        )
    backend = getattr(importlib.import_module(module_name), class_name)
    instance: PhotoStorage = backend(settings, store)
    return instance
