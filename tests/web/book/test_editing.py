"""Creating and editing contacts through the form: rows, validation next to fields, the etag rule."""

from __future__ import annotations

import re

from rolodex.services import Services
from tests.web.book.conftest import Reader
from tests.web.browser import csrf_of


def etag_in(html: str) -> str:
    match = re.search(r'name="etag" value="([^"]+)"', html)
    assert match
    return match.group(1)


def error_of(html: str, field: str) -> str:
    match = re.search(rf'<span class="field-error" id="e-{re.escape(field)}">([^<]*)<', html)
    return match.group(1) if match else ""


def test_create_with_several_phones_and_emails_stores_the_canonical_contact(
    reader: Reader, services: Services
) -> None:
    contact_id = reader.create(
        {
            "name-givenName": "Nora",
            "name-familyName": "Quinn",
            "emails-0-type": "work",
            "emails-0-value": "nora@work.test",
            "emails-1-type": "home",
            "emails-1-value": "nora@home.test",
            "phoneNumbers-0-type": "mobile",
            "phoneNumbers-0-value": "+1 555 0100",
            "phoneNumbers-1-type": "work",
            "phoneNumbers-1-value": "+1 555 0199",
            "phoneNumbers-2-type": "home",
            "phoneNumbers-2-value": "",
            "birthday-month": "2",
            "birthday-day": "29",
            "notes": "  two\nlines  ",
        }
    )
    stored = services.contacts.get_one(reader.account_id(services), contact_id).data
    assert stored == {
        "name": {"givenName": "Nora", "familyName": "Quinn"},
        "emails": [
            {"type": "work", "value": "nora@work.test"},
            {"type": "home", "value": "nora@home.test"},
        ],
        "phoneNumbers": [
            {"type": "mobile", "value": "+1 555 0100"},
            {"type": "work", "value": "+1 555 0199"},
        ],
        "birthday": {"month": 2, "day": 29},
        "notes": "  two\nlines  ",
    }


def test_validation_messages_sit_next_to_the_field_they_name(reader: Reader) -> None:
    response = reader.post(
        "/book/contacts/new",
        "/book/contacts/new",
        {
            "name-givenName": "Olga",
            "emails-0-value": "no-at-sign",
            "dates-0-type": "anniversary",
            "dates-0-month": "13",
            "birthday-year": "nineteen",
        },
    )
    assert response.status_code == 400
    html = response.text
    assert "@" in error_of(html, "emails-0-value")
    assert error_of(html, "birthday-year") == "Must be a whole number."
    assert 'id="f-emails-0-value" name="emails-0-value" value="no-at-sign"' in html
    # The month problem is found by the canonical model once the form's own checks pass.
    fixed = reader.post(
        "/book/contacts/new",
        "/book/contacts/new",
        {"name-givenName": "Olga", "dates-0-type": "anniversary", "dates-0-month": "13"},
    )
    assert fixed.status_code == 400
    assert "12" in error_of(fixed.text, "dates-0-month")
    assert 'aria-invalid="true" aria-describedby="e-dates-0-month"' in fixed.text


def test_an_empty_contact_is_refused_with_a_message(reader: Reader) -> None:
    response = reader.post("/book/contacts/new", "/book/contacts/new", {"emails-0-type": "work"})
    assert response.status_code == 400
    assert "name, an email or a phone" in error_of(response.text, "name-givenName")


def test_add_a_row_without_javascript_keeps_what_was_typed(reader: Reader) -> None:
    response = reader.post(
        "/book/contacts/new",
        "/book/contacts/new",
        {"name-givenName": "Pia", "emails-0-value": "pia@x.test", "add": "emails"},
    )
    assert response.status_code == 200
    assert 'value="pia@x.test"' in response.text
    assert 'name="emails-1-value"' in response.text
    assert 'name="addresses-0-street"' not in response.text
    more = reader.post(
        "/book/contacts/new", "/book/contacts/new", {"name-givenName": "Pia", "add": "addresses"}
    )
    assert 'name="addresses-0-street"' in more.text


