"""Group cards in listings: PROPFIND Depth 1, multiget, sync-collection (docs/carddav.md).

A group card a client PUT is listed with its members and name current, whatever API
changed them; a tag made through another API is offered as a group card in the default
book; sync-collection reports a group card when its name or members change, and its
removal when the tag goes.
"""

from __future__ import annotations

from typing import Any

from tests.api.carddav.conftest import NS, C, D, DavUser, multistatus, sync_token, vcard
from tests.api.carddav.test_groups import apple_group

SYNC = (
    f"<D:sync-collection {NS}><D:sync-token>{{token}}</D:sync-token><D:sync-level>1"
    "</D:sync-level><D:prop><D:getetag/><C:address-data/></D:prop></D:sync-collection>"
)


def sync(dav: DavUser, token: str = "", path: str | None = None) -> tuple[dict[str, Any], str]:
    answer = dav.report(SYNC.format(token=token), path)
    return multistatus(answer), sync_token(answer)


def lf(card: str) -> str:
    """A card as XML hands it back: line ends normalised to LF (XML 1.0 §2.11)."""
    return card.replace("\r\n", "\n")


def people(dav: DavUser) -> None:
    for uid, fn in (("ada", "Ada Lovelace"), ("bob", "Bob Page"), ("cy", "Cy Twombly")):
        assert dav.put(f"{uid}.vcf", vcard(uid, fn)).status_code == 201


def contact_id(dav: DavUser, given: str) -> str:
    for c in dav.api.ok("contacts.scroll", {"size": 50})["contacts"]:
        if c["contactData"]["name"]["givenName"] == given:
            return str(c["contactId"])
    raise AssertionError(given)


def tag_named(dav: DavUser, name: str) -> dict[str, Any]:
    for tag in dav.api.ok("tags.scroll", {})["tags"]:
        if tag["tagData"]["name"] == name:
            return dict(tag)
    raise AssertionError(name)


CARD = apple_group("grp-1", "Friends", "ada", "bob").replace(
    "END:VCARD", "X-ABSHOWAS:GROUP\r\nX-PHONE-ONLY;TYPE=x:kept as sent\r\nEND:VCARD"
)


def test_a_put_group_card_is_listed_by_depth_1_multiget_and_initial_sync(dav: DavUser) -> None:
    people(dav)
    put = dav.put("grp-1.vcf", CARD)
    assert put.status_code == 201
    href = dav.book + "grp-1.vcf"
    listed = multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))
    assert listed[href]["ok"][f"{D}getetag"].text == put.headers["etag"]
    assert len(listed) == 1 + 3 + 1
    body = (
        f"<C:addressbook-multiget {NS}><D:prop><D:getetag/><C:address-data/></D:prop>"
        f"<D:href>{href}</D:href><D:href>{dav.book}nope.vcf</D:href></C:addressbook-multiget>"
    )
    got = multistatus(dav.report(body))
    assert got[href]["ok"][f"{C}address-data"].text == lf(CARD)
    assert "404" in (got[dav.book + "nope.vcf"]["status"] or "")
    initial, _ = sync(dav)
    assert initial[href]["ok"][f"{C}address-data"].text == lf(CARD)
    one = multistatus(dav.propfind(href, "<D:getetag/>"))
    assert one[href]["ok"][f"{D}getetag"].text == put.headers["etag"]


def test_members_changed_through_the_api_show_in_the_card_its_etag_and_the_sync(
    dav: DavUser,
) -> None:
    people(dav)
    put = dav.put("grp-1.vcf", CARD)
    _, token = sync(dav)
    friends = tag_named(dav, "Friends")["tagId"]
    dav.api.ok(
        "contacts.manageTags",
        {"contactIds": [contact_id(dav, "Bob")], "removeTagIds": [friends]},
    )
    dav.api.ok(
        "contacts.manageTags", {"contactIds": [contact_id(dav, "Cy")], "addTagIds": [friends]}
    )
    got = dav.request("GET", dav.book + "grp-1.vcf")
    assert got.headers["etag"] != put.headers["etag"]
    assert "urn:uuid:bob" not in got.text
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ada\r\n" in got.text
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:cy\r\n" in got.text
    assert "X-PHONE-ONLY;TYPE=x:kept as sent\r\n" in got.text
    assert got.text.replace("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:cy\r\n", "") == CARD.replace(
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:bob\r\n", ""
    )
    changed, token2 = sync(dav, token)
    href = dav.book + "grp-1.vcf"
    assert changed[href]["ok"][f"{D}getetag"].text == got.headers["etag"]
    assert changed[href]["ok"][f"{C}address-data"].text == lf(got.text)
    again, _ = sync(dav, token2)
    assert again == {}


