"""More than one book: extended MKCOL, PROPPATCH, DELETE; every other API sees them all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rolodex.services import Services
from rolodex.store.schema import address_books, book_members, contact_cards
from tests.api.carddav.conftest import (
    NS,
    C,
    D,
    DavUser,
    MakeDav,
    basic,
    multistatus,
    sync_token,
    vcard,
)


def mkcol(name: str = "Work", description: str = "People from work") -> str:
    return (
        f"<D:mkcol {NS}><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/>"
        f"</D:resourcetype><D:displayname>{name}</D:displayname>"
        f"<C:addressbook-description>{description}</C:addressbook-description>"
        "</D:prop></D:set></D:mkcol>"
    )


def test_extended_mkcol_makes_a_book_listed_in_the_home(dav: DavUser) -> None:
    work = f"/dav/books/{dav.account_id}/work/"
    assert dav.request("MKCOL", work, mkcol()).status_code == 201
    assert dav.request("MKCOL", work, mkcol()).status_code == 405
    home = f"/dav/books/{dav.account_id}/"
    found = multistatus(
        dav.propfind(home, "<D:displayname/><C:addressbook-description/>", depth="1")
    )
    assert set(found) == {home, dav.book, work}
    assert found[work]["ok"][f"{D}displayname"].text == "Work"
    assert found[work]["ok"][f"{C}addressbook-description"].text == "People from work"


def test_a_plain_collection_is_refused(dav: DavUser) -> None:
    body = (
        f"<D:mkcol {NS}><D:set><D:prop><D:resourcetype><D:collection/></D:resourcetype>"
        "</D:prop></D:set></D:mkcol>"
    )
    response = dav.request("MKCOL", f"/dav/books/{dav.account_id}/plain/", body)
    assert response.status_code == 403
    assert "valid-resourcetype" in response.text


def test_cards_live_in_one_book_and_every_api_sees_all(dav: DavUser) -> None:
    work = f"/dav/books/{dav.account_id}/work/"
    dav.request("MKCOL", work, mkcol())
    put = dav.request(
        "PUT", work + "boss.vcf", vcard("uid-boss", "The Boss"), Content_Type="text/vcard"
    )
    assert put.status_code == 201
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    made = dav.api.create({"name": {"givenName": "Grace", "familyName": "Hopper"}})
    in_work = {h for h in multistatus(dav.propfind(work, "<D:getetag/>", depth="1")) if h != work}
    in_default = {
        h for h in multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1")) if h != dav.book
    }
    assert in_work == {work + "boss.vcf"}
    assert len(in_default) == 2
    assert dav.book + "ada.vcf" in in_default
    assert dav.request("GET", dav.book + "boss.vcf").status_code == 404
    contacts = dav.api.ok("contacts.scroll", {})["contacts"]
    families = {c["contactData"]["name"]["familyName"] for c in contacts}
    assert families == {"Boss", "Lovelace", "Hopper"}
    assert made["contactId"] in {c["contactId"] for c in contacts}


def test_a_books_sync_reports_its_own_cards(dav: DavUser) -> None:
    work = f"/dav/books/{dav.account_id}/work/"
    dav.request("MKCOL", work, mkcol())
    body = (
        f"<D:sync-collection {NS}><D:sync-token>{{}}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    token = sync_token(dav.report(body.format(""), work))
    dav.request("PUT", work + "boss.vcf", vcard("uid-boss", "The Boss"), Content_Type="text/vcard")
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    assert set(multistatus(dav.report(body.format(token), work))) == {work + "boss.vcf"}


def test_proppatch_renames_a_book(dav: DavUser) -> None:
    body = (
        f"<D:propertyupdate {NS}><D:set><D:prop><D:displayname>Everyone</D:displayname>"
        "<C:addressbook-description>All of them</C:addressbook-description>"
        "</D:prop></D:set></D:propertyupdate>"
    )
    found = multistatus(dav.request("PROPPATCH", dav.book, body))
    assert set(found[dav.book]["ok"]) == {f"{D}displayname", f"{C}addressbook-description"}
    after = multistatus(dav.propfind(dav.book, "<D:displayname/><C:addressbook-description/>"))
    assert after[dav.book]["ok"][f"{D}displayname"].text == "Everyone"
    assert after[dav.book]["ok"][f"{C}addressbook-description"].text == "All of them"


def test_deleting_a_book_deletes_its_contacts_as_tombstones(dav: DavUser) -> None:
    work = f"/dav/books/{dav.account_id}/work/"
    dav.request("MKCOL", work, mkcol())
    dav.request("PUT", work + "boss.vcf", vcard("uid-boss", "The Boss"), Content_Type="text/vcard")
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    assert dav.request("DELETE", work).status_code == 204
    assert dav.propfind(work, "<D:displayname/>").status_code == 404
    live = dav.api.ok("contacts.scroll", {})["contacts"]
    assert [c["contactData"]["name"]["familyName"] for c in live] == ["Lovelace"]
    with_deleted = dav.api.ok("contacts.scroll", {"includeDeletedContacts": True})["contacts"]
    assert len(with_deleted) == 2


def test_a_team_member_uses_the_team_book_but_only_managers_make_books(
    dav: DavUser, make_dav: MakeDav, services: Services
) -> None:
    member = make_dav()
    team = services.teams.create(dav.account_id, "Lab")
    services.teams.add_member(team.team_id, member.account_id)
    home = f"/dav/books/{team.team_id}/"
    assert member.request("MKCOL", home + "more/", mkcol()).status_code == 403
    assert dav.request("MKCOL", home + "more/", mkcol()).status_code == 201
    put = member.request(
        "PUT", home + "more/x.vcf", vcard("uid-x", "Team Person"), Content_Type="text/vcard"
    )
    assert put.status_code == 201
    assert member.request("DELETE", home + "more/").status_code == 403


def test_deleting_the_account_takes_its_books_and_cards_rows(
    dav: DavUser, services: Services
) -> None:
    work = f"/dav/books/{dav.account_id}/work/"
    dav.request("MKCOL", work, mkcol())
    dav.request("PUT", work + "boss.vcf", vcard("uid-boss", "The Boss"), Content_Type="text/vcard")
    services.account_deletion.delete(dav.account_id)
    with services.store.read() as conn:
        for table in (address_books, book_members, contact_cards):
            count = conn.execute(
                select(func.count()).select_from(table).where(table.c.owner_id == dav.account_id)
            ).scalar_one()
            assert count == 0, table.name


def test_a_book_may_be_named_with_spaces_and_any_letters(dav: DavUser, services: Services) -> None:
    """vdirsyncer's test_specialchars: the name is decoded, stored, served back encoded."""
    name = "test @ foo ät bar-vdirsyncer-ci-" + "0" * 36
    encoded = "test%20%40%20foo%20%C3%A4t%20bar-vdirsyncer-ci-" + "0" * 36
    book = f"/dav/books/{dav.account_id}/{encoded}/"
    assert dav.request("MKCOL", book, mkcol()).status_code == 201
    home = f"/dav/books/{dav.account_id}/"
    assert book in multistatus(dav.propfind(home, "<D:displayname/>", depth="1"))
    put = dav.request("PUT", book + "card.vcf", vcard("uid-special", "Special Person"))
    assert put.status_code == 201
    assert book + "card.vcf" in multistatus(dav.propfind(book, "<D:getetag/>", depth="1"))
    assert dav.request("GET", book + "card.vcf").status_code == 200
    with services.store.read() as conn:
        names = conn.execute(
            select(address_books.c.name).where(address_books.c.owner_id == dav.account_id)
        ).scalars()
        assert name in set(names)