def test_edit_replaces_the_fields_removes_rows_and_keeps_photos_and_hidden_parts(
    reader: Reader, services: Services
) -> None:
    owner = reader.account_id(services)
    contact = services.contacts.create(
        owner,
        {
            "name": {"givenName": "Quin"},
            "emails": [{"value": "a@q.test"}, {"value": "b@q.test"}],
            "organizations": [{"name": "Acme", "startDate": {"year": 2001}}],
            "photos": [{"type": "url", "value": "https://elsewhere.test/q.jpg"}],
        },
    )
    page = reader.get(f"/book/contacts/{contact.contact_id}/edit")
    assert page.status_code == 200
    saved = reader.post(
        f"/book/contacts/{contact.contact_id}/edit",
        f"/book/contacts/{contact.contact_id}/edit",
        {
            "etag": etag_in(page.text),
            "name-givenName": "Quinn",
            "emails-0-value": "a@q.test",
            "emails-0-remove": "1",
            "emails-1-value": "b@q.test",
            "organizations-0-name": "Acme Ltd",
            "organizations-0-keep": '{"startDate": {"year": 2001}}',
        },
    )
    assert saved.status_code == 303, saved.text
    after = services.contacts.get_one(owner, contact.contact_id)
    assert after.data == {
        "name": {"givenName": "Quinn"},
        "emails": [{"value": "b@q.test"}],
        "organizations": [{"name": "Acme Ltd", "startDate": {"year": 2001}}],
        "photos": [{"type": "url", "value": "https://elsewhere.test/q.jpg"}],
    }
    assert after.etag != contact.etag


def test_a_stale_etag_is_never_overwritten_silently(reader: Reader, services: Services) -> None:
    owner = reader.account_id(services)
    contact = services.contacts.create(owner, {"name": {"givenName": "Rae"}})
    form = reader.get(f"/book/contacts/{contact.contact_id}/edit").text
    started_from = etag_in(form)

    def someone_else(c: object) -> None:
        c.data = {"name": {"givenName": "Rae"}, "notes": "changed elsewhere"}  # type: ignore[attr-defined]

    services.contacts.modify(owner, contact.contact_id, someone_else, expected_etag=None)
    mine = {"etag": started_from, "name-givenName": "Rachel"}
    url = f"/book/contacts/{contact.contact_id}/edit"
    conflict = reader.post(url, url, mine)
    assert conflict.status_code == 409
    assert "changed by someone else meanwhile" in conflict.text
    assert "changed elsewhere" in conflict.text  # the current version is shown
    assert 'value="Rachel"' in conflict.text  # and what the person typed is kept
    assert f'href="{url}"' in conflict.text  # with a reload link
    assert services.contacts.get_one(owner, contact.contact_id).data["name"]["givenName"] == "Rae"
    # Choosing to save over it names the version shown in the conflict.
    current = re.search(r'name="overwrite_etag" value="([^"]+)"', conflict.text)
    assert current
    forced = reader.post(url, url, {**mine, "overwrite_etag": current.group(1), "overwrite": "1"})
    assert forced.status_code == 303
    assert services.contacts.get_one(owner, contact.contact_id).data == {
        "name": {"givenName": "Rachel"}
    }


def test_a_form_without_csrf_token_is_refused(reader: Reader) -> None:
    response = reader.browser.http.post(
        "/book/contacts/new", data={"name-givenName": "Eve"}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "expired" in response.text


def test_an_oversized_or_malformed_form_is_a_4xx(reader: Reader) -> None:
    page = reader.get("/book/contacts/new")
    token = csrf_of(page.text)
    too_long = reader.browser.http.post(
        "/book/contacts/new",
        data={"csrf_token": token, "name-givenName": "x" * 2000},
        follow_redirects=False,
    )
    assert too_long.status_code == 400
    assert "1024" in too_long.text
    odd = reader.browser.http.post(
        "/book/contacts/new",
        data={"csrf_token": token, "name-givenName": "Z", "emails-99999-value": "z@z.test"},
        follow_redirects=False,
    )
    assert odd.status_code == 303  # an index the form never makes is ignored, not a crash
