"""A UID is unique per address book (RFC 6352 §6.3.2.1), not per owner.

A client copying a card into another book of the same owner PUTs its UID (and usually
its name) there again: that is a second contact, in the other book. Within one book the
UID is refused with the `no-uid-conflict` precondition naming the card that holds it.
Imports, which land in the default book, update the default book's holder of a UID.
"""

from __future__ import annotations

from xml.etree import ElementTree

import orjson
from sqlalchemy import insert, select
from starlette.testclient import TestClient

from rolodex.ids import new_id
from rolodex.services import Services
from rolodex.store import Store
from rolodex.store.schema import book_members, contact_cards, contacts
from tests.api.carddav.conftest import C, D, DavUser, multistatus, vcard
from tests.api.carddav.test_books import mkcol
from tests.contacts.test_search_index import contact_row, empty_store, migrate
from tests.dialects import api_key
from tests.transfer.files import post_file

__all__ = ["empty_store"]


def _work(dav: DavUser) -> str:
    work = f"/dav/books/{dav.account_id}/work/"
    assert dav.request("MKCOL", work, mkcol()).status_code == 201
    return work


def _put(dav: DavUser, href: str, card: str, **headers: str) -> int:
    return dav.request("PUT", href, card, Content_Type="text/vcard", **headers).status_code


def _families(dav: DavUser) -> list[str]:
    found = dav.api.ok("contacts.scroll", {"size": 50})["contacts"]
    return sorted(c["contactData"]["name"]["familyName"] for c in found)


def test_a_card_copied_into_another_book_keeps_its_uid_and_name(dav: DavUser) -> None:
    work = _work(dav)
    assert _put(dav, dav.book + "ada.vcf", vcard("uid-ada", "Ada Lovelace")) == 201
    copied = _put(dav, work + "ada.vcf", vcard("uid-ada", "Ada Byron"), If_None_Match="*")
    assert copied == 201
    assert "FN:Ada Lovelace" in dav.request("GET", dav.book + "ada.vcf").text
    assert "FN:Ada Byron" in dav.request("GET", work + "ada.vcf").text
    assert set(multistatus(dav.propfind(work, "<D:getetag/>", depth="1"))) == {
        work,
        work + "ada.vcf",
    }
    # Two contacts, seen by every other API.
    assert _families(dav) == ["Byron", "Lovelace"]


