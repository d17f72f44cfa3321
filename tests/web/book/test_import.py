"""The empty book offers an import: a JSON lines upload, all of it or nothing, with limits."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

import httpx2
import orjson
import pytest

from rolodex.services import Services
from rolodex.web.book.importing import MAX_IMPORT_BYTES, MAX_IMPORT_LINES
from tests.duplicates.arrival_files import BOB, FILES
from tests.web.book.conftest import Reader


def upload(reader: Reader, content: bytes, name: str = "contacts.jsonl") -> httpx2.Response:
    return reader.post(
        "/book/import", "/book/import", {}, files={"file": (name, content, "application/json")}
    )


def test_the_empty_book_offers_the_import(reader: Reader, services: Services) -> None:
    page = reader.get("/book").text
    assert "No contacts yet" in page
    assert 'action="/book/import"' in page
    assert 'enctype="multipart/form-data"' in page
    services.contacts.create(reader.account_id(services), {"displayName": "Someone"})
    assert 'action="/book/import"' not in reader.get("/book").text


def test_an_upload_imports_every_line_in_one_go(reader: Reader, services: Services) -> None:
    lines = [
        {"name": {"givenName": "Ada", "familyName": "Lovelace"}},
        {"contactData": {"emails": [{"value": "grace@navy.test"}]}},
        {"contact": {"contactData": {"displayName": "Émile Zola"}}},
    ]
    body = b"\n".join(orjson.dumps(line) for line in lines) + b"\n\n"
    response = upload(reader, body)
    assert response.status_code == 303
    assert "Imported 3 contacts." in unquote_plus(response.headers["location"])
    page = reader.get("/book").text
    assert 'id="book-count">3 contacts<' in page
    owner = reader.account_id(services)
    assert services.contacts.count_live(owner) == 3


def test_bad_lines_are_each_named_and_nothing_is_imported(
    reader: Reader, services: Services
) -> None:
    body = b"\n".join(
        [
            b'{"displayName": "Fine"}',
            b"{not json",
            b'{"emails": [{"value": "no-at-sign"}]}',
            b'{"displayName": "Also fine"}',
            b"[1, 2]",
            b'{"colour": "blue"}',
        ]
    )
    response = upload(reader, body)
    assert response.status_code == 400
    html = response.text
    assert "4 lines could not be read; nothing was imported." in html
    problems = re.findall(r"<li><strong>(Line \d+)</strong>: ([^<]+)</li>", html)
    assert [p[0] for p in problems] == ["Line 2", "Line 3", "Line 5", "Line 6"]
    assert "not valid JSON" in problems[0][1]
    assert "emails.0.value: an email address needs an @" in problems[1][1]
    assert "not a JSON object" in problems[2][1]
    assert "colour: unknown field" in problems[3][1]
    assert services.contacts.count_live(reader.account_id(services)) == 0


def test_a_file_over_the_size_limit_is_a_413(reader: Reader, services: Services) -> None:
    line = orjson.dumps({"notes": "x" * 60_000}) + b"\n"
    body = line * (MAX_IMPORT_BYTES // len(line) + 2)
    response = upload(reader, body)
    assert response.status_code == 413
    assert "is larger than" in response.text
    assert services.contacts.count_live(reader.account_id(services)) == 0


def test_too_many_lines_or_none_is_a_400(reader: Reader, services: Services) -> None:
    many = b'{"displayName": "x"}\n' * (MAX_IMPORT_LINES + 1)
    response = upload(reader, many)
    assert response.status_code == 400
    assert f"at most {MAX_IMPORT_LINES}" in response.text
    empty = upload(reader, b"\n\n")
    assert empty.status_code == 400
    assert "no contacts in it" in empty.text
    missing = reader.post("/book/import", "/book/import", {})
    assert missing.status_code == 400
    assert "Choose a file" in missing.text
    assert services.contacts.count_live(reader.account_id(services)) == 0


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_every_format_uploaded_counts_its_possible_duplicates(
    reader: Reader, services: Services, fmt: str
) -> None:
    services.contacts.create(reader.account_id(services), BOB)
    name, media, content = FILES[fmt]
    response = reader.post(
        "/book/import", "/book/import", {}, files={"file": (name, content, media)}
    )
    assert response.status_code == 303, response.text
    notice = unquote_plus(response.headers["location"])
    assert (
        "Imported 2 contacts. 1 of them may be a duplicate of contacts already here:"
        " see Merge & fix." in notice
    ), notice
