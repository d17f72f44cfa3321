"""`rolodex apps create`: the developer apps page from the command line, JSON out."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run


def test_apps_create_prints_the_client_id_and_secret(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    made = run(
        "accounts",
        "create",
        "--email",
        "dev@example.com",
        "--password",
        "secret-pw",
        "--data-dir",
        data,
    )
    assert made.returncode == 0, made.stderr
    created = run(
        "apps", "create", "--email", "dev@example.com", "--name", "CLI App",
        "--redirect-uri", "https://cli.example.com/cb",
        "--redirect-uri", "http://127.0.0.1/cb",
        "--data-dir", data,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    app = json.loads(created.stdout)
    assert app["client_id"].startswith("app_")
    assert app["client_secret"].startswith("rdx_cs_")
    assert app["name"] == "CLI App"
    assert app["redirect_uris"] == ["https://cli.example.com/cb", "http://127.0.0.1/cb"]


def test_apps_create_refuses_bad_input_as_json(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    run(
        "accounts",
        "create",
        "--email",
        "dev@example.com",
        "--password",
        "secret-pw",
        "--data-dir",
        data,
    )
    bad_uri = run(
        "apps", "create", "--email", "dev@example.com", "--name", "X",
        "--redirect-uri", "/relative", "--data-dir", data,
    )  # fmt: skip
    assert bad_uri.returncode == 1
    assert json.loads(bad_uri.stderr)["error"]["field"] == "redirect_uri"
    nobody = run(
        "apps", "create", "--email", "nobody@example.com", "--name", "X",
        "--redirect-uri", "https://x.example.com/", "--data-dir", data,
    )  # fmt: skip
    assert nobody.returncode == 1
    assert json.loads(nobody.stderr)["error"]["field"] == "email"
