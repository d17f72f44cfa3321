"""GET, HEAD, PUT and DELETE of cards: the round trip, conditions and refusals."""

from __future__ import annotations

import base64
from xml.etree import ElementTree

import pytest
from sqlalchemy import Connection

from rolodex import actors
from rolodex.contacts.model import Contact
from rolodex.services import Services
from tests.api.carddav.conftest import FROM, C, D, DavUser, basic, multistatus, vcard
from tests.photos.factories import image_bytes

EXTRAS = (
    "X-PHONETIC-FIRST-NAME:ay-dah",
    "X-CUSTOM;X-FLAVOUR=mint:keep me",
    "EMAIL;TYPE=INTERNET,HOME:ada@example.com",
)


def _lines(text: str) -> list[str]:
    return [line for line in text.replace("\r\n ", "").split("\r\n") if line]


def test_a_card_put_reads_back_with_its_extras_unchanged(dav: DavUser) -> None:
    put = dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace", *EXTRAS), If_None_Match="*")
    assert put.status_code == 201, put.text
    got = dav.request("GET", dav.book + "ada.vcf")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/vcard")
    lines = _lines(got.text)
    assert "VERSION:3.0" in lines
    assert "UID:uid-ada" in lines
    assert "X-PHONETIC-FIRST-NAME:ay-dah" in lines
    assert "X-CUSTOM;X-FLAVOUR=mint:keep me" in lines
    assert got.headers["etag"].startswith('"')


