"""The address book at 5,000 contacts in Chromium, and the edit page at phone width.

One person signs up, lands on the empty book, imports 5,000 contacts through the import
it offers (one JSON lines upload), and then moves through them: the count, a jump by
letter, more rows as the list scrolls. The edit page at 390x844 keeps Save on screen.
Screenshots (looked at by a person) go to artifacts/: book-5000-desktop.png,
book-5000-phone.png, book-edit-sticky-phone.png.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

import orjson

from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.e2e.test_address_book import DESKTOP, PHONE, sign_up

if TYPE_CHECKING:
    from playwright.sync_api import FilePayload

pytestmark = needs_chromium

GIVEN = [
    "Aiko", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas",
    "Kasia", "Lars", "Maya", "Nils", "Olga", "Pablo", "Rosa", "Sven", "Tariq", "Ute",
    "Vera", "Wen", "Yusuf", "Zoe",
]  # fmt: skip
FAMILY = ["Alvarez", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat"]
COMPANIES = ["Acme Ltd", "Globex", "Initech", "Umbrella", "Stark Industries", ""]
TITLES = ["Engineer", "Buyer", "Director", "Designer", ""]
COUNT = 5000


def contacts_file() -> bytes:
    lines = []
    for i in range(COUNT):
        given, family = GIVEN[i % len(GIVEN)], FAMILY[(i // len(GIVEN)) % len(FAMILY)]
        data: dict[str, object] = {
            "name": {"givenName": given, "familyName": f"{family} {i:04d}"},
            "emails": [{"type": "work", "value": f"{given.lower()}.{i}@example.test"}],
            "phoneNumbers": [{"type": "mobile", "value": f"+1 202 555 {i:04d}"}],
        }
        company, title = COMPANIES[i % len(COMPANIES)], TITLES[i % len(TITLES)]
        if company or title:
            data["organizations"] = [{k: v for k, v in (("name", company), ("title", title)) if v}]
        lines.append(orjson.dumps(data))
    return b"\n".join(lines) + b"\n"


def test_a_book_of_5000_contacts(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    email = f"scale-{secrets.token_hex(4)}@example.com"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=DESKTOP)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            # Signing up lands on the (empty) book, which offers an import.
            sign_up(page, server, email)
            expect(page.locator(".empty")).to_contain_text("No contacts yet")
            upload: FilePayload = {
                "name": "c.jsonl",
                "mimeType": "application/json",
                "buffer": contacts_file(),
            }
            page.set_input_files("#import-file", files=[upload])
            page.click("#import-submit")
            page.wait_for_url(re.compile(r".*/book\?notice=.*"), timeout=60_000)
            expect(page.locator("p.ok")).to_contain_text("Imported 5,000 contacts.")

            # The count, the first page only, company and title beside the name.
            expect(page.locator("#book-count")).to_have_text("5,000 contacts")
            expect(page.locator(".person")).to_have_count(50)
            expect(page.locator(".person-work").first).to_be_visible()
            names = page.locator(".person-name").all_inner_texts()
            assert names[0].startswith("Aiko")
            assert names == sorted(names, key=str.casefold)

            # Scrolling to the end of the list loads the next page, and the next.
            page.locator(".person").last.scroll_into_view_if_needed()
            expect(page.locator(".person")).to_have_count(100)
            page.locator(".person").last.scroll_into_view_if_needed()
            expect(page.locator(".person")).to_have_count(150)

            # A letter jumps there; letters no name starts with are not links.
            expect(page.locator(".az span", has_text="Q")).to_have_attribute(
                "aria-disabled", "true"
            )
            page.click(".az a:text-is('M')")
            page.wait_for_url(re.compile(r".*/book\?letter=M.*"))
            expect(page.locator(".person-name").first).to_contain_text("Maya")
            expect(page.locator(".az a[aria-current]")).to_have_text("M")
            expect(page.locator("#book-count")).to_have_text("5,000 contacts")
            page.screenshot(path=str(ARTIFACTS / "book-5000-desktop.png"))

            page.set_viewport_size(PHONE)
            page.goto(f"{server}/book")
            expect(page.locator(".person")).to_have_count(50)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.screenshot(path=str(ARTIFACTS / "book-5000-phone.png"))

            # The edit page at phone width: Save stays on screen at the top and the end.
            page.click(".person-link >> nth=0")
            page.click("text=Edit")
            page.wait_for_url(re.compile(r".*/edit$"))
            save = page.locator(".sticky-actions button[type=submit]")
            for where in ("top", "end"):
                if where == "end":
                    page.locator("#f-notes").scroll_into_view_if_needed()
                box = save.bounding_box()
                assert box is not None
                assert box["y"] >= 0, (where, box)
                assert box["y"] + box["height"] <= PHONE["height"], (where, box)
            page.evaluate("window.scrollTo(0, 0)")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            expect(page.locator("text=Add an IM address")).to_be_attached()
            page.screenshot(path=str(ARTIFACTS / "book-edit-sticky-phone.png"))
            page.fill("#f-notes", "Edited at phone width.")
            save.click()
            page.wait_for_url(re.compile(r".*/book/contacts/c_[^/]+\?.*"))
            expect(page.locator(".fields")).to_contain_text("Edited at phone width.")

            assert errors == [], errors
            context.close()
        finally:
            browser.close()
