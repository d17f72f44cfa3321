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


def test_a_teams_book_with_team_and_an_unmerge_over_a_change_with_force(tmp_path: Path) -> None:
    store = ("--data-dir", str(tmp_path / "data"))
    stranger = "stranger@example.com"
    for email in (EMAIL, stranger):
        _json("accounts", "create", *store, "--email", email, "--password", "pw-pw-pw-pw")
    team = _json("teams", "create", *store, "--email", EMAIL, "--name", "Sales")["teamId"]
    lines = tmp_path / "team.jsonl"
    people = [
        {"name": {"givenName": "Bob", "familyName": "Smith"}, "emails": [{"value": "b@x.example"}]},
        {
            "name": {"givenName": "Robert", "familyName": "Smith"},
            "emails": [{"value": "B@x.example"}],
        },
    ]
    lines.write_text("".join(json.dumps(p) + "\n" for p in people))
    imported = _json("import", str(lines), "--email", EMAIL, "--team", team, "--quiet", *store)
    assert imported["possibleDuplicates"] == 2
    assert _json("duplicates", "--email", EMAIL, *store) == {"duplicates": []}
    [group] = _json("duplicates", "--email", EMAIL, "--team", team, *store)["duplicates"]
    ids = group["contactIds"]
    refused = run("duplicates", "--email", stranger, "--team", team, *store)
    assert refused.returncode == 1
    assert json.loads(refused.stderr)["error"]["field"] == "teamId"
    own_book = run("merge", "--email", EMAIL, "--contacts", ",".join(ids), *store)
    assert own_book.returncode == 1
    assert json.loads(own_book.stderr)["error"]["field"] == "contactIds"

    done = _json("merge", "--email", EMAIL, "--team", team, "--contacts", ",".join(ids), *store)
    # The merged-away contact back from the trash: the merge no longer undoes cleanly.
    _json("trash", "restore", "--email", EMAIL, "--team", team, "--contact", ids[1], *store)
    undo = ("unmerge", "--email", EMAIL, "--team", team, "--merge", done["mergeId"])
    changed = run(*undo, *store)
    assert changed.returncode == 1
    assert json.loads(changed.stderr)["error"]["field"] == "mergeId"
    back = _json(*undo, "--force", *store)["contacts"]
    assert [c["contactId"] for c in back] == ids
    assert sorted((c["contactData"] for c in back), key=json.dumps) == sorted(
        people, key=json.dumps
    )
    assert not any(c["deleted"] for c in back)
