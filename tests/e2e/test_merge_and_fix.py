"""Merge & fix in a real browser, issue 25's "done when": a person imports the same people
from their phone (vCard) and from Google (CSV), is told some may be duplicates, opens
Merge & fix, sees each suggestion with its reasons beside the merged contact, merges
them all in one go, edits one of the merged contacts, and then takes the merges back:
the page says which contact changed since, who changed it and when, and "Undo anyway"
puts every contact back. Screenshot under artifacts/book-merge-conflict.png."""

from __future__ import annotations

import re
import secrets

from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.e2e.test_address_book import DESKTOP, sign_up
from tests.e2e.test_import_export import upload

pytestmark = needs_chromium

PHONE = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Smith\r\nN:Smith;Bob;;;\r\n"
    b"TEL;TYPE=CELL:+1 415 555 0100\r\nNOTE:from the phone\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Liz Taylor\r\nN:Taylor;Liz;;;\r\n"
    b"TEL;TYPE=CELL:+1 212 555 0199\r\nEND:VCARD\r\n"
)
GOOGLE = (
    b"Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,"
    b"Phone 1 - Value\r\n"
    b"Robert Smith,Robert,Smith,* Home,bob@smith.example,Mobile,(415) 555-0100\r\n"
    b"Elizabeth Taylor,Elizabeth,Taylor,,,Mobile,212.555.0199\r\n"
)


def test_imported_twice_merged_in_one_go_and_taken_back_over_a_change(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=DESKTOP).new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_up(page, server, f"merge-{secrets.token_hex(4)}@example.com")
            page.goto(f"{server}/book/import")
            upload(page, "phone.vcf", PHONE, "submit")
            page.wait_for_url(re.compile(r".*/book\?notice=.*"))
            page.goto(f"{server}/book/import")
            upload(page, "google.csv", GOOGLE, "submit")
            page.wait_for_url(re.compile(r".*/book\?notice=.*"))
            expect(page.locator("p.ok")).to_contain_text(
                "Imported 2 contacts. 2 of them may be duplicates of contacts already here:"
                " see Merge & fix."
            )
            expect(page.locator("#book-count")).to_have_text("4 contacts")

            page.click("#merge-and-fix")
            groups = page.locator(".duplicate-group")
            expect(groups).to_have_count(2)
            bob = groups.filter(has_text="same mobile +1 415 555 0100")
            expect(bob).to_contain_text("names 'Bob Smith' and 'Robert Smith'")
            # The merged contact, beside its records: the phone's number and Google's email.
            merged = bob.locator("td").last
            expect(merged).to_contain_text("bob@smith.example")
            expect(merged).to_contain_text("from the phone")

            page.click("#merge-all")
            expect(page.locator("p.ok")).to_have_text("Merged 2 group(s).")
            expect(page.locator("#duplicates")).to_contain_text("No likely duplicates.")
            after_merge = page.url
            expect(page.locator("#recent-merges li")).to_have_count(2)

            # One merged contact is edited in the address book after the merge.
            page.locator("#recent-merges li a").first.click()
            page.wait_for_url(re.compile(r".*/book/contacts/c_[^/?]+.*"))
            contact_url = page.url.split("?")[0]
            page.goto(contact_url + "/edit")
            page.fill("#f-notes", "Edited after the merge.")
            page.click("button:has-text('Save')")
            page.wait_for_url(re.compile(re.escape(contact_url) + r"\?.*"))

            # Undo of both merges: the edited one is refused and explained.
            page.goto(after_merge)
            page.click("#undo-merge")
            conflict = page.locator("#unmerge-conflict")
            expect(conflict).to_contain_text("changed after it")
            expect(conflict).to_contain_text(
                re.compile(r"Changed in the address book on \d{1,2} \w+ \d{4} at \d\d:\d\d UTC")
            )
            expect(conflict.locator("a", has_text="History")).to_have_count(1)
            page.screenshot(path=str(ARTIFACTS / "book-merge-conflict.png"), full_page=True)

            page.click("#undo-anyway")
            # The newest merge first: the edited one may have been first or second.
            expect(page.locator("p.ok")).to_contain_text(re.compile(r"Undid [12] merge\(s\)\."))
            expect(page.locator("#recent-merges")).to_have_count(0)
            page.goto(f"{server}/book")
            expect(page.locator("#book-count")).to_have_text("4 contacts")
            assert errors == []
        finally:
            browser.close()
