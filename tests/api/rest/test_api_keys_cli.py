"""`rolodex api-keys create|list|revoke`, run as a real process, and the key used over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.services import Services
from rolodex.settings import Settings
from tests.test_cli import run


def test_create_list_and_revoke_an_api_key(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    made = run(
        "accounts",
        "create",
        "--email",
        "k@example.com",
        "--password",
        "secret-pw",
        "--data-dir",
        data,
    )
    assert made.returncode == 0, made.stderr

    created = run(
        "api-keys", "create", "--email", "k@example.com", "--name", "crm", "--data-dir", data
    )
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)
    assert key["api_key"].startswith("rdx_key_")
    assert key["scope"] == "contacts.read,contacts.write"
    assert key["name"] == "crm"

    listed = json.loads(
        run("api-keys", "list", "--email", "k@example.com", "--data-dir", data).stdout
    )
    assert [k["id"] for k in listed] == [key["id"]]
    assert "api_key" not in listed[0]
    assert listed[0]["revoked"] is None

    services = Services.build(Settings(data_dir=Path(data)))
    try:
        with TestClient(create_app(services=services)) as client:
            headers = {"x-api-key": key["api_key"]}
            assert client.get("/v1/contacts", headers=headers).json() == []
            revoked = run(
                "api-keys",
                "revoke",
                "--email",
                "k@example.com",
                "--id",
                key["id"],
                "--data-dir",
                data,
            )
            assert revoked.returncode == 0, revoked.stderr
            assert client.get("/v1/contacts", headers=headers).json() == {
                "message": "Forbidden: unknown API key (revoked, or never made here)"
            }
    finally:
        services.close()

    again = run(
        "api-keys", "revoke", "--email", "k@example.com", "--id", key["id"], "--data-dir", data
    )
    assert again.returncode == 1
    assert json.loads(again.stderr)["error"]["field"] == "id"
    bad_scope = run(
        "api-keys", "create", "--email", "k@example.com", "--scopes", "nope", "--data-dir", data
    )
    assert bad_scope.returncode == 1
    unknown = run("api-keys", "create", "--email", "who@example.com", "--data-dir", data)
    assert unknown.returncode == 1
