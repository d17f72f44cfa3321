"""Contacts imported from files read back unchanged through every API, and go back out equal.

Each sample of tests/formats/samples/ is imported over HTTP, then read through the
Contacts+, REST and personal APIs, and exported again; and the kept extras follow a
write through each API (issue 22, "Fidelity").
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.contacts.cards import CardRepository
from rolodex.contacts.mapping_common import first_value, read_display_name
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import api_key, personal_for, rest_for
from tests.formats.samples import card_texts, read_sample, sample_card_texts
from tests.formats.vcard.semantic import assert_semantically_equal
from tests.transfer.files import (
    data_without_photos,
    export,
    import_sample,
    post_file,
    without_photos,
)

VCARDS = [
    ("google-3.0.vcf", "vcard3"),
    ("nextcloud-4.0.vcf", "vcard"),
    ("thunderbird-4.0.vcf", "vcard"),
    ("android-2.1.vcf", "vcard3"),
]
CSVS = [
    "google-current.csv",
    "google-old-utf8-bom.csv",
    "outlook-windows1252.csv",
    "outlook-utf16.csv",
]


def all_contacts(user: ApiUser) -> list[dict[str, Any]]:
    found = user.ok("contacts.scroll", {"size": 100})["contacts"]
    return [dict(c) for c in found]


@pytest.fixture
def key(user: ApiUser, services: Services) -> str:
    return api_key(services, user.account_id)


@pytest.mark.parametrize(("name", "fmt"), VCARDS)
def test_a_vcard_sample_reads_back_through_every_api(
    client: TestClient, user: ApiUser, services: Services, key: str, name: str, fmt: str
) -> None:
    cards = read_sample(name)
    summary = import_sample(client, key, name)
    assert (summary["created"], summary["errors"]) == (len(cards), [])
    found = all_contacts(user)
    rest, personal = rest_for(user, services), personal_for(user)
    for card, contact in zip(cards, found, strict=True):
        data = {k: v for k, v in contact["contactData"].items() if k != "photos"}
        assert data == data_without_photos(card)
        via_rest = rest.get(contact["contactId"])
        assert via_rest["name"] == read_display_name(card.contact_data)
        assert via_rest["phoneNumber"] == first_value(card.contact_data.get("phoneNumbers"))
        assert sorted(via_rest["tags"], key=str.casefold) == sorted(card.tags, key=str.casefold)
        via_personal = personal.get(contact["contactId"])
        assert via_personal["email"] == first_value(card.contact_data.get("emails"))
        assert via_personal["notes"] == card.contact_data.get("notes")


@pytest.mark.parametrize(("name", "fmt"), VCARDS[:3])
def test_a_vcard_sample_exports_semantically_equal(
    client: TestClient, key: str, name: str, fmt: str
) -> None:
    import_sample(client, key, name)
    exported = export(client, key, fmt, "&noPhotos=true")
    assert exported.status_code == 200
    originals = sample_card_texts(name)
    written = card_texts(exported.text)
    assert len(written) == len(originals)
    for original, out in zip(originals, written, strict=True):
        if "\nUID" not in original:
            # A card without a UID gets one on export: the re-import finds it by that.
            out = "".join(
                line for line in out.splitlines(keepends=True) if not line.startswith("UID")
            )
        assert_semantically_equal(without_photos(out), without_photos(original))


@pytest.mark.parametrize("name", CSVS)
def test_a_csv_sample_imports_field_by_field(
    client: TestClient, user: ApiUser, key: str, name: str
) -> None:
    cards = read_sample(name)
    summary = import_sample(client, key, name)
    assert (summary["created"], summary["errors"], summary["skipped"]) == (len(cards), [], [])
    found = all_contacts(user)
    assert [c["contactData"] for c in found] == [c.contact_data for c in cards]


def test_an_apple_group_card_becomes_a_tag_and_its_photo_an_upload(
    client: TestClient, user: ApiUser, services: Services, key: str
) -> None:
    summary = import_sample(client, key, "apple-3.0.vcf")
    assert (summary["created"], summary["errors"]) == (1, [])
    [contact] = all_contacts(user)
    assert rest_for(user, services).get(contact["contactId"])["tags"] == ["Book Club"]
    photos = contact["contactData"]["photos"]
    assert photos[0]["type"] == "uploaded"
    assert "PHOTO:data:image/" in export(client, key, "vcard").text.replace("\r\n ", "")
    assert "PHOTO" not in export(client, key, "vcard", "&noPhotos=true").text
    again = import_sample(client, key, "apple-3.0.vcf")
    assert (again["created"], again["updated"]) == (0, 1)
    # The photo is not added a second time.
    [contact] = all_contacts(user)
    assert [p["type"] for p in contact["contactData"]["photos"]] == ["uploaded"]


def test_a_bad_photo_is_an_error_on_its_line(client: TestClient, key: str) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat\r\nN:;Pat;;;\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:bm90IGFuIGltYWdl\r\nEND:VCARD\r\n"
    )
    response = post_file(
        client,
        key,
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ok\r\nEND:VCARD\r\n" + card).encode(),
        "text/vcard",
    )
    assert response.status_code == 400
    assert [e["line"] for e in response.json()["errors"]] == [5]
    assert "photo 1" in response.json()["errors"][0]["problem"]


KEPT = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:keep-1\r\nFN:Kim Keeper\r\nN:Keeper;Kim;;;\r\n"
    "TEL;TYPE=cell;X-SERVICE=signal:+1 555 0101\r\n"
    "TEL;TYPE=home;X-SERVICE=landline:+1 555 0102\r\n"
    "X-SHOE-SIZE:42\r\nEND:VCARD\r\n"
)


def _imported(client: TestClient, user: ApiUser, key: str) -> dict[str, Any]:
    response = post_file(client, key, KEPT.encode(), "text/vcard")
    assert response.status_code == 200, response.text
    [contact] = all_contacts(user)
    return contact


def _after(client: TestClient, key: str) -> str:
    return export(client, key, "vcard").text.replace("\r\n ", "")


def _assert_first_phone_detail_gone(text: str) -> None:
    assert "X-SHOE-SIZE:42" in text
    assert "X-SERVICE=landline:+1 555 0102" in text
    assert "signal" not in text
    assert "+1 555 0199" in text


def test_an_update_through_contactsplus_keeps_the_extras_of_values_still_there(
    client: TestClient, user: ApiUser, key: str
) -> None:
    contact = _imported(client, user, key)
    data = contact["contactData"]
    data["phoneNumbers"][0]["value"] = "+1 555 0199"
    user.ok("contacts.update", {"contact": {**contact, "contactData": data}})
    _assert_first_phone_detail_gone(_after(client, key))


def test_an_update_through_rest_keeps_the_extras_of_values_still_there(
    client: TestClient, user: ApiUser, services: Services, key: str
) -> None:
    contact = _imported(client, user, key)
    rest = rest_for(user, services)
    rest.put(contact["contactId"], {"name": "Kim Keeper", "phoneNumber": "+1 555 0199"})
    _assert_first_phone_detail_gone(_after(client, key))


def test_an_update_through_personal_keeps_the_extras_of_values_still_there(
    client: TestClient, user: ApiUser, key: str
) -> None:
    contact = _imported(client, user, key)
    personal_for(user).update(contact["contactId"], {"mobile_phone": "+1 555 0199"})
    _assert_first_phone_detail_gone(_after(client, key))


def test_a_write_that_keeps_every_value_keeps_every_extra(
    client: TestClient, user: ApiUser, services: Services, key: str
) -> None:
    contact = _imported(client, user, key)
    owner = user.account_id
    pk = services.contacts.get_one(owner, contact["contactId"]).pk
    with services.store.read() as conn:
        before = CardRepository.extras_of(conn, pk)
    personal_for(user).update(contact["contactId"], {"notes": "met at the fair"})
    with services.store.read() as conn:
        assert CardRepository.extras_of(conn, pk) == before


def test_a_uid_whose_contact_was_deleted_makes_a_new_contact(
    client: TestClient, user: ApiUser, key: str
) -> None:
    contact = _imported(client, user, key)
    user.ok("contacts.delete", {"contactId": contact["contactId"], "etag": contact["etag"]})
    again = post_file(client, key, KEPT.encode(), "text/vcard").json()
    assert (again["created"], again["updated"]) == (1, 0)
    [fresh] = all_contacts(user)
    assert fresh["contactId"] != contact["contactId"]
    assert "UID:keep-1" in export(client, key, "vcard").text
    once_more = post_file(client, key, KEPT.encode(), "text/vcard").json()
    assert (once_more["created"], once_more["updated"]) == (0, 1)


def test_a_contact_made_through_an_api_is_found_again_by_its_exported_uid(
    client: TestClient, user: ApiUser, key: str
) -> None:
    made = user.create({"name": {"givenName": "Api", "familyName": "Made"}})
    first = export(client, key, "vcard").text
    assert first == export(client, key, "vcard").text  # the same UID every time
    changed = first.replace("N:Made;Api;;;", "N:Made;Api;;;\r\nNOTE:from the file")
    done = post_file(client, key, changed.encode(), "text/vcard").json()
    assert (done["created"], done["updated"]) == (0, 1)
    [contact] = all_contacts(user)
    assert contact["contactId"] == made["contactId"]
    assert contact["contactData"]["notes"] == "from the file"


@pytest.mark.parametrize("fmt", ["vcard", "vcard3", "google-csv", "outlook-csv"])
def test_a_company_without_a_name_comes_back_from_its_own_export_unchanged(
    client: TestClient, user: ApiUser, services: Services, key: str, fmt: str
) -> None:
    """Issue 22: the FN derived from the organisation came back as a display name."""
    data = {"organizations": [{"name": "Acme Tools"}], "emails": [{"value": "a@acme.test"}]}
    user.create(data)
    exported = export(client, key, fmt)
    assert "Acme Tools" in exported.text
    media = "text/csv" if fmt.endswith("csv") else "text/vcard"
    response = post_file(client, key, exported.content, media)
    assert response.status_code == 200, response.text
    # A vCard's UID finds the contact again; a CSV row makes a second one.
    found = all_contacts(user)
    assert len(found) == (2 if fmt.endswith("csv") else 1)
    rest = rest_for(user, services)
    for contact in found:
        assert contact["contactData"] == data
        assert rest.get(contact["contactId"])["name"] is None
