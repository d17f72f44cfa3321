"""The whole photo path with `ROLODEX_PHOTO_STORAGE=filesystem`: upload, serve, delete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.settings import Settings
from tests.photos.factories import image_bytes


@pytest.fixture
def shared_folder_services(tmp_path: Path) -> Iterator[Services]:
    settings = Settings(
        data_dir=tmp_path / "data", photo_storage="filesystem", photo_dir=tmp_path / "shared"
    )
    built = Services.build(settings)
    yield built
    built.close()


def test_photos_live_as_files_in_the_shared_folder_and_go_when_the_trash_is_emptied(
    shared_folder_services: Services, tmp_path: Path
) -> None:
    services = shared_folder_services
    account = services.accounts.create("fs@example.com", "correct horse battery", "Fs")
    token = services.credentials.issue(account.account_id, ALL_SCOPES).secret
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(services=services)) as client:
        created = client.post(
            "/api/v1/contacts.create",
            json={"contact": {"contactData": {"displayName": "Ada"}}},
            headers=auth,
        ).json()["contact"]
        response = client.post(
            "/api/v1/contacts.uploadPhoto",
            files={
                "contact.json": (None, orjson.dumps({"contactId": created["contactId"]})),
                "image.png": ("image.png", image_bytes("PNG"), "image/png"),
            },
            headers=auth,
        )
        assert response.status_code == 200, response.text
        contact = response.json()["contact"]
        url = contact["contactData"]["photos"][0]["value"]
        files = sorted(p.name for p in (tmp_path / "shared").rglob("p_*"))
        photo_id = url.removeprefix("/photos/")
        assert files == [photo_id, f"{photo_id}.thumb"]
        assert (
            client.get(url).content == (tmp_path / "shared" / photo_id[-2:] / photo_id).read_bytes()
        )

        client.post(
            "/api/v1/contacts.delete",
            json={"contactId": contact["contactId"], "etag": contact["etag"]},
            headers=auth,
        )
        # In the trash with its photo (docs/history.md), then emptied.
        assert client.get(url).status_code == 200
        services.history.empty_trash(account.account_id)
        assert client.get(url).status_code == 404
        assert list((tmp_path / "shared").rglob("p_*")) == []
