"""The APIs and the web form agree on what an email and a phone number are: an email needs
an @ with text either side, a phone a digit; both refuse anything else the same way, and
accept the same free text otherwise (docs/api-notes.md)."""

from __future__ import annotations

import re

import pytest

from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import api_key
from tests.web.book.conftest import Reader

BAD_EMAILS = ["no-at-sign", "@example.com", "someone@", " @ "]
BAD_PHONES = ["call reception", "n/a"]
# Odd but possible: accepted everywhere, as typed.
GOOD_EMAILS = ["a@b", "Ann Smith <ann@example.com>"]
GOOD_PHONES = ["1-800-FLOWERS", "+44 20 7946 0958 ext. 12", "5"]

EMAIL_PROBLEM = "an email address needs an @ with text either side"
PHONE_PROBLEM = "a phone number needs at least one digit"


def _form_error(html: str, field: str) -> str:
    match = re.search(rf'<span class="field-error" id="e-{re.escape(field)}">([^<]*)<', html)
    return match.group(1) if match else ""


@pytest.mark.parametrize("value", BAD_EMAILS)
def test_a_bad_email_is_refused_by_every_api_and_the_form(
    value: str, user: ApiUser, reader: Reader
) -> None:
    rpc = user.call("contacts.create", {"contact": {"contactData": {"emails": [{"value": value}]}}})
    assert rpc.status_code == 400
    assert rpc.json()["error"]["field"] == "contact.contactData.emails.0.value"
    assert EMAIL_PROBLEM in rpc.json()["error"]["message"]
    personal = user.client.post(
        "/api/user/contacts",
        json={"name": "Ann", "email": value},
        headers={"Authorization": f"Bearer {user.token}"},
    )
    assert personal.status_code == 400
    assert EMAIL_PROBLEM in personal.text
    form = reader.post(
        "/book/contacts/new",
        "/book/contacts/new",
        {"name-givenName": "Ann", "emails-0-value": value},
    )
    assert form.status_code == 400
    assert _form_error(form.text, "emails-0-value") == EMAIL_PROBLEM.capitalize() + "."


@pytest.mark.parametrize("value", BAD_PHONES)
def test_a_bad_phone_is_refused_by_every_api_and_the_form(
    value: str, user: ApiUser, reader: Reader, services: Services
) -> None:
    rpc = user.call(
        "contacts.create", {"contact": {"contactData": {"phoneNumbers": [{"value": value}]}}}
    )
    assert rpc.status_code == 400
    assert rpc.json()["error"]["field"] == "contact.contactData.phoneNumbers.0.value"
    assert PHONE_PROBLEM in rpc.json()["error"]["message"]
    personal = user.client.post(
        "/api/user/contacts",
        json={"name": "Ann", "mobile_phone": value},
        headers={"Authorization": f"Bearer {user.token}"},
    )
    assert personal.status_code == 400
    assert PHONE_PROBLEM in personal.text
    rest = user.client.post(
        "/v1/contacts",
        json={"name": "Ann", "phoneNumber": value},
        headers={"x-api-key": api_key(services, user.account_id)},
    )
    assert rest.status_code == 400
    assert PHONE_PROBLEM in rest.json()["message"]
    form = reader.post(
        "/book/contacts/new",
        "/book/contacts/new",
        {"name-givenName": "Ann", "phoneNumbers-0-value": value},
    )
    assert form.status_code == 400
    assert _form_error(form.text, "phoneNumbers-0-value") == PHONE_PROBLEM.capitalize() + "."


def test_odd_but_possible_values_are_accepted_everywhere_as_typed(
    user: ApiUser, reader: Reader, services: Services
) -> None:
    data = {
        "emails": [{"value": v} for v in GOOD_EMAILS],
        "phoneNumbers": [{"value": v} for v in GOOD_PHONES],
    }
    created = user.ok("contacts.create", {"contact": {"contactData": data}})["contact"]
    assert created["contactData"] == data
    fields = {"name-givenName": "Ann"}
    for i, value in enumerate(GOOD_EMAILS):
        fields[f"emails-{i}-value"] = value
    for i, value in enumerate(GOOD_PHONES):
        fields[f"phoneNumbers-{i}-value"] = value
    contact_id = reader.create(fields)
    stored = services.contacts.get_one(reader.account_id(services), contact_id).data
    assert [e["value"] for e in stored["emails"]] == GOOD_EMAILS
    assert [p["value"] for p in stored["phoneNumbers"]] == GOOD_PHONES
