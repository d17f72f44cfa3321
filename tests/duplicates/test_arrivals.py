"""A new or imported contact is checked against the book as it arrives."""

from __future__ import annotations

import io
import json
from pathlib import Path

import orjson
import pytest
from starlette.testclient import TestClient

from rolodex.services import Services
from rolodex.transfer.plain_lines import import_plain
from tests.conftest import ApiUser
from tests.dialects import api_key
from tests.duplicates.arrival_files import FILES
from tests.test_cli import run
from tests.transfer.files import post_file

BOB = {
    "name": {"givenName": "Bob", "familyName": "Smith"},
    "phoneNumbers": [{"type": "mobile", "value": "+1 415 555 0100"}],
}
ROBERT = {
    "name": {"givenName": "Robert", "familyName": "Smith"},
    "phoneNumbers": [{"type": "mobile", "value": "(415) 555-0100"}],
}
ALICE = {
    "name": {"givenName": "Alice", "familyName": "Jones"},
    "emails": [{"value": "a@j.example"}],
}
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Robert Smith\r\nN:Smith;Robert;;;\r\n"
    "TEL;TYPE=CELL:415.555.0100\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carol King\r\nN:King;Carol;;;\r\nEND:VCARD\r\n"
)


def test_a_new_contact_is_checked_against_the_book(user: ApiUser, services: Services) -> None:
    made = user.create(BOB)
    [(contact_id, match)] = services.duplicates.check(user.account_id, ROBERT)
    assert contact_id == made["contactId"]
    assert match.reasons == ("same mobile +1 415 555 0100", "names 'Robert Smith' and 'Bob Smith'")
    assert services.duplicates.check(user.account_id, ALICE) == []


def test_a_card_import_counts_its_possible_duplicates(user: ApiUser, services: Services) -> None:
    user.create(BOB)
    summary = services.card_import.run(user.account_id, lambda: io.BytesIO(VCARD.encode()))
    assert (summary.created, summary.possible_duplicates) == (2, 1)
    assert summary.as_json()["possibleDuplicates"] == 1


def test_a_json_lines_import_counts_its_possible_duplicates(
    user: ApiUser, services: Services, tmp_path: Path
) -> None:
    user.create(BOB)
    source = tmp_path / "plain.jsonl"
    source.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in (ROBERT, ALICE)))
    summary = import_plain(
        services.store,
        services.contacts,
        user.account_id,
        source,
        batch_size=1,
        restart=False,
        skip_invalid=False,
        workers=0,
        duplicates=services.duplicates,
    )
    assert (summary.created, summary.possible_duplicates) == (2, 1)


def test_the_cli_prints_the_groups_as_json(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    email = "dups@example.com"
    made = run(
        "accounts", "create", "--data-dir", data, "--email", email, "--password", "pw-pw-pw-pw"
    )
    assert made.returncode == 0, made.stderr
    source = tmp_path / "book.jsonl"
    source.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in (BOB, ROBERT, ALICE)))
    imported = run("import", str(source), "--email", email, "--quiet", "--data-dir", data)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["possibleDuplicates"] == 2
    found = run("duplicates", "--email", email, "--data-dir", data)
    assert found.returncode == 0, found.stderr
    [group] = json.loads(found.stdout)["duplicates"]
    assert len(group["contactIds"]) == 2
    assert group["reasons"] == [
        "same mobile +1 415 555 0100",
        "names 'Bob Smith' and 'Robert Smith'",
    ]
    strict = run("duplicates", "--email", email, "--min-score", "0.9999", "--data-dir", data)
    assert json.loads(strict.stdout) == {"duplicates": []}
    bad = run("duplicates", "--email", email, "--min-score", "2", "--data-dir", data)
    assert bad.returncode == 1


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_every_format_imported_over_rest_counts_its_possible_duplicates(
    client: TestClient, user: ApiUser, services: Services, fmt: str
) -> None:
    user.create(BOB)
    _, media, content = FILES[fmt]
    response = post_file(client, api_key(services, user.account_id), content, media)
    assert response.status_code == 200, response.text
    assert (response.json()["created"], response.json()["possibleDuplicates"]) == (2, 1)


def test_every_format_imported_by_the_cli_counts_its_possible_duplicates(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    email = "arrivals@example.com"
    made = run(
        "accounts", "create", "--data-dir", data, "--email", email, "--password", "pw-pw-pw-pw"
    )
    assert made.returncode == 0, made.stderr
    bob = tmp_path / "bob.jsonl"
    bob.write_bytes(orjson.dumps(BOB) + b"\n")
    first = run("import", str(bob), "--email", email, "--quiet", "--data-dir", data)
    assert json.loads(first.stdout)["possibleDuplicates"] == 0
    # Each file's Robert Smith likely duplicates Bob (and the Roberts before it): one each.
    for fmt, (name, _, content) in sorted(FILES.items()):
        source = tmp_path / name
        source.write_bytes(content)
        done = run("import", str(source), "--email", email, "--quiet", "--data-dir", data)
        assert done.returncode == 0, (fmt, done.stderr)
        summary = json.loads(done.stdout)
        assert (summary["contactsCreated"], summary["possibleDuplicates"]) == (2, 1), fmt