def test_a_book_name_with_a_control_character_or_too_long_is_a_400(dav: DavUser) -> None:
    home = f"/dav/books/{dav.account_id}/"
    for segment in ("bad%0Aname", "tab%09", "x" * 256, "%2E%2E"):
        response = dav.request("MKCOL", home + segment + "/", mkcol())
        assert response.status_code == 400, segment
        assert "book's name" in response.text
    listed = multistatus(dav.propfind(home, "<D:displayname/>", depth="1"))
    assert set(listed) == {home, dav.book}


def test_a_refused_book_delete_leaves_every_card_and_a_sync_sees_one_deletion_each(
    dav: DavUser, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard asks once for the whole book: held, nothing goes; allowed, all of it
    goes in one transaction, each card a 404 in the default book's sync."""
    work = f"/dav/books/{dav.account_id}/work/"
    dav.request("MKCOL", work, mkcol())
    for n in range(6):
        card = vcard(f"w{n}", f"Worker {n}", "CATEGORIES:Crew")
        assert (
            dav.request("PUT", work + f"w{n}.vcf", card, Content_Type="text/vcard").status_code
            == 201
        )
    group = vcard(
        "g", "Team", "X-ADDRESSBOOKSERVER-KIND:group", "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:w0"
    )
    assert dav.request("PUT", work + "g.vcf", group, Content_Type="text/vcard").status_code == 201
    token = sync_token(dav.report(SYNC_BODY, work))
    monkeypatch.setattr(services.settings.history, "guard_min_book", 4)
    phone = {
        "Authorization": basic(
            dav.api.email, services.app_passwords.create(dav.account_id, "Phone").password
        )
    }
    held = dav.request("DELETE", work, **phone)
    assert held.status_code == 409
    assert services.contacts.count_live(dav.account_id) == 6
    listed = multistatus(dav.propfind(work, "<D:getetag/>", depth="1"))
    assert len(listed) == 1 + 6 + 1
    assert sync_token(dav.report(SYNC_BODY, work)) == token
    # A person (the account password) is not held.
    assert dav.request("DELETE", work).status_code == 204
    assert services.contacts.count_live(dav.account_id) == 0
    assert dav.propfind(work, "<D:displayname/>").status_code == 404
    tags = dav.api.ok("tags.scroll", {})["tags"]
    assert [t["tagData"]["name"] for t in tags] == ["Crew"]


SYNC_BODY = (
    f"<D:sync-collection {NS}><D:sync-token/><D:sync-level>1</D:sync-level>"
    "<D:prop><D:getetag/></D:prop></D:sync-collection>"
)
