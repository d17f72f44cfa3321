"""Group cards (Apple's X-ADDRESSBOOKSERVER-KIND:group, vCard 4.0 KIND:group) are tags."""

from __future__ import annotations

from typing import Any

from tests.api.carddav.conftest import DavUser, vcard


def apple_group(uid: str, name: str, *members: str) -> str:
    lines = [f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{m}" for m in members]
    return vcard(uid, name, "X-ADDRESSBOOKSERVER-KIND:group", *lines).replace(
        f"N:;{name};;;", f"N:{name};;;;"
    )


def v4_group(uid: str, name: str, *members: str) -> str:
    lines = [f"MEMBER:urn:uuid:{m}" for m in members]
    return vcard(uid, name, "KIND:group", *lines, version="4.0")


def _tags(dav: DavUser) -> dict[str, str]:
    return {t["tagId"]: t["tagData"]["name"] for t in dav.api.ok("tags.scroll", {})["tags"]}


def _tagged(dav: DavUser) -> dict[str, set[str]]:
    """Each contact's given name -> the names of its tags."""
    names = _tags(dav)
    contacts: list[dict[str, Any]] = dav.api.ok("contacts.scroll", {"size": 50})["contacts"]
    return {
        c["contactData"]["name"]["givenName"]: {names[t] for t in c["contactMetadata"]["tagIds"]}
        for c in contacts
    }


def _people(dav: DavUser) -> None:
    for uid, fn in (("ada", "Ada Lovelace"), ("bob", "Bob Page"), ("cy", "Cy Twombly")):
        assert dav.put(f"{uid}.vcf", vcard(uid, fn)).status_code == 201


def test_an_apple_group_card_is_a_tag_and_reads_back_unchanged(dav: DavUser) -> None:
    _people(dav)
    card = apple_group("grp-1", "Friends", "ada", "bob")
    put = dav.put("grp-1.vcf", card)
    assert put.status_code == 201
    got = dav.request("GET", dav.book + "grp-1.vcf")
    assert got.status_code == 200
    assert got.text == card
    assert got.headers["etag"] == put.headers["etag"]
    assert _tagged(dav) == {
        "Ada": {"Friends"},
        "Bob": {"Friends"},
        "Cy": set(),
    }


def test_updating_the_group_card_sets_the_tags_members(dav: DavUser) -> None:
    _people(dav)
    dav.put("grp-1.vcf", apple_group("grp-1", "Friends", "ada", "bob"))
    etag = dav.request("GET", dav.book + "grp-1.vcf").headers["etag"]
    stale = dav.put("grp-1.vcf", apple_group("grp-1", "Friends", "cy"), If_Match='"nope"')
    assert stale.status_code == 412
    updated = apple_group("grp-1", "Friends", "bob", "cy")
    assert dav.put("grp-1.vcf", updated, If_Match=etag).status_code == 204
    assert dav.request("GET", dav.book + "grp-1.vcf").text == updated
    assert _tagged(dav) == {
        "Ada": set(),
        "Bob": {"Friends"},
        "Cy": {"Friends"},
    }


def test_deleting_the_group_card_deletes_the_tag_not_the_members(dav: DavUser) -> None:
    _people(dav)
    dav.put("grp-1.vcf", v4_group("grp-1", "Family", "ada", "cy"))
    assert set(_tags(dav).values()) == {"Family"}
    assert dav.request("DELETE", dav.book + "grp-1.vcf").status_code == 204
    assert dav.request("GET", dav.book + "grp-1.vcf").status_code == 404
    assert _tags(dav) == {}
    assert _tagged(dav) == {"Ada": set(), "Bob": set(), "Cy": set()}
    assert dav.request("DELETE", dav.book + "grp-1.vcf").status_code == 404


def test_a_group_card_and_a_contacts_card_do_not_share_a_name(dav: DavUser) -> None:
    _people(dav)
    assert dav.put("ada.vcf", apple_group("grp-2", "Friends", "bob")).status_code == 409
    dav.put("grp-1.vcf", apple_group("grp-1", "Friends", "ada"))
    assert dav.put("grp-1.vcf", vcard("zed", "Zed Zee")).status_code == 409
    assert dav.put("grp-1.vcf", apple_group("grp-1", "X"), If_None_Match="*").status_code == 412


def test_deleting_a_book_deletes_its_group_cards_and_their_tags(dav: DavUser) -> None:
    work = f"/dav/books/{dav.account_id}/work/"
    assert dav.request("MKCOL", work).status_code == 201
    assert dav.request("PUT", work + "ada.vcf", vcard("ada", "Ada Lovelace")).status_code == 201
    put = dav.request("PUT", work + "g.vcf", apple_group("g", "Team", "ada"))
    assert put.status_code == 201
    assert set(_tags(dav).values()) == {"Team"}
    assert dav.request("DELETE", work).status_code == 204
    assert _tags(dav) == {}
