"""The address book in a real browser against a real `rolodex serve`.

Debian's chromium, driven by Playwright (its own browser download is never used). One
person signs up, creates a contact with several phones and emails, finds it by search
from the keyboard, edits it, tags it, uploads a photo, deletes it and undoes that; two
browser sessions edit the same contact and the second is told about the first; the
pages also work with JavaScript off. Screenshots of the list and of a contact page, at
phone and desktop widths, are saved under artifacts/.
"""

from __future__ import annotations

import io
import re
import secrets
from typing import TYPE_CHECKING, Any

from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

PASSWORD = "correct horse battery"
if TYPE_CHECKING:
    from playwright.sync_api import FilePayload, ViewportSize

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

pytestmark = needs_chromium


def portrait_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 240), (37, 86, 200))
    draw = ImageDraw.Draw(image)
    draw.ellipse((70, 40, 170, 140), fill=(250, 220, 190))
    draw.rectangle((50, 150, 190, 240), fill=(250, 220, 190))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sign_up(page: Any, server: str, email: str) -> None:
    page.goto(f"{server}/signup")
    page.fill("input[name=email]", email)
    page.fill("input[name=name]", "Erin Example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/book")


def log_in(page: Any, server: str, email: str) -> None:
    page.goto(f"{server}/login?next=/book")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/book")


def create_simple(page: Any, server: str, given: str, family: str, email: str, phone: str) -> None:
    page.goto(f"{server}/book/contacts/new")
    page.fill("#f-name-givenName", given)
    page.fill("#f-name-familyName", family)
    page.fill("#f-emails-0-value", email)
    page.fill("#f-phoneNumbers-0-value", phone)
    page.click("text=Create contact")
    page.wait_for_url(re.compile(r".*/book/contacts/c_[^/?]+\?.*"))