def test_an_edit_that_leaves_the_groups_does_not_report_them(dav: DavUser) -> None:
    people(dav)
    dav.put("grp-1.vcf", CARD)
    _, token = sync(dav)
    edit = vcard("ada", "Ada Lovelace", "TEL:+1 555 0100", "CATEGORIES:Friends")
    assert dav.put("ada.vcf", edit).status_code == 204
    changed, token = sync(dav, token)
    assert set(changed) == {dav.book + "ada.vcf"}
    # Apple's Contacts sends no CATEGORIES: the contact keeps its groups.
    assert dav.put("ada.vcf", vcard("ada", "Ada Lovelace", "TEL:+1 555 0199")).status_code == 204
    changed, _ = sync(dav, token)
    assert set(changed) == {dav.book + "ada.vcf"}
    assert "urn:uuid:ada" in dav.request("GET", dav.book + "grp-1.vcf").text


def test_a_tag_renamed_or_deleted_elsewhere_renames_or_removes_the_group_card(
    dav: DavUser,
) -> None:
    people(dav)
    dav.put("grp-1.vcf", CARD)
    _, token = sync(dav)
    tag = tag_named(dav, "Friends")
    renamed = dav.api.ok(
        "tags.update",
        {"tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": "Pals"}}},
    )["tag"]
    href = dav.book + "grp-1.vcf"
    changed, token = sync(dav, token)
    text = changed[href]["ok"][f"{C}address-data"].text
    assert "FN:Pals\n" in text
    assert "N:Pals;;;;\n" in text
    assert "X-PHONE-ONLY;TYPE=x:kept as sent\n" in text
    dav.api.ok("tags.delete", {"tagId": renamed["tagId"], "etag": renamed["etag"]})
    removed, _ = sync(dav, token)
    assert "404" in (removed[href]["status"] or "")
    assert dav.request("GET", href).status_code == 404
    listed = multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))
    assert href not in listed


def test_a_group_card_another_device_put_shows_in_this_devices_sync(dav: DavUser) -> None:
    people(dav)
    _, token = sync(dav)
    # The other device (the same account, as a second phone) makes a group.
    assert dav.put("grp-9.vcf", apple_group("grp-9", "Chess", "cy")).status_code == 201
    changed, token = sync(dav, token)
    href = dav.book + "grp-9.vcf"
    # Cy's card changed too: it carries the group's tag as CATEGORIES.
    assert set(changed) == {href, dav.book + "cy.vcf"}
    # It rewrites only a property Rolodex has no field for: the card still changes.
    card = apple_group("grp-9", "Chess", "cy").replace("END:VCARD", "X-NOTE:club\r\nEND:VCARD")
    etag = changed[href]["ok"][f"{D}getetag"].text
    assert dav.put("grp-9.vcf", card, If_Match=etag).status_code == 204
    changed, token = sync(dav, token)
    assert changed[href]["ok"][f"{C}address-data"].text == lf(card)
    assert dav.request("DELETE", dav.book + "grp-9.vcf").status_code == 204
    removed, _ = sync(dav, token)
    assert "404" in (removed[href]["status"] or "")