def test_each_copy_is_changed_and_deleted_on_its_own(dav: DavUser) -> None:
    work = _work(dav)
    _put(dav, dav.book + "ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    _put(dav, work + "ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    etag = dav.request("GET", work + "ada.vcf").headers["etag"]
    edited = vcard("uid-ada", "Ada King", "NOTE:edited in work")
    assert _put(dav, work + "ada.vcf", edited, If_Match=etag) == 204
    assert "FN:Ada Lovelace" in dav.request("GET", dav.book + "ada.vcf").text
    assert dav.request("DELETE", dav.book + "ada.vcf").status_code == 204
    assert dav.request("GET", dav.book + "ada.vcf").status_code == 404
    assert "FN:Ada King" in dav.request("GET", work + "ada.vcf").text
    # The deleted card gives its UID and name up in its own book only.
    assert _put(dav, dav.book + "ada.vcf", vcard("uid-ada", "Ada Again")) == 201
    assert _families(dav) == ["Again", "King"]


def test_a_uid_twice_in_one_book_is_refused_naming_the_holder(dav: DavUser) -> None:
    work = _work(dav)
    _put(dav, dav.book + "ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    assert _put(dav, work + "ada.vcf", vcard("uid-ada", "Ada Lovelace")) == 201
    response = dav.request(
        "PUT", work + "other.vcf", vcard("uid-ada", "Ada Again"), Content_Type="text/vcard"
    )
    assert response.status_code == 403
    conflict = ElementTree.fromstring(response.content).find(f"{C}no-uid-conflict")
    assert conflict is not None
    assert conflict.findtext(f"{D}href") == work + "ada.vcf"
    assert dav.request("GET", work + "other.vcf").status_code == 404
    assert _families(dav) == ["Lovelace", "Lovelace"]


def test_a_failed_condition_answers_before_the_uid_conflict(dav: DavUser) -> None:
    _put(dav, dav.book + "ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    _put(dav, dav.book + "bob.vcf", vcard("uid-bob", "Bob Smith"))
    taken = vcard("uid-ada", "Bob Smith")
    assert _put(dav, dav.book + "bob.vcf", taken, If_None_Match="*") == 412
    assert _put(dav, dav.book + "bob.vcf", taken) == 403


def test_the_uid_of_an_api_contact_is_taken_in_the_default_book_only(dav: DavUser) -> None:
    made = dav.api.create({"name": {"givenName": "Grace", "familyName": "Hopper"}})
    names = [h for h in multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))]
    href = next(h for h in names if h != dav.book)
    uid = dav.request("GET", href).text.split("UID:")[1].split("\r\n")[0]
    assert uid.startswith("urn:uuid:")
    assert _put(dav, dav.book + "copy.vcf", vcard(uid, "Grace Copy")) == 403
    work = _work(dav)
    assert _put(dav, work + "copy.vcf", vcard(uid, "Grace Copy")) == 201
    contact_ids = {c["contactId"] for c in dav.api.ok("contacts.scroll", {})["contacts"]}
    assert made["contactId"] in contact_ids
    assert len(contact_ids) == 2


def test_an_import_updates_the_default_books_holder_of_a_uid(
    dav: DavUser, client: TestClient, services: Services
) -> None:
    work = _work(dav)
    _put(dav, work + "ada.vcf", vcard("uid-ada", "Ada Work"))
    _put(dav, dav.book + "ada.vcf", vcard("uid-ada", "Ada Default"))
    key = api_key(services, dav.account_id)
    body = vcard("uid-ada", "Ada Imported").encode()
    summary = post_file(client, key, body, "text/vcard").json()
    assert (summary["created"], summary["updated"]) == (0, 1)
    assert "FN:Ada Imported" in dav.request("GET", dav.book + "ada.vcf").text
    assert "FN:Ada Work" in dav.request("GET", work + "ada.vcf").text


def test_an_import_of_a_uid_held_only_in_another_book_updates_that_card(
    dav: DavUser, client: TestClient, services: Services
) -> None:
    work = _work(dav)
    _put(dav, work + "ada.vcf", vcard("uid-ada", "Ada Work"))
    key = api_key(services, dav.account_id)
    summary = post_file(client, key, vcard("uid-ada", "Ada Imported").encode(), "text/vcard")
    assert (summary.json()["created"], summary.json()["updated"]) == (0, 1)
    assert "FN:Ada Imported" in dav.request("GET", work + "ada.vcf").text


def test_the_uniqueness_is_the_stores_own(dav: DavUser, services: Services) -> None:
    """Both unique indexes take the book: two books hold one UID and one name."""
    work = _work(dav)
    _put(dav, dav.book + "ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    _put(dav, work + "ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    with services.store.read() as conn:
        rows = conn.execute(
            select(contact_cards.c.book, contact_cards.c.uid, contact_cards.c.resource_name)
            .where(contact_cards.c.owner_id == dav.account_id)
            .order_by(contact_cards.c.book)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("default", "uid-ada", "ada.vcf"),
        ("work", "uid-ada", "ada.vcf"),
    ]


def test_the_migration_gives_each_card_row_its_contacts_book(empty_store: Store) -> None:
    migrate(empty_store, "0028_merges")
    owner = new_id("a_")
    with empty_store.engine.begin() as conn:
        for uid in ("in-default", "in-work"):
            row = contact_row(owner, {"name": {"givenName": uid}})
            pk = conn.execute(insert(contacts).values(row).returning(contacts.c.pk)).scalar_one()
            conn.execute(
                insert(contact_cards).values(
                    contact_pk=pk, owner_id=owner, uid=uid, extras=orjson.dumps({}).decode()
                )
            )
            if uid == "in-work":
                conn.execute(
                    insert(book_members).values(contact_pk=pk, owner_id=owner, book="work")
                )
    migrate(empty_store, "0029_book_uids")
    with empty_store.engine.begin() as conn:
        books = dict(conn.execute(select(contact_cards.c.uid, contact_cards.c.book)).all())
    assert books == {"in-default": "default", "in-work": "work"}
    migrate(empty_store, "0028_merges", down=True)