def test_the_card_reads_through_the_contactsplus_api(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace", *EXTRAS, "CATEGORIES:Friends,Maths"))
    contacts = dav.api.ok("contacts.scroll", {"size": 10})["contacts"]
    assert len(contacts) == 1
    data = contacts[0]["contactData"]
    assert data["name"]["familyName"] == "Lovelace"
    assert data["emails"][0]["value"] == "ada@example.com"
    tags = dav.api.ok("tags.scroll", {})["tags"]
    assert sorted(t["tagData"]["name"] for t in tags) == ["Friends", "Maths"]
    assert sorted(contacts[0]["contactMetadata"]["tagIds"]) == sorted(t["tagId"] for t in tags)


def test_version_4_is_served_when_asked(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    got = dav.request("GET", dav.book + "ada.vcf", Accept="text/vcard; version=4.0")
    assert "VERSION:4.0" in _lines(got.text)


def test_head_answers_the_headers_without_the_card(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    got = dav.request("GET", dav.book + "ada.vcf")
    head = dav.request("HEAD", dav.book + "ada.vcf")
    assert head.status_code == 200
    assert head.headers["etag"] == got.headers["etag"]
    assert head.content == b""


def test_a_contact_made_elsewhere_is_found_at_its_listed_href(dav: DavUser) -> None:
    made = dav.api.create({"name": {"givenName": "Grace", "familyName": "Hopper"}})
    listed = multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))
    (href,) = [h for h in listed if h != dav.book]
    assert href.endswith(".vcf")
    got = dav.request("GET", href)
    assert got.status_code == 200
    assert "FN:Grace Hopper" in _lines(got.text)
    assert got.headers["etag"] == f'"{made["etag"]}"'
    # Written back to the same href: the same contact, not a new one.
    changed = got.text.replace("FN:Grace Hopper", "FN:Grace B. Hopper")
    put = dav.request("PUT", href, changed, If_Match=got.headers["etag"])
    assert put.status_code == 204, put.text
    contacts = dav.api.ok("contacts.scroll", {"size": 10})["contacts"]
    assert [c["contactId"] for c in contacts] == [made["contactId"]]
    assert contacts[0]["contactData"]["displayName"] == "Grace B. Hopper"


def test_if_none_match_star_refuses_an_existing_card(dav: DavUser) -> None:
    assert dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace")).status_code == 201
    again = dav.put("ada.vcf", vcard("uid-ada", "Ada King"), If_None_Match="*")
    assert again.status_code == 412


def test_a_stale_if_match_is_a_412_and_writes_nothing(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    etag = dav.request("GET", dav.book + "ada.vcf").headers["etag"]
    assert dav.put("ada.vcf", vcard("uid-ada", "Ada King"), If_Match=etag).status_code == 204
    stale = dav.put("ada.vcf", vcard("uid-ada", "Ada Byron"), If_Match=etag)
    assert stale.status_code == 412
    assert "FN:Ada King" in _lines(dav.request("GET", dav.book + "ada.vcf").text)


def test_if_match_on_a_missing_card_is_a_412(dav: DavUser) -> None:
    response = dav.put("nobody.vcf", vcard("uid-x", "No Body"), If_Match='"abc"')
    assert response.status_code == 412


def test_delete_with_and_without_conditions(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    assert dav.request("DELETE", dav.book + "ada.vcf", If_Match='"stale"').status_code == 412
    assert dav.request("DELETE", dav.book + "ada.vcf").status_code == 204
    assert dav.request("GET", dav.book + "ada.vcf").status_code == 404
    assert dav.request("DELETE", dav.book + "ada.vcf").status_code == 404
    # The name and the UID are free again.
    assert dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace")).status_code == 201


def test_what_is_not_a_vcard_is_a_415(dav: DavUser) -> None:
    response = dav.request(
        "PUT", dav.book + "x.vcf", '{"name": "x"}', Content_Type="application/json"
    )
    assert response.status_code == 415


def _error_condition(body: bytes) -> list[str]:
    root = ElementTree.fromstring(body)
    assert root.tag == f"{D}error"
    return [child.tag for child in root]


def test_a_broken_card_is_a_400_naming_valid_address_data(dav: DavUser) -> None:
    for body in (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No End\r\n",
        vcard("a", "One") + vcard("b", "Two"),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Uid\r\nEND:VCARD\r\n",
    ):
        response = dav.put("bad.vcf", body)
        assert response.status_code == 400, body
        assert _error_condition(response.content) == [f"{C}valid-address-data"]
    assert dav.request("GET", dav.book + "bad.vcf").status_code == 404


def test_a_card_over_the_size_limit_is_a_413(dav: DavUser, services: Services) -> None:
    limit = services.settings.carddav_max_card_bytes
    big = vcard("uid-big", "Big Card", "NOTE:" + "x" * limit)
    assert dav.put("big.vcf", big).status_code == 413


def test_a_card_over_the_limit_without_credentials_is_still_a_401(
    dav: DavUser, services: Services
) -> None:
    """The body is read before the credentials are checked (one worker thread for both),
    but who calls is still settled first."""
    limit = services.settings.carddav_max_card_bytes
    big = vcard("uid-big", "Big Card", "NOTE:" + "x" * limit)
    response = dav.client.request(
        "PUT",
        dav.book + "big.vcf",
        content=big.encode(),
        headers={"Content-Type": "text/vcard", **FROM},
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Rolodex"'
    wrong = dav.client.request(
        "PUT",
        dav.book + "small.vcf",
        content=vcard("uid-small", "Small Card").encode(),
        headers={
            "Content-Type": "text/vcard",
            "Authorization": basic(dav.api.email, "nope"),
            **FROM,
        },
    )
    assert wrong.status_code == 401


def test_a_uid_of_another_card_is_the_no_uid_conflict_precondition(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    response = dav.put("other.vcf", vcard("uid-ada", "Ada Again"))
    assert response.status_code == 403
    root = ElementTree.fromstring(response.content)
    conflict = root.find(f"{C}no-uid-conflict")
    assert conflict is not None
    assert conflict.findtext(f"{D}href") == dav.book + "ada.vcf"


def test_a_put_that_stores_the_card_as_sent_answers_its_etag(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    text = dav.request("GET", dav.book + "ada.vcf").text
    again = dav.request("PUT", dav.book + "ada.vcf", text, Content_Type="text/vcard")
    assert again.status_code == 204
    assert again.headers["etag"] == dav.request("GET", dav.book + "ada.vcf").headers["etag"]


def test_conditional_get_answers_304(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    etag = dav.request("GET", dav.book + "ada.vcf").headers["etag"]
    assert dav.request("GET", dav.book + "ada.vcf", If_None_Match=etag).status_code == 304


def test_writes_are_made_as_the_app_password_actor(
    dav: DavUser, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[actors.Actor | None] = []
    saved = services.contacts.data_saved

    def observe(conn: Connection, contact: Contact) -> None:
        seen.append(actors.current())
        if saved is not None:
            saved(conn, contact)

    monkeypatch.setattr(services.contacts, "data_saved", observe)
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    dav.put("ada.vcf", vcard("uid-ada", "Ada King"))
    assert seen == [actors.Actor(actors.APP_PASSWORD, "account password", dav.account_id, None)]


def test_a_cards_photo_goes_to_the_photo_store_once(dav: DavUser) -> None:
    photo = base64.b64encode(image_bytes("PNG")).decode()
    card = vcard("uid-ada", "Ada Lovelace", f"PHOTO;ENCODING=b;TYPE=PNG:{photo}")
    assert dav.put("ada.vcf", card).status_code == 201
    (contact,) = dav.api.ok("contacts.scroll", {"size": 10})["contacts"]
    photos = contact["contactData"]["photos"]
    assert len(photos) == 1
    assert photos[0]["value"].startswith("/photos/")
    got = dav.request("GET", dav.book + "ada.vcf")
    assert "PHOTO" in got.text
    # The card as read, written back: the same photo, not a second one.
    assert dav.request("PUT", dav.book + "ada.vcf", got.text, Content_Type="text/vcard").is_success
    (again,) = dav.api.ok("contacts.scroll", {"size": 10})["contacts"]
    assert again["contactData"]["photos"] == photos
    # Without its PHOTO the card has none.
    assert dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace")).status_code == 204
    (last,) = dav.api.ok("contacts.scroll", {"size": 10})["contacts"]
    assert not last["contactData"].get("photos")


def test_a_photo_that_is_no_image_is_a_400(dav: DavUser) -> None:
    junk = base64.b64encode(b"not an image at all").decode()
    card = vcard("uid-ada", "Ada Lovelace", f"PHOTO;ENCODING=b;TYPE=PNG:{junk}")
    response = dav.put("ada.vcf", card)
    assert response.status_code == 400
    assert dav.request("GET", dav.book + "ada.vcf").status_code == 404


def test_if_match_star_needs_an_existing_card(dav: DavUser) -> None:
    assert dav.put("ada.vcf", vcard("uid-ada", "Ada"), If_Match="*").status_code == 412
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    assert dav.put("ada.vcf", vcard("uid-ada", "Ada King"), If_Match="*").status_code == 204
    assert dav.request("DELETE", dav.book + "ada.vcf", If_Match="*").status_code == 204
    assert dav.request("HEAD", dav.book + "ada.vcf").status_code == 404


def test_a_name_holding_a_slash_is_found_again(dav: DavUser) -> None:
    assert dav.put("a%2Fb.vcf", vcard("a/b", "Slash Person")).status_code == 201
    listed = multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))
    assert dav.book + "a%2Fb.vcf" in listed
    assert dav.request("GET", dav.book + "a%2Fb.vcf").status_code == 200


def test_a_card_reads_back_as_sent_until_something_changes_it(dav: DavUser) -> None:
    sent = vcard(
        "uid-ada", "Ada Lovelace", "EMAIL;TYPE=INTERNET;TYPE=PREF:ada@example.com", *EXTRAS[:2]
    )
    put = dav.put("ada.vcf", sent)
    got = dav.request("GET", dav.book + "ada.vcf")
    assert got.text == sent
    assert put.headers["etag"] == got.headers["etag"]
    # A change through another API: the card is written through the mapping again.
    (contact,) = dav.api.ok("contacts.scroll", {"size": 10})["contacts"]
    dav.api.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": contact["contactId"],
                "etag": contact["etag"],
                "contactData": {**contact["contactData"], "notes": "changed"},
            }
        },
    )
    after = dav.request("GET", dav.book + "ada.vcf").text
    assert after != sent
    assert "NOTE:changed" in _lines(after)
    assert "UID:uid-ada" in _lines(after)
    assert "X-PHONETIC-FIRST-NAME:ay-dah" in _lines(after)
    assert "X-CUSTOM;X-FLAVOUR=mint:keep me" in _lines(after)


def test_a_name_holding_a_newline_is_stored_and_found_again(dav: DavUser) -> None:
    """vdirsyncer's test_newline_in_uid: the href holds `%0A`, decoded to a newline."""
    name = "nl%0A.vcf"
    assert dav.put(name, vcard("uid-newline", "Newline Person")).status_code == 201
    got = dav.request("GET", dav.book + name)
    assert got.status_code == 200
    assert "Newline Person" in got.text
    listed = multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))
    assert dav.book + name in listed
    assert dav.request("DELETE", dav.book + name).status_code == 204


def test_a_name_holding_nul_is_a_404_in_plain_text(dav: DavUser) -> None:
    response = dav.put("nul%00.vcf", vcard("uid-nul", "Nul Person"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")


def test_the_mass_deletion_guard_answers_a_held_delete_with_409(
    dav: DavUser, services: Services
) -> None:
    """history's guard (docs/history.md): past half a book of 60, DELETE is a 409."""
    size = 60
    with services.store.write(owner_id=dav.account_id) as conn:
        services.contacts.create_many_in(
            conn, dav.account_id, [{"notes": str(n)} for n in range(size)]
        )
    listed = multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))
    hrefs = sorted(h for h in listed if h != dav.book)
    assert len(hrefs) == size
    # An app password is a credential the guard watches (the account password is not).
    issued = services.app_passwords.create(dav.account_id, "Phone")
    phone = {"Authorization": basic(dav.api.email, issued.password)}
    statuses = [dav.request("DELETE", href, **phone).status_code for href in hrefs]
    assert statuses[: size // 2] == [204] * (size // 2)
    assert set(statuses[size // 2 :]) == {409}
    held = dav.request("DELETE", hrefs[-1], **phone)
    assert held.status_code == 409
    assert "held" in held.text.lower()
    assert services.contacts.count_live(dav.account_id) == size // 2
    # A person is not held: the account password deletes on.
    assert dav.request("DELETE", hrefs[-1]).status_code == 204
