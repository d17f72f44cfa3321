"""A group card PUT with a new FN renames its tag in place (same id, an `updated` change)."""

from __future__ import annotations

from typing import Any

from rolodex.services import Services
from rolodex.store.changelog import ChangeLog
from tests.api.carddav.conftest import DavUser, vcard
from tests.api.carddav.test_groups import apple_group, v4_group


def _tag(dav: DavUser, tag_id: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = dav.api.ok("tags.get", {"tagIds": [tag_id]})["tags"]
    assert len(found) == 1
    return found[0]


def _tag_ids(dav: DavUser) -> dict[str, str]:
    return {t["tagData"]["name"]: t["tagId"] for t in dav.api.ok("tags.scroll", {})["tags"]}


def _carrying(dav: DavUser, tag_id: str) -> set[str]:
    contacts: list[dict[str, Any]] = dav.api.ok("contacts.scroll", {"size": 50})["contacts"]
    return {
        c["contactData"]["name"]["givenName"]
        for c in contacts
        if tag_id in c["contactMetadata"]["tagIds"]
    }


def test_a_new_fn_renames_the_tag_keeping_its_id(dav: DavUser, services: Services) -> None:
    assert dav.put("ada.vcf", vcard("ada", "Ada Lovelace")).status_code == 201
    assert dav.put("bob.vcf", vcard("bob", "Bob Page")).status_code == 201
    put = dav.put("grp.vcf", apple_group("grp", "Friends", "ada", "bob"))
    assert put.status_code == 201
    tag_id = _tag_ids(dav)["Friends"]
    with services.store.read() as conn:
        after = ChangeLog.since(conn, dav.account_id, 0, limit=10_000)[-1].seq
    renamed = apple_group("grp", "Pals", "ada", "bob")
    assert dav.put("grp.vcf", renamed, If_Match=put.headers["etag"]).status_code == 204
    assert _tag(dav, tag_id)["tagData"]["name"] == "Pals"
    assert _tag_ids(dav) == {"Pals": tag_id}
    assert _carrying(dav, tag_id) == {"Ada", "Bob"}
    assert dav.request("GET", dav.book + "grp.vcf").text == renamed
    with services.store.read() as conn:
        logged = ChangeLog.since(conn, dav.account_id, after)
    assert [(c.entity, c.entity_id, c.action) for c in logged] == [("tag", tag_id, "updated")]


def test_renaming_an_offered_tag_card_keeps_the_tag(dav: DavUser) -> None:
    assert dav.put("ada.vcf", vcard("ada", "Ada Lovelace")).status_code == 201
    tag = dav.api.ok("tags.create", {"tag": {"tagData": {"name": "Family"}}})["tag"]
    name = f"group-{tag['tagId']}.vcf"
    assert dav.put(name, v4_group("fam", "Kin", "ada")).status_code == 204
    assert _tag(dav, tag["tagId"])["tagData"]["name"] == "Kin"
    assert _carrying(dav, tag["tagId"]) == {"Ada"}


def test_a_name_another_tag_holds_is_a_409_and_nothing_changes(dav: DavUser) -> None:
    assert dav.put("ada.vcf", vcard("ada", "Ada Lovelace")).status_code == 201
    assert dav.put("grp.vcf", apple_group("grp", "Friends", "ada")).status_code == 201
    other = dav.api.ok("tags.create", {"tag": {"tagData": {"name": "Work"}}})["tag"]
    refused = dav.put("grp.vcf", apple_group("grp", "work", "ada"))
    assert refused.status_code == 409
    tags = _tag_ids(dav)
    assert tags == {"Friends": tags["Friends"], "Work": other["tagId"]}
    assert _carrying(dav, tags["Friends"]) == {"Ada"}
    assert _carrying(dav, other["tagId"]) == set()


def test_a_change_of_case_only_renames(dav: DavUser) -> None:
    assert dav.put("grp.vcf", apple_group("grp", "friends")).status_code == 201
    tag_id = _tag_ids(dav)["friends"]
    assert dav.put("grp.vcf", apple_group("grp", "Friends")).status_code == 204
    assert _tag(dav, tag_id)["tagData"]["name"] == "Friends"
