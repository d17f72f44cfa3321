"""`rolodex history`, `rolodex trash list|restore` and `rolodex undo`, as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.test_cli import run

EMAIL = "history@example.com"


def _json(*args: str) -> Any:
    done = run(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_undo_an_import_then_restore_one_from_the_trash(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    store = ("--data-dir", data)
    _json("accounts", "create", *store, "--email", EMAIL, "--password", "pw-pw-pw-pw")
    lines = tmp_path / "book.jsonl"
    lines.write_text("".join(json.dumps({"notes": str(n)}) + "\n" for n in range(3)))
    _json("import", str(lines), "--email", EMAIL, "--quiet", *store)
    who = ("--email", EMAIL, "--credential", "import", "--since", "2000-01-01T00:00:00Z")

    dry = _json("undo", *who, "--dry-run", *store)
    assert (dry["dryRun"], dry["count"], len(dry["deleted"])) == (True, 3, 3)
    done = _json("undo", *who, *store)
    assert (done["dryRun"], done["count"]) == (False, 3)

    trash = _json("trash", "list", "--email", EMAIL, *store)["contacts"]
    assert len(trash) == 3
    assert {t["source"]["kind"] for t in trash} == {"cli"}
    chosen = trash[0]["contactId"]
    back = _json("trash", "restore", "--email", EMAIL, "--contact", chosen, *store)
    assert back["contactId"] == chosen
    assert len(_json("trash", "list", "--email", EMAIL, *store)["contacts"]) == 2

    versions = _json("history", "--email", EMAIL, "--contact", chosen, *store)["versions"]
    assert [v["source"]["kind"] for v in versions] == ["cli", "import"]
    assert versions[0]["contactData"] == trash[0]["contactData"]


def test_a_bad_time_is_refused_naming_the_field(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    _json("accounts", "create", "--data-dir", data, "--email", EMAIL, "--password", "pw-pw-pw-pw")
    done = run("undo", "--email", EMAIL, "--credential", "x", "--since", "soon", "--data-dir", data)
    assert done.returncode == 1
    assert json.loads(done.stderr)["error"]["field"] == "since"
