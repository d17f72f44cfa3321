"""Both storage backends keep the same contract, loaded by name the way the server does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rolodex.photos.storage import DatabaseStorage, FilesystemStorage, PhotoStorage, load_storage
from rolodex.services import Services
from rolodex.settings import Settings


@pytest.fixture(params=["database", "filesystem"])
def storage(request: pytest.FixtureRequest, services: Services, tmp_path: Path) -> PhotoStorage:
    settings = Settings(
        data_dir=tmp_path,
        database_url=services.settings.database_url,
        photo_storage=request.param,
    )
    return load_storage(settings, services.store)


def test_put_get_delete_round_trip(storage: PhotoStorage) -> None:
    storage.put("p_abcdefghijklmnopqrstuv", b"one")
    storage.put("p_abcdefghijklmnopqrstuv.thumb", b"two")
    assert storage.get("p_abcdefghijklmnopqrstuv") == b"one"
    storage.put("p_abcdefghijklmnopqrstuv", b"three")  # put overwrites
    assert storage.get("p_abcdefghijklmnopqrstuv") == b"three"
    storage.delete(["p_abcdefghijklmnopqrstuv", "p_abcdefghijklmnopqrstuv.thumb", "p_missing"])
    assert storage.get("p_abcdefghijklmnopqrstuv") is None
    assert storage.get("p_abcdefghijklmnopqrstuv.thumb") is None


@pytest.mark.parametrize("key", ["../etc/passwd", "a/b", "", "x" * 200, "p_a.THUMB"])
def test_keys_that_could_escape_are_refused(storage: PhotoStorage, key: str) -> None:
    with pytest.raises(ValueError, match="not a photo storage key"):
        storage.put(key, b"x")


def test_the_backend_is_chosen_by_name(services: Services, tmp_path: Path) -> None:
    base: dict[str, Any] = {"data_dir": tmp_path, "database_url": services.settings.database_url}
    assert isinstance(load_storage(Settings(**base), services.store), DatabaseStorage)
    dotted = Settings(**base, photo_storage="rolodex.photos.storage:FilesystemStorage")
    assert isinstance(load_storage(dotted, services.store), FilesystemStorage)
    with pytest.raises(ValueError, match="ROLODEX_PHOTO_STORAGE must be one of"):
        load_storage(Settings(**base, photo_storage="nonsense"), services.store)


def test_filesystem_backend_writes_under_the_configured_folder(
    services: Services, tmp_path: Path
) -> None:
    shared = tmp_path / "shared-mount"
    settings = Settings(data_dir=tmp_path, photo_storage="filesystem", photo_dir=shared)
    backend = load_storage(settings, services.store)
    backend.put("p_abcdefghijklmnopqrstuv", b"bytes")
    assert [p.read_bytes() for p in shared.rglob("p_*")] == [b"bytes"]