def test_a_tag_made_through_the_contactsplus_api_is_offered_as_a_group_card(
    dav: DavUser,
) -> None:
    made = dav.api.create({"name": {"givenName": "Grace", "familyName": "Hopper"}})
    _, token = sync(dav)
    tag = dav.api.ok("tags.create", {"tag": {"tagData": {"name": "Navy"}}})["tag"]
    dav.api.ok(
        "contacts.manageTags", {"contactIds": [made["contactId"]], "addTagIds": [tag["tagId"]]}
    )
    href = dav.book + f"group-{tag['tagId']}.vcf"
    changed, token = sync(dav, token)
    assert href in changed
    text = changed[href]["ok"][f"{C}address-data"].text
    card = dav.request("GET", dav.book + "grace.vcf")  # not a name: cards are <uid>.vcf
    assert card.status_code == 404
    listed = multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))
    grace = next(h for h in listed if h not in (dav.book, href))
    uid = grace.rsplit("/", 1)[1].removesuffix(".vcf")
    assert "X-ADDRESSBOOKSERVER-KIND:group" in text
    assert "FN:Navy" in text
    assert f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{uid}" in text
    v4 = dav.request("GET", href, Accept="text/vcard; version=4.0")
    assert "KIND:group" in v4.text
    assert f"MEMBER:urn:uuid:{uid}" in v4.text
    assert v4.headers["etag"] == listed[href]["ok"][f"{D}getetag"].text
    # A phone takes Grace out of the group and adds Ada: a PUT to the same href.
    assert dav.put("ada.vcf", vcard("ada", "Ada Lovelace")).status_code == 201
    edited = apple_group("x-uid", "Navy", "ada")
    stale = dav.put(f"group-{tag['tagId']}.vcf", edited, If_Match='"stale"')
    assert stale.status_code == 412
    put = dav.put(f"group-{tag['tagId']}.vcf", edited, If_Match=v4.headers["etag"])
    assert put.status_code == 204
    assert dav.request("GET", href).text == edited
    navy = tag_named(dav, "Navy")["tagId"]
    tagged = {
        c["contactData"]["name"]["givenName"]: c["contactMetadata"]["tagIds"]
        for c in dav.api.ok("contacts.scroll", {"size": 50})["contacts"]
    }
    assert tagged == {"Grace": [], "Ada": [navy]}
    changed, _ = sync(dav, token)
    assert changed[href]["ok"][f"{C}address-data"].text == lf(edited)


def test_tags_are_offered_in_the_default_book_only(dav: DavUser) -> None:
    work = f"/dav/books/{dav.account_id}/work/"
    assert dav.request("MKCOL", work).status_code == 201
    card = vcard("w1", "Wes Work", "CATEGORIES:Office")
    assert dav.request("PUT", work + "w1.vcf", card, Content_Type="text/vcard").status_code == 201
    listed = multistatus(dav.propfind(work, "<D:getetag/>", depth="1"))
    assert set(listed) == {work, work + "w1.vcf"}
    group = apple_group("g", "Team", "w1")
    assert dav.request("PUT", work + "g.vcf", group, Content_Type="text/vcard").status_code == 201
    listed = multistatus(dav.propfind(work, "<D:getetag/>", depth="1"))
    assert set(listed) == {work, work + "w1.vcf", work + "g.vcf"}
    in_default = multistatus(dav.propfind(dav.book, "<D:getetag/>", depth="1"))
    names = sorted(h.rsplit("/", 1)[1] for h in in_default if h != dav.book)
    assert len(names) == 2
    assert all(n.startswith("group-tg_") for n in names)
    # The default book's cards of those tags list no member: Wes is in the work book.
    for href in in_default:
        if href != dav.book:
            assert "MEMBER" not in dav.request("GET", href).text


def test_a_group_sent_before_its_new_member_keeps_it_and_the_member_joins(dav: DavUser) -> None:
    people(dav)
    card = apple_group("grp-2", "Club", "ada", "newcomer")
    put = dav.put("grp-2.vcf", card)
    assert put.status_code == 201
    assert put.headers["etag"]  # read back exactly as sent: the unknown member kept
    assert dav.request("GET", dav.book + "grp-2.vcf").text == card
    assert dav.put("newcomer.vcf", vcard("newcomer", "New Comer")).status_code == 201
    club = tag_named(dav, "Club")["tagId"]
    assert dav.api.ok("contacts.get", {"contactIds": [contact_id(dav, "New")]})["contacts"][0][
        "contactMetadata"
    ]["tagIds"] == [club]
    got = dav.request("GET", dav.book + "grp-2.vcf")
    assert got.text == card
    assert got.headers["etag"] == put.headers["etag"]
