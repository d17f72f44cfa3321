"""The address book's Import (every format, with a preview) and Export pages, over HTTP."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

import httpx2

from rolodex.services import Services
from tests.formats.samples import SAMPLES
from tests.web.book.conftest import Reader


def upload(reader: Reader, name: str, content: bytes, **fields: str) -> httpx2.Response:
    return reader.post(
        "/book/import", "/book/import", fields, files={"file": (name, content, "text/plain")}
    )


def test_a_vcard_upload_imports_and_a_second_one_updates(
    reader: Reader, services: Services
) -> None:
    body = (SAMPLES / "nextcloud-4.0.vcf").read_bytes()
    response = upload(reader, "contacts.vcf", body, action="import")
    assert response.status_code == 303
    assert "Imported 1 contact." in unquote_plus(response.headers["location"])
    again = upload(reader, "contacts.vcf", body, action="import")
    assert again.status_code == 303
    assert services.contacts.count_live(reader.account_id(services)) == 1


def test_an_upload_says_how_many_may_be_duplicates(reader: Reader) -> None:
    first = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Robert Smith\r\nN:Smith;Robert;;;\r\nEMAIL:bob.smith@example.com\r\nEND:VCARD\r\n"
    second = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Smith\r\nN:Smith;Bob;;;\r\nEMAIL:Bob.Smith@example.com\r\nEND:VCARD\r\n"
    assert upload(reader, "one.vcf", first, action="import").status_code == 303
    response = upload(reader, "two.vcf", second, action="import")
    assert response.status_code == 303
    notice = unquote_plus(response.headers["location"])
    assert "Imported 1 contact. 1 of them may be a duplicate" in notice
    assert "Merge & fix" in notice


def test_a_csv_upload_with_its_format_named(reader: Reader, services: Services) -> None:
    body = (SAMPLES / "outlook-windows1252.csv").read_bytes()
    response = upload(reader, "outlook.csv", body, format="outlook-csv", action="import")
    assert response.status_code == 303
    assert services.contacts.count_live(reader.account_id(services)) == 2


def test_preview_shows_the_first_contacts_and_imports_nothing(
    reader: Reader, services: Services
) -> None:
    body = (SAMPLES / "google-current.csv").read_bytes()
    response = upload(reader, "google.csv", body, action="preview")
    assert response.status_code == 200
    assert "Preview: google-csv" in response.text
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", response.text)
    assert len(rows) == 3
    columns = dict(re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", response.text))
    assert columns["First Name"] == "name.givenName"
    assert columns["E-mail 1 - Value"] == "emails.value"
    assert columns["E-mail 1 - Label"] == "the type of E-mail 1"
    assert columns["Labels"] == "tags"
    assert services.contacts.count_live(reader.account_id(services)) == 0


def test_preview_names_a_company_without_a_name_as_the_book_does(reader: Reader) -> None:
    body = (
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Acme\r\nORG:Acme\r\nX-ABShowAs:COMPANY\r\nEND:VCARD\r\n"
    )
    response = upload(reader, "acme.vcf", body, action="preview")
    assert response.status_code == 200
    assert re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", response.text) == [("1", "Acme")]


def test_a_vcard_with_a_bad_card_imports_nothing_and_names_its_line(
    reader: Reader, services: Services
) -> None:
    body = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fine\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad\r\nEMAIL:no-at-sign\r\nEND:VCARD\r\n"
    )
    response = upload(reader, "bad.vcf", body, action="import")
    assert response.status_code == 400
    assert "1 contact could not be read; nothing was imported." in response.text
    assert "<strong>Line 5</strong>" in response.text
    assert services.contacts.count_live(reader.account_id(services)) == 0


def test_a_file_of_no_known_format_is_a_400(reader: Reader) -> None:
    response = upload(reader, "x.csv", b"a,b\n1,2\n", action="import")
    assert response.status_code == 400
    assert "Cannot tell what this file is" in response.text


def test_the_export_page_offers_each_format_and_downloads_it(
    reader: Reader, services: Services
) -> None:
    services.contacts.create(
        reader.account_id(services),
        {"name": {"givenName": "Ada", "familyName": "Lovelace"}, "emails": [{"value": "a@x.test"}]},
    )
    page = reader.get("/book/export")
    assert page.status_code == 200
    for name in ("vcard", "vcard3", "google-csv", "outlook-csv", "jsonl"):
        assert f'href="/book/export?format={name}"' in page.text
    got = reader.get("/book/export?format=vcard")
    assert got.status_code == 200
    assert got.headers["content-disposition"] == 'attachment; filename="contacts.vcf"'
    assert "N:Lovelace;Ada;;;" in got.text
    csv = reader.get("/book/export?format=google-csv")
    assert "Lovelace" in csv.text
    assert csv.headers["content-type"].startswith("text/csv")


def test_an_unknown_export_format_is_a_400_page(reader: Reader) -> None:
    assert reader.get("/book/export?format=pdf").status_code == 400
