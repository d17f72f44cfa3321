"""`POST /v1/contacts/import` and `GET /v1/contacts/export`, as a client uses them."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from starlette.testclient import TestClient

from rolodex.oauth.credentials import API_KEY
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import api_key
from tests.transfer.files import export, import_sample, post_file

GOOD = b'{"contactData": {"name": {"givenName": "Ada"}}, "tags": ["Friends"], "uid": "u-1"}\n'
BAD = b'{"contactData": {"emails": [{"value": 7}]}}\n'
PEOPLE = (
    b'{"contactData": {"name": {"givenName": "Grace", "familyName": "Hopper"},'
    b' "emails": [{"type": "work", "value": "grace@navy.example"}],'
    b' "phoneNumbers": [{"type": "mobile", "value": "+1 555 0100"}]}, "tags": ["Navy"]}\n'
    b'{"contactData": {"name": {"givenName": "Alan"}, "notes": "Bletchley"}}\n'
)


@pytest.fixture
def key(user: ApiUser, services: Services) -> str:
    return api_key(services, user.account_id)


def _only_message(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"message"}, body
    return str(body["message"])


def test_import_answers_the_summary_and_export_gives_the_file(client: TestClient, key: str) -> None:
    summary = import_sample(client, key, "nextcloud-4.0.vcf")
    assert (summary["format"], summary["created"], summary["updated"]) == ("vcard", 1, 0)
    assert summary["errors"] == []
    assert summary["skipped"] == []
    got = export(client, key, "vcard")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/vcard")
    assert got.headers["content-disposition"] == 'attachment; filename="contacts.vcf"'
    assert got.text.count("BEGIN:VCARD") == 1
    assert "UID:6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b" in got.text


def test_importing_the_same_file_again_updates_instead_of_duplicating(
    client: TestClient, key: str
) -> None:
    first = import_sample(client, key, "thunderbird-4.0.vcf")
    again = import_sample(client, key, "thunderbird-4.0.vcf")
    assert (first["created"], first["updated"]) == (1, 0)
    assert (again["created"], again["updated"]) == (0, 1)
    assert export(client, key, "jsonl").text.count("\n") == 1


@pytest.mark.parametrize("fmt", ["vcard", "vcard3", "jsonl"])
def test_reimporting_an_export_changes_nothing(client: TestClient, key: str, fmt: str) -> None:
    import_sample(client, key, "nextcloud-4.0.vcf")
    post_file(client, key, PEOPLE, "application/x-ndjson")
    before = _contacts(export(client, key, "jsonl").text)
    exported = export(client, key, fmt)
    media = exported.headers["content-type"].split(";")[0]
    again = post_file(client, key, exported.content, media, f"?format={_reader(fmt)}")
    assert again.status_code == 200, again.text
    assert again.json()["created"] == 0 if fmt in ("vcard", "vcard3", "jsonl") else True
    if fmt in ("vcard", "vcard3", "jsonl"):
        assert again.json()["updated"] == 3
        assert _contacts(export(client, key, "jsonl").text) == before


def _contacts(jsonl: str) -> list[dict[str, object]]:
    """Each exported line's data, tags and UID (a vCard import adds extras of its own)."""
    lines = [orjson.loads(line) for line in jsonl.splitlines()]
    return [{k: v for k, v in line.items() if k != "extras"} for line in lines]


def _reader(fmt: str) -> str:
    return {"vcard3": "vcard"}.get(fmt, fmt)


def test_a_file_with_a_bad_contact_imports_nothing_and_lists_it(
    client: TestClient, key: str
) -> None:
    response = post_file(client, key, GOOD + BAD + BAD, "application/x-ndjson")
    assert response.status_code == 400
    body = response.json()
    assert "nothing was imported" in body["message"]
    assert [e["line"] for e in body["errors"]] == [2, 3]
    assert body["created"] == 0
    assert export(client, key, "jsonl").text == ""


def test_skip_invalid_imports_the_good_contacts(client: TestClient, key: str) -> None:
    response = post_file(client, key, GOOD + BAD, "application/x-ndjson", "?skipInvalid=true")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["created"] == 1
    assert [s["line"] for s in body["skipped"]] == [2]
    line = orjson.loads(export(client, key, "jsonl").text)
    assert line["tags"] == ["Friends"]
    assert line["uid"] == "u-1"


def test_a_body_over_the_limit_is_a_413_that_says_so(
    client: TestClient, key: str, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.settings, "import_max_bytes", 2048)
    response = post_file(client, key, GOOD * 100, "application/x-ndjson")
    assert response.status_code == 413
    assert "at most 2048 bytes" in _only_message(response)


def test_more_contacts_than_the_limit_is_a_413_that_says_so(
    client: TestClient, key: str, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.settings, "import_max_contacts", 2)
    body = b"".join(b'{"contactData": {"name": {"givenName": "N%d"}}}\n' % i for i in range(3))
    response = post_file(client, key, body, "application/x-ndjson")
    assert response.status_code == 413
    assert "more than 2 contacts" in _only_message(response)
    assert export(client, key, "jsonl").text == ""


def test_an_unknown_media_type_is_a_415(client: TestClient, key: str) -> None:
    response = post_file(client, key, GOOD, "application/pdf")
    assert response.status_code == 415
    assert "text/vcard" in _only_message(response)


def test_a_file_of_no_known_format_is_a_400(client: TestClient, key: str) -> None:
    response = post_file(client, key, b"hello;world\n1;2\n", "text/csv")
    assert response.status_code == 400
    assert _only_message(response).startswith("format: cannot tell")


def test_an_unknown_export_format_is_a_400(client: TestClient, key: str) -> None:
    response = export(client, key, "pdf")
    assert response.status_code == 400
    assert "vcard" in _only_message(response)


def test_without_a_key_import_and_export_are_forbidden(client: TestClient) -> None:
    assert client.post("/v1/contacts/import", content=GOOD).status_code == 403
    assert client.get("/v1/contacts/export?format=vcard").status_code == 403
    bad = {"x-api-key": "nope"}
    assert client.get("/v1/contacts/export?format=vcard", headers=bad).status_code == 403


def test_scopes_are_checked(client: TestClient, user: ApiUser, services: Services) -> None:
    reader = services.credentials.issue(
        user.account_id, frozenset({"contacts.read"}), kind=API_KEY
    ).secret
    writer = services.credentials.issue(
        user.account_id, frozenset({"contacts.write"}), kind=API_KEY
    ).secret
    assert post_file(client, reader, GOOD, "application/x-ndjson").status_code == 403
    assert export(client, writer, "vcard").status_code == 403
    assert post_file(client, writer, GOOD, "application/x-ndjson").status_code == 200
    assert export(client, reader, "jsonl").text.count("\n") == 1


def test_another_accounts_key_sees_nothing(
    client: TestClient, make_user: object, services: Services, key: str
) -> None:
    post_file(client, key, GOOD, "application/x-ndjson")
    other = make_user()  # type: ignore[operator]
    other_key = api_key(services, other.account_id)
    assert export(client, other_key, "jsonl").text == ""
    # The same UID in another account is another contact.
    again = post_file(client, other_key, GOOD, "application/x-ndjson").json()
    assert (again["created"], again["updated"]) == (1, 0)
    assert export(client, key, "jsonl").text.count("\n") == 1


def test_import_refuses_other_methods(client: TestClient, key: str) -> None:
    response = client.get("/v1/contacts/import", headers={"x-api-key": key})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def _lines(chunks: Iterator[bytes]) -> int:
    return sum(chunk.count(b"\n") for chunk in chunks)
