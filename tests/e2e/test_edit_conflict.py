"""The edit conflict in a real browser: one person opens a contact's edit page in two
tabs, saves in the first, then saves in the second; the conflict page says who changed it
and when, shows the fields both agree on once, and the per-field choices make the merged
contact. Screenshot under artifacts/book-conflict-sides.png."""

from __future__ import annotations

import re
import secrets

from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.e2e.test_address_book import DESKTOP, sign_up

pytestmark = needs_chromium


def test_two_tabs_save_and_the_second_merges_field_by_field(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=DESKTOP)
            first = context.new_page()
            errors: list[str] = []
            first.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_up(first, server, f"conflict-{secrets.token_hex(4)}@example.com")
            first.goto(f"{server}/book/contacts/new")
            first.fill("#f-name-givenName", "Ada")
            first.fill("#f-name-familyName", "Lovelace")
            first.fill("#f-emails-0-value", "ada@old.test")
            first.fill("#f-phoneNumbers-0-value", "+44 20 7946 0001")
            first.fill("#f-notes", "Notes as they were.")
            first.click("text=Create contact")
            first.wait_for_url(re.compile(r".*/book/contacts/c_[^/?]+\?.*"))
            contact_url = first.url.split("?")[0]

            # Two tabs open the edit page of the same version.
            second = context.new_page()
            second.on("pageerror", lambda exc: errors.append(str(exc)))
            first.goto(contact_url + "/edit")
            second.goto(contact_url + "/edit")

            # The first tab changes the email and the notes, and saves.
            first.fill("#f-emails-0-value", "ada@first-tab.test")
            first.fill("#f-notes", "Notes from the first tab.")
            first.click("button:has-text('Save')")
            first.wait_for_url(re.compile(re.escape(contact_url) + r".*"))

            # The second changes the first name and the notes, and saves over it.
            second.fill("#f-name-givenName", "Augusta Ada")
            second.fill("#f-notes", "Notes from the second tab.")
            second.click("button:has-text('Save')")
            conflict = second.locator("#conflict")
            expect(conflict).to_contain_text(
                re.compile(r"Changed in the address book on \d{1,2} \w+ \d{4} at \d\d:\d\d UTC")
            )
            # Both versions side by side; the phone, the same in both, shown once.
            expect(second.locator("#choice-emails")).to_contain_text("ada@first-tab.test")
            expect(second.locator("#choice-emails")).to_contain_text("ada@old.test")
            expect(second.locator("#choice-notes")).to_contain_text("Notes from the second tab.")
            expect(second.locator("#choice-notes")).to_contain_text("Notes from the first tab.")
            expect(second.locator("#same-phoneNumbers")).to_contain_text("+44 20 7946 0001")
            expect(second.locator("input[name=pick-phoneNumbers]")).to_have_count(0)
            expect(conflict.locator("text=+44 20 7946 0001")).to_have_count(1)
            # Defaults: the name is mine, the email (only they changed it) theirs.
            expect(second.locator("#choice-name input[value=mine]")).to_be_checked()
            expect(second.locator("#choice-emails input[value=theirs]")).to_be_checked()
            expect(second.locator("#choice-notes input[value=mine]")).to_be_checked()
            # Pick the other tab's notes, by their accessible label.
            second.get_by_label("Notes: keep the saved one").check()
            second.screenshot(path=str(ARTIFACTS / "book-conflict-sides.png"), full_page=True)
            second.click("button:has-text('Save with these choices')")
            second.wait_for_url(re.compile(re.escape(contact_url) + r"\?.*"))

            expect(second.locator("h1")).to_have_text("Augusta Ada Lovelace")
            fields = second.locator(".fields")
            expect(fields).to_contain_text("ada@first-tab.test")
            expect(fields).to_contain_text("Notes from the first tab.")
            expect(fields).to_contain_text("+44 20 7946 0001")
            expect(fields).not_to_contain_text("second tab")
            expect(fields).not_to_contain_text("ada@old.test")
            assert errors == [], errors
            context.close()
        finally:
            browser.close()