def test_the_address_book_in_chromium(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    email = f"book-{secrets.token_hex(4)}@example.com"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=DESKTOP)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on(
                "response",
                lambda r: (
                    errors.append(f"{r.status} {r.url}")
                    if r.status >= 400 and not r.url.endswith("/favicon.ico")
                    else None
                ),
            )
            sign_up(page, server, email)
            page.click("nav >> text=Address book")
            page.wait_for_url(f"{server}/book")
            expect(page.locator(".empty")).to_contain_text("No contacts yet")

            # A few neighbours, so the list has something to sort.
            for given, family, mail, phone in [
                ("Ada", "Lovelace", "ada@engine.test", "+44 20 7946 0001"),
                ("Émile", "Zola", "emile@paris.test", "+33 1 23 45 67 89"),
                ("Grace", "Hopper", "grace@navy.test", "+1 202 555 0143"),
            ]:
                create_simple(page, server, given, family, mail, phone)

            # Create a contact with several phones and emails; rows added by JavaScript.
            page.goto(f"{server}/book")
            page.click("text=New contact")
            page.fill("#f-name-givenName", "Quentin")
            page.fill("#f-name-familyName", "Blake")
            page.fill("#f-emails-0-type", "work")
            page.fill("#f-emails-0-value", "quentin@studio.test")
            page.click("text=Add an email")
            page.locator("fieldset[data-list=emails] .row").nth(1).locator(
                "input[type=email]"
            ).fill("q.blake@home.test")
            page.fill("#f-phoneNumbers-0-type", "mobile")
            page.fill("#f-phoneNumbers-0-value", "+44 7700 900123")
            page.click("text=Add a phone")
            second_phone = page.locator("fieldset[data-list=phoneNumbers] .row").nth(1)
            second_phone.locator("input.type-input").fill("work")
            second_phone.locator("input[type=tel]").fill("+44 20 7946 0958")
            page.click("text=Add a phone")
            page.locator("fieldset[data-list=phoneNumbers] .row").nth(2).locator(
                "input[type=tel]"
            ).fill("+44 20 7946 0999")
            page.click("text=Create contact")
            page.wait_for_url(re.compile(r".*/book/contacts/c_.*"))
            contact_url = page.url.split("?")[0]
            expect(page.locator("h1")).to_have_text("Quentin Blake")
            for text in [
                "quentin@studio.test",
                "q.blake@home.test",
                "+44 7700 900123",
                "+44 20 7946 0958",
                "+44 20 7946 0999",
            ]:
                expect(page.locator(".fields")).to_contain_text(text)

            # Find it by search: "/" focuses the box, results come as you type,
            # the arrow keys move into the list and Enter opens the contact.
            page.goto(f"{server}/book")
            page.locator("body").press("/")
            expect(page.locator("#q")).to_be_focused()
            page.keyboard.type("quen bla")
            expect(page.locator(".person-name")).to_have_count(1)
            expect(page.locator(".person-name")).to_contain_text("Quentin Blake")
            assert "q=quen+bla" in page.url
            page.keyboard.press("ArrowDown")
            expect(page.locator(".person-link").first).to_be_focused()
            page.keyboard.press("Enter")
            page.wait_for_url(re.compile(re.escape(contact_url) + r".*"))

            # Edit it: change the name, add an address, remove the second email.
            page.click("text=Edit")
            page.fill("#f-name-givenName", "Quentin S.")
            page.click("text=Add an address")
            address = page.locator("fieldset[data-list=addresses] .row").first
            address.get_by_label("Street").fill("12 Drawing Lane")
            address.get_by_label("City").fill("London")
            page.locator("fieldset[data-list=emails] .row").nth(1).locator(".remove-row").click()
            page.click("button:has-text('Save')")
            page.wait_for_url(re.compile(re.escape(contact_url) + r".*"))
            expect(page.locator("h1")).to_have_text("Quentin S. Blake")
            expect(page.locator(".fields")).to_contain_text("12 Drawing Lane, London")
            expect(page.locator(".fields")).not_to_contain_text("q.blake@home.test")

            # Tag it.
            page.fill("#tag-name", "Illustrators")
            page.click("button:has-text('Add tag')")
            expect(page.locator(".contact-head .chip")).to_contain_text("Illustrators")

            # Upload a photo.
            portrait: FilePayload = {
                "name": "me.png",
                "mimeType": "image/png",
                "buffer": portrait_png(),
            }
            page.set_input_files("#photo-file", files=[portrait])
            page.click("button:has-text('Upload photo')")
            expect(page.locator("p.ok")).to_contain_text("Photo uploaded")
            photo = page.locator("img.photo")
            expect(photo).to_be_visible()
            assert photo.evaluate("img => img.complete && img.naturalWidth > 0")

            # Favorite it, for the list's star.
            page.click("button:has-text('Add to favorites')")
            expect(page.locator("button[aria-pressed=true]")).to_contain_text("Favorite")

            # Screenshots: the contact page and the list, desktop and phone widths.
            page.screenshot(path=str(ARTIFACTS / "book-contact-desktop.png"), full_page=True)

            # Tag two contacts at once from the list, then filter the list by that tag.
            page.goto(f"{server}/book")
            page.check("input[aria-label='Select Ada Lovelace']")
            expect(page.locator("#bulk-wrap")).to_have_attribute("open", "")
            page.check("input[aria-label='Select Grace Hopper']")
            page.fill("#bulk-tag", "Pioneers")
            page.click("#bulk button[value=add]")
            expect(page.locator("p.ok")).to_contain_text("Tagged 2 contact(s)")
            page.select_option("#tag-filter", label="Pioneers")
            expect(page.locator(".person-name")).to_have_count(2)
            assert "tag=" in page.url
            page.goto(f"{server}/book")
            expect(page.locator(".person")).to_have_count(4)
            names = page.locator(".person-name").all_inner_texts()
            assert [n.split(" ★")[0].strip() for n in names] == [
                "Ada Lovelace",
                "Émile Zola",
                "Grace Hopper",
                "Quentin S. Blake",
            ]
            page.screenshot(path=str(ARTIFACTS / "book-list-desktop.png"), full_page=True)
            page.set_viewport_size(PHONE)
            page.screenshot(path=str(ARTIFACTS / "book-list-phone.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.goto(contact_url)
            page.screenshot(path=str(ARTIFACTS / "book-contact-phone.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.goto(contact_url + "/edit")
            page.screenshot(path=str(ARTIFACTS / "book-edit-phone.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.set_viewport_size(DESKTOP)

            # Delete it, then undo.
            page.goto(contact_url)
            page.click("button:has-text('Delete')")
            page.wait_for_url(re.compile(r".*/book\?deleted=.*"))
            expect(page.locator(".undo")).to_contain_text("Deleted Quentin S. Blake")
            expect(page.locator(".person-name")).to_have_count(3)
            page.click(".undo button:has-text('Undo')")
            page.wait_for_url(re.compile(re.escape(contact_url) + r".*"))
            expect(page.locator("p.ok")).to_contain_text("Contact restored")
            expect(page.locator("h1")).to_have_text("Quentin S. Blake")
            expect(page.locator(".contact-head .chip")).to_contain_text("Illustrators")

            # An edit conflict between two browser sessions of the same person.
            other_context = browser.new_context(viewport=DESKTOP)
            other = other_context.new_page()
            log_in(other, server, email)
            page.goto(contact_url + "/edit")
            other.goto(contact_url + "/edit")
            page.fill("#f-notes", "Saved first, from the first window.")
            page.click("button:has-text('Save')")
            page.wait_for_url(re.compile(re.escape(contact_url) + r".*"))
            other.fill("#f-notes", "Typed in the second window.")
            other.click("button:has-text('Save')")
            conflict = other.locator("#conflict")
            expect(conflict).to_contain_text("changed by someone else meanwhile")
            expect(conflict).to_contain_text("Saved first, from the first window.")
            expect(other.locator("#f-notes")).to_have_value("Typed in the second window.")
            other.screenshot(path=str(ARTIFACTS / "book-conflict-desktop.png"), full_page=True)
            other.click("text=Reload the current version")
            expect(other.locator("#f-notes")).to_have_value("Saved first, from the first window.")
            page.goto(contact_url)
            expect(page.locator(".fields")).to_contain_text("Saved first, from the first window.")
            expect(page.locator(".fields")).not_to_contain_text("second window")

            # A second conflict, merged field by field: the second window changed the
            # name, the first the notes; the choices default to keeping both changes.
            page.goto(contact_url + "/edit")
            page.fill("#f-notes", "Notes from the first window, again.")
            page.click("button:has-text('Save')")
            page.wait_for_url(re.compile(re.escape(contact_url) + r".*"))
            other.fill("#f-name-givenName", "Quentin R.")
            other.click("button:has-text('Save')")
            expect(other.locator("#conflict")).to_contain_text(
                re.compile(r"Changed in the address book on .* UTC")
            )
            expect(other.locator("#choice-name input[value=mine]")).to_be_checked()
            expect(other.locator("#choice-notes input[value=theirs]")).to_be_checked()
            expect(other.locator("#choice-notes")).to_contain_text("Notes from the first window")
            other.screenshot(path=str(ARTIFACTS / "book-conflict-choices.png"), full_page=True)
            other.click("button:has-text('Save with these choices')")
            other.wait_for_url(re.compile(re.escape(contact_url) + r".*"))
            expect(other.locator("h1")).to_have_text("Quentin R. Blake")
            expect(other.locator(".fields")).to_contain_text("Notes from the first window, again.")
            other_context.close()

            # With JavaScript off: the list and contact pages read, and a plain form edit saves.
            plain_context = browser.new_context(viewport=PHONE, java_script_enabled=False)
            plain = plain_context.new_page()
            log_in(plain, server, email)
            expect(plain.locator(".person")).to_have_count(4)
            plain.click("text=Grace Hopper")
            plain.click("text=Edit")
            plain.click("text=Add an address")  # a round trip to the server adds the row
            plain.locator("fieldset[data-list=addresses] .row").first.get_by_label("City").fill(
                "Arlington"
            )
            plain.fill("#f-phoneNumbers-0-value", "+1 202 555 0199")
            plain.click("button:has-text('Save')")
            expect(plain.locator(".fields")).to_contain_text("Arlington")
            expect(plain.locator(".fields")).to_contain_text("+1 202 555 0199")
            plain_context.close()

            assert errors == [], errors
            context.close()
        finally:
            browser.close()
