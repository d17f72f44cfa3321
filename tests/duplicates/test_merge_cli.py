"""`rolodex merge` and `rolodex unmerge`, as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.test_cli import run

EMAIL = "merge@example.com"


def _json(*args: str) -> Any:
    done = run(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_merge_dry_run_merge_and_unmerge(tmp_path: Path) -> None:
    store = ("--data-dir", str(tmp_path / "data"))
    _json("accounts", "create", *store, "--email", EMAIL, "--password", "pw-pw-pw-pw")
    lines = tmp_path / "book.jsonl"
    people = [
        {
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "ann@example.com"}],
            "notes": "one",
        },
        {
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "ANN@example.com"}],
            "notes": "two",
        },
    ]
    lines.write_text("".join(json.dumps(p) + "\n" for p in people))
    _json("import", str(lines), "--email", EMAIL, "--quiet", *store)
    found = _json("duplicates", "--email", EMAIL, "--min-score", "0.5", *store)["duplicates"]
    ids = found[0]["contactIds"]
    assert len(ids) == 2
    group = ("--email", EMAIL, "--contacts", ",".join(ids), "--survivor", ids[1])

    dry = _json("merge", *group, "--dry-run", *store)
    assert "mergeId" not in dry
    assert dry["contact"]["contactData"]["notes"] in ("one\n\ntwo", "two\n\none")
    done = _json("merge", *group, *store)
    assert done["contact"]["contactId"] == ids[1]
    assert done["contact"]["contactData"]["emails"] in (
        [{"value": "ann@example.com"}],
        [{"value": "ANN@example.com"}],
    )
    versions = _json("history", "--email", EMAIL, "--contact", ids[0], *store)["versions"]
    assert versions[0]["replacedBy"]["kind"] == "merge"

    back = _json("unmerge", "--email", EMAIL, "--merge", done["mergeId"], *store)["contacts"]
    assert sorted(c["contactId"] for c in back) == sorted(ids)
    assert all(not c["deleted"] for c in back)
    again = run("unmerge", "--email", EMAIL, "--merge", done["mergeId"], *store)
    assert again.returncode == 1
    assert json.loads(again.stderr)["error"]["field"] == "mergeId"


def test_one_id_is_refused_naming_the_field(tmp_path: Path) -> None:
    store = ("--data-dir", str(tmp_path / "data"))
    _json("accounts", "create", *store, "--email", EMAIL, "--password", "pw-pw-pw-pw")
    done = run("merge", "--email", EMAIL, "--contacts", "c_one", *store)
    assert done.returncode == 1
    assert json.loads(done.stderr)["error"]["field"] == "contactIds"
