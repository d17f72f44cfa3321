"""Sweeping: photos no contact refers to (left by a crash mid-upload or mid-delete) go;
photos in use stay."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from rolodex.ids import new_id
from rolodex.photos.repository import PhotoRecord, PhotoRepository
from rolodex.photos.urls import photo_url
from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.store.schema import photos
from rolodex.timestamps import now_ms
from tests.photos.factories import image_bytes

HOUR_MS = 3_600_000


def stranded(services: Services, owner_id: str, contact_id: str, *, age_ms: int) -> str:
    """A photo as a crash leaves it: row and bytes stored, no contact refers to it."""
    photo_id = new_id("p_")
    with services.store.write() as conn:
        PhotoRepository.insert(
            conn,
            PhotoRecord(
                photo_id=photo_id,
                owner_id=owner_id,
                contact_id=contact_id,
                created_at=now_ms() - age_ms,
                content_type="image/png",
                width=1,
                height=1,
                digest="0" * 64,
                thumb_content_type="image/png",
                thumb_digest="1" * 64,
            ),
        )
    services.photos.storage.put(photo_id, b"bytes")
    services.photos.storage.put(photo_id + ".thumb", b"thumb")
    return photo_id


def exists(services: Services, photo_id: str) -> bool:
    with services.store.read() as conn:
        return PhotoRepository.get(conn, photo_id) is not None


def test_sweep_drops_unreferenced_old_photos_and_keeps_the_rest(services: Services) -> None:
    account = services.accounts.create(f"{new_id()}@example.com", "correct horse battery", "S")
    owner = account.account_id
    live = services.contacts.create(owner, {"displayName": "Live"})
    gone = services.contacts.create(owner, {"displayName": "Gone"})
    services.contacts.delete(owner, gone.contact_id, etag=None)
    in_use = services.photos.upload(owner, live.contact_id, image_bytes("PNG"))
    in_use_id = in_use.data["photos"][0]["value"].removeprefix("/photos/")
    # Make the photo in use old too, so that only the reference keeps it.
    with services.store.write() as conn:
        conn.execute(
            update(photos)
            .where(photos.c.photo_id == in_use_id)
            .values(created_at=now_ms() - 2 * HOUR_MS)
        )
    mid_upload = stranded(services, owner, live.contact_id, age_ms=2 * HOUR_MS)
    of_deleted = stranded(services, owner, gone.contact_id, age_ms=2 * HOUR_MS)
    in_flight = stranded(services, owner, live.contact_id, age_ms=0)

    assert services.photos.sweep(grace_ms=HOUR_MS) >= 2

    assert not exists(services, mid_upload)
    assert not exists(services, of_deleted)
    assert services.photos.storage.get(mid_upload) is None
    assert services.photos.storage.get(of_deleted + ".thumb") is None
    assert exists(services, in_flight)
    assert exists(services, in_use_id)
    assert services.photos.read(in_use_id).data
    assert photo_url(in_use_id) in [p["value"] for p in in_use.data["photos"]]


def test_rolodex_photos_sweep_prints_how_many_went(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    services = Services.build(Settings(data_dir=data_dir))
    try:
        stranded(services, "a_nobody", "c_nothing", age_ms=2 * HOUR_MS)
    finally:
        services.close()
    done = subprocess.run(
        [sys.executable, "-m", "rolodex.cli", "photos", "sweep", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"deleted": 1}
