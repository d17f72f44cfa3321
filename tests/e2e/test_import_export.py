"""The address book's Import and Export pages in Chromium against a real `rolodex serve`.

One person signs up, previews a small vCard file (the first contacts as Rolodex will
store them), imports it, previews a Google CSV (the column each field goes to), imports
that too, and finds all four contacts in the book; then downloads the book in every
export format and reads each file. The files are a few lines, so the test stays quick.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.e2e.test_address_book import DESKTOP, sign_up

if TYPE_CHECKING:
    from playwright.sync_api import FilePayload

pytestmark = needs_chromium

VCARD = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    b"EMAIL;TYPE=INTERNET,HOME:ada@engines.test\r\nTEL;TYPE=CELL:+44 20 7946 0000\r\n"
    b"CATEGORIES:Mathematicians\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Acme Tools\r\nN:;;;;\r\nORG:Acme Tools\r\n"
    b"X-ABShowAs:COMPANY\r\nEMAIL:sales@acme.test\r\nEND:VCARD\r\n"
)
GOOGLE_CSV = (
    b"First Name,Last Name,Organization Name,E-mail 1 - Label,E-mail 1 - Value,Labels\r\n"
    b"Grace,Hopper,US Navy,Work,grace@navy.test,* myContacts ::: Pioneers\r\n"
    b"Alan,Turing,,Home,alan@bletchley.test,* myContacts\r\n"
)
# What every export holds: each contact by the text a person would look for.
EXPECTED = ["Lovelace", "ada@engines.test", "Acme Tools", "Hopper", "grace@navy.test", "Turing"]
EXPORTS = {
    "vcard": "VERSION:4.0",
    "vcard3": "VERSION:3.0",
    "google-csv": "First Name,",
    "outlook-csv": '"First Name"',
    "jsonl": '{"',
}


def upload(page: Any, name: str, body: bytes, action: str) -> None:
    """Choose `body` as the file and press Preview or Import (the form clears the file)."""
    file: FilePayload = {"name": name, "mimeType": "application/octet-stream", "buffer": body}
    page.set_input_files("#import-file", files=[file])
    page.click(f"#import-{action}")


def test_import_with_previews_then_export_every_format(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    email = f"transfer-{secrets.token_hex(4)}@example.com"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_up(page, server, email)
            page.goto(f"{server}/book/import")

            # A vCard file: the preview shows its first contacts, nothing imported yet.
            upload(page, "people.vcf", VCARD, "preview")
            preview = page.locator("#import-preview-result")
            expect(preview.locator("h2")).to_have_text("Preview: vcard")
            rows = preview.locator("tbody tr")
            expect(rows).to_have_count(2)
            expect(rows.nth(0)).to_contain_text("Ada Lovelace")
            expect(rows.nth(0)).to_contain_text("ada@engines.test")
            expect(rows.nth(0)).to_contain_text("Mathematicians")
            expect(rows.nth(1)).to_contain_text("Acme Tools")
            expect(rows.nth(1)).to_contain_text("sales@acme.test")
            expect(page.locator("#import-columns")).to_have_count(0)
            page.goto(f"{server}/book")
            expect(page.locator(".empty")).to_contain_text("No contacts yet")

            page.goto(f"{server}/book/import")
            upload(page, "people.vcf", VCARD, "submit")
            page.wait_for_url(re.compile(r".*/book\?notice=.*"))
            expect(page.locator("p.ok")).to_contain_text("Imported 2 contacts.")

            # A Google CSV: the preview also says where each column goes.
            page.goto(f"{server}/book/import")
            upload(page, "google.csv", GOOGLE_CSV, "preview")
            expect(page.locator("#import-preview-result h2")).to_have_text("Preview: google-csv")
            expect(page.locator("#import-preview-result tbody tr").first).to_contain_text(
                "Grace Hopper"
            )
            columns = page.locator("#import-columns tbody tr")
            expect(columns).to_have_count(6)
            cells = [row.locator("td").all_inner_texts() for row in columns.all()]
            mapping = {column: place for column, place in cells}
            assert mapping["First Name"] == "name.givenName"
            assert mapping["E-mail 1 - Value"] == "emails.value"
            assert mapping["Labels"] == "tags"
            upload(page, "google.csv", GOOGLE_CSV, "submit")
            page.wait_for_url(re.compile(r".*/book\?notice=.*"))
            expect(page.locator("p.ok")).to_contain_text("Imported 2 contacts.")

            # All four are in the book, the company by its name.
            expect(page.locator("#book-count")).to_have_text("4 contacts")
            names = page.locator(".person-name").all_inner_texts()
            assert sorted(names) == ["Acme Tools", "Ada Lovelace", "Alan Turing", "Grace Hopper"]

            # Every format downloads as a file holding every contact.
            page.goto(f"{server}/book/export")
            for fmt, marker in EXPORTS.items():
                with page.expect_download() as info:
                    page.click(f"#export-{fmt}")
                download = info.value
                assert download.suggested_filename.startswith("contacts.")
                path = tmp_path / f"{fmt}-{download.suggested_filename}"
                download.save_as(path)
                encoding = "cp1252" if fmt == "outlook-csv" else "utf-8"
                text = path.read_text(encoding=encoding)
                assert marker in text, (fmt, text[:200])
                missing = [word for word in EXPECTED if word not in text]
                assert missing == [], (fmt, missing)
            assert errors == [], errors
            context.close()
        finally:
            browser.close()
