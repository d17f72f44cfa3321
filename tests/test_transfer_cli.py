"""`rolodex import` of every format and `rolodex export`, as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.formats.samples import SAMPLES
from tests.test_cli import run

EMAIL = "files@example.com"


def _store(tmp_path: Path) -> str:
    data = str(tmp_path / "data")
    made = run(
        "accounts", "create", "--data-dir", data, "--email", EMAIL, "--password", "pw-pw-pw-pw"
    )
    assert made.returncode == 0, made.stderr
    return data


def _import(data: str, path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = run("import", str(path), "--email", EMAIL, "--quiet", "--data-dir", data, *args)
    return done.returncode, json.loads(done.stdout) if done.stdout else {}


def test_a_vcard_file_imports_and_exports_and_imports_again_as_updates(tmp_path: Path) -> None:
    data = _store(tmp_path)
    code, summary = _import(data, SAMPLES / "nextcloud-4.0.vcf")
    assert code == 0
    assert (summary["format"], summary["created"], summary["updated"]) == ("vcard", 1, 0)
    out = tmp_path / "out.vcf"
    exported = run(
        "export", "--email", EMAIL, "--format", "vcard", "--out", str(out), "--data-dir", data
    )
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr == ""  # no terminal, no progress bar
    assert out.read_text().count("BEGIN:VCARD") == 1
    code, again = _import(data, out)
    assert (code, again["created"], again["updated"]) == (0, 0, 1)


def test_export_writes_to_standard_output(tmp_path: Path) -> None:
    data = _store(tmp_path)
    _import(data, SAMPLES / "google-current.csv")
    done = run("export", "--email", EMAIL, "--format", "jsonl", "--data-dir", data)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3


def test_a_file_with_bad_contacts_imports_nothing_and_lists_each_with_its_line(
    tmp_path: Path,
) -> None:
    data = _store(tmp_path)
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        '{"contactData": {"name": {"givenName": "Good"}}}\n'
        '{"contactData": {"emails": [{"value": 1}]}}\n'
        "not json\n"
    )
    code, summary = _import(data, source)
    assert code == 1
    assert [e["line"] for e in summary["errors"]] == [2, 3]
    assert summary["created"] == 0
    listed = run("export", "--email", EMAIL, "--format", "jsonl", "--data-dir", data)
    assert listed.stdout == ""
    code, summary = _import(data, source, "--skip-invalid")
    assert code == 0
    assert summary["created"] == 1
    assert [s["line"] for s in summary["skipped"]] == [2, 3]


def test_plain_json_lines_with_bad_lines_import_nothing_unless_skipped(tmp_path: Path) -> None:
    """Bare contactData lines take the bulk importer (with its worker processes), under
    the same rule: a bad line and nothing is written, every bad line listed."""
    data = _store(tmp_path)
    source = tmp_path / "plain.jsonl"
    source.write_text(
        '{"name": {"givenName": "Ada"}}\n'
        '{"emails": [{"value": "no at sign"}]}\n'
        '{"name": {"givenName": "Grace"}}\n'
        '{"tags": ["a key the model does not have"]}\n'
    )
    code, summary = _import(data, source, "--workers", "1")
    assert code == 1
    assert summary["format"] == "jsonl"
    assert [e["line"] for e in summary["errors"]] == [2, 4]
    assert run("export", "--email", EMAIL, "--format", "jsonl", "--data-dir", data).stdout == ""
    code, summary = _import(data, source, "--workers", "1", "--skip-invalid")
    assert (code, summary["created"], summary["contactsCreated"]) == (0, 2, 2)
    assert [s["line"] for s in summary["skipped"]] == [2, 4]
    exported = run("export", "--email", EMAIL, "--format", "jsonl", "--data-dir", data).stdout
    assert len(exported.splitlines()) == 2


def test_format_overrides_detection_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    data = _store(tmp_path)
    code, summary = _import(data, SAMPLES / "nextcloud-4.0.vcf", "--format", "jsonl")
    assert code == 1
    assert summary["errors"]
    done = run(
        "import",
        str(SAMPLES / "nextcloud-4.0.vcf"),
        "--email",
        EMAIL,
        "--format",
        "pdf",
        "--quiet",
        "--data-dir",
        data,
    )
    assert done.returncode == 1
    assert "unknown format 'pdf'" in json.loads(done.stderr)["error"]["message"]


def test_team_contacts_go_to_the_team(tmp_path: Path) -> None:
    data = _store(tmp_path)
    team = run("teams", "create", "--email", EMAIL, "--name", "Crew", "--data-dir", data)
    team_id = json.loads(team.stdout)["teamId"]
    code, summary = _import(data, SAMPLES / "thunderbird-4.0.vcf", "--team", team_id)
    assert (code, summary["created"]) == (0, 1)
    mine = run("export", "--email", EMAIL, "--format", "jsonl", "--data-dir", data)
    theirs = run(
        "export", "--email", EMAIL, "--team", team_id, "--format", "jsonl", "--data-dir", data
    )
    assert mine.stdout == ""
    assert len(theirs.stdout.splitlines()) == 1


def test_the_help_names_the_flags_and_formats_of_issue_22() -> None:
    """`rolodex import FILE --email E [--team T] [--format auto|jsonl|vcard|google-csv|
    outlook-csv] [--skip-invalid]` and `rolodex export --email E [--team T] --format
    vcard|vcard3|google-csv|outlook-csv|jsonl [--out FILE] [--no-photos]`."""
    wide = {"COLUMNS": "200", "TERM": "dumb"}
    shown = {
        "import": (
            ["FILE", "--email", "--team", "--format", "--skip-invalid"],
            ["auto", "jsonl", "vcard", "google-csv", "outlook-csv"],
        ),
        "export": (
            ["--email", "--team", "--format", "--out", "--no-photos"],
            ["vcard", "vcard3", "google-csv", "outlook-csv", "jsonl"],
        ),
    }
    for command, (flags, formats) in shown.items():
        done = run(command, "--help", env=wide)
        assert done.returncode == 0, done.stderr
        words = set(done.stdout.replace(",", " ").replace(".", " ").split())
        assert set(flags) <= words, (command, sorted(set(flags) - words))
        assert "One of " + ", ".join(formats) in " ".join(done.stdout.split())
