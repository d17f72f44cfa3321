"""`rolodex app-passwords create | list | revoke`: the app passwords page from a shell, JSON out."""

from __future__ import annotations

import json
from pathlib import Path

from rolodex.services import Services
from rolodex.settings import Settings
from tests.test_cli import run

EMAIL = "phone@example.com"


def _account(data: str) -> None:
    made = run(
        "accounts", "create", "--email", EMAIL, "--password", "secret-pw", "--data-dir", data
    )
    assert made.returncode == 0, made.stderr


def _signs_in(data: Path, password: str) -> bool:
    services = Services.build(Settings(data_dir=data))
    try:
        principal = services.app_passwords.verify_basic(
            EMAIL, password, client_address="192.0.2.9", user_agent="DAVx5/4.4"
        )
    finally:
        services.close()
    return principal is not None and "contacts.write" in principal.scopes


def test_create_list_and_revoke(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    _account(data)
    created = run(
        "app-passwords", "create", "--email", EMAIL, "--name", "Pixel", "--data-dir", data
    )
    assert created.returncode == 0, created.stderr
    made = json.loads(created.stdout)
    assert made["password"].startswith("rdx_ap_")
    assert made["name"] == "Pixel"
    assert made["readOnly"] is False
    assert made["created"].endswith("Z")
    assert _signs_in(tmp_path / "data", made["password"])

    read_only = run(
        "app-passwords", "create", "--email", EMAIL, "--name", "Kiosk", "--read-only",
        "--data-dir", data,
    )  # fmt: skip
    assert json.loads(read_only.stdout)["readOnly"] is True

    listed = json.loads(run("app-passwords", "list", "--email", EMAIL, "--data-dir", data).stdout)
    assert [(p["name"], p["readOnly"]) for p in listed] == [("Kiosk", True), ("Pixel", False)]
    pixel = listed[1]
    assert pixel["credentialId"] == made["credentialId"]
    assert pixel["lastClient"] == "DAVx5/4.4"
    assert pixel["lastUsed"] is not None
    assert made["password"] not in json.dumps(listed)

    revoked = run(
        "app-passwords", "revoke", "--email", EMAIL, "--id", made["credentialId"],
        "--data-dir", data,
    )  # fmt: skip
    assert revoked.returncode == 0, revoked.stderr
    assert json.loads(revoked.stdout) == {"credentialId": made["credentialId"], "revoked": True}
    assert not _signs_in(tmp_path / "data", made["password"])


def test_refusals_are_json_naming_the_field(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    _account(data)
    no_name = run("app-passwords", "create", "--email", EMAIL, "--name", " ", "--data-dir", data)
    assert no_name.returncode == 1
    assert json.loads(no_name.stderr)["error"]["field"] == "name"
    unknown = run(
        "app-passwords", "revoke", "--email", EMAIL, "--id", "cr_nope", "--data-dir", data
    )
    assert unknown.returncode == 1
    assert json.loads(unknown.stderr)["error"]["field"] == "id"
    nobody = run("app-passwords", "list", "--email", "nobody@example.com", "--data-dir", data)
    assert nobody.returncode == 1
    assert json.loads(nobody.stderr)["error"]["field"] == "email"
