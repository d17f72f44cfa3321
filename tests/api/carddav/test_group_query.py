"""addressbook-query runs over group cards too (RFC 6352 §8.6), after the contacts."""

from __future__ import annotations

from tests.api.carddav.conftest import DavUser, multistatus, vcard
from tests.api.carddav.test_groups import apple_group, v4_group
from tests.api.carddav.test_reports import found_names, query, text_match

LIMIT_2 = "<C:limit><C:nresults>2</C:nresults></C:limit>"


def _book(dav: DavUser) -> None:
    assert dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace")).status_code == 201
    assert dav.put("grace.vcf", vcard("uid-grace", "Grace Hopper")).status_code == 201
    assert dav.put("grp-1.vcf", apple_group("grp-1", "Lovelace fans", "uid-ada")).status_code == 201


def test_a_query_on_the_groups_name_returns_the_group_card(dav: DavUser) -> None:
    _book(dav)
    assert found_names(dav, query(text_match("FN", "lovelace"))) == {"ada.vcf", "grp-1.vcf"}
    assert found_names(dav, query(text_match("FN", "fans", "ends-with"))) == {"grp-1.vcf"}


def test_a_query_matching_no_group_returns_none(dav: DavUser) -> None:
    _book(dav)
    assert found_names(dav, query(text_match("FN", "hopper"))) == {"grace.vcf"}
    assert found_names(dav, query(text_match("FN", "nobody"))) == set()


def test_a_tag_offered_as_a_group_card_is_found_by_kind_in_either_form(dav: DavUser) -> None:
    _book(dav)
    tag = dav.api.ok("tags.create", {"tag": {"tagData": {"name": "Pioneers"}}})["tag"]
    offered = f"group-{tag['tagId']}.vcf"
    kind = '<C:prop-filter name="KIND"><C:text-match match-type="equals">group</C:text-match></C:prop-filter>'
    apple = (
        '<C:prop-filter name="X-ADDRESSBOOKSERVER-KIND">'
        '<C:text-match match-type="equals">group</C:text-match></C:prop-filter>'
    )
    assert found_names(dav, query(kind)) == {"grp-1.vcf", offered}
    assert found_names(dav, query(apple)) == {"grp-1.vcf", offered}
    assert found_names(dav, query(text_match("FN", "pioneers"))) == {offered}


def test_a_vcard4_group_answers_its_address_data(dav: DavUser) -> None:
    assert dav.put("fam.vcf", v4_group("fam", "Family")).status_code == 201
    body = query(text_match("FN", "family")).replace(
        "<D:getetag/>", '<D:getetag/><C:address-data version="4.0"/>'
    )
    found = multistatus(dav.report(body))
    assert list(found) == [dav.book + "fam.vcf"]
    assert (
        "KIND:group"
        in found[dav.book + "fam.vcf"]["ok"]["{urn:ietf:params:xml:ns:carddav}address-data"].text
    )


def test_nresults_counts_contacts_and_groups(dav: DavUser) -> None:
    _book(dav)
    assert dav.put("lov.vcf", vcard("uid-lov", "Lord Lovelace")).status_code == 201
    found = multistatus(dav.report(query(text_match("FN", "lovelace"), limit=LIMIT_2)))
    assert {h.rsplit("/", 1)[1] for h, v in found.items() if v["ok"]} == {"ada.vcf", "lov.vcf"}
    assert " 507 " in str(found[dav.book]["status"])
    # One contact and the group: two, exactly the limit, so nothing is cut.
    found = multistatus(dav.report(query(text_match("FN", "fans"), limit=LIMIT_2)))
    assert {h.rsplit("/", 1)[1] for h, v in found.items() if v["ok"]} == {"grp-1.vcf"}
    assert dav.book not in found
    limit_1 = "<C:limit><C:nresults>1</C:nresults></C:limit>"
    either = text_match("FN", "hopper") + text_match("FN", "fans")
    found = multistatus(dav.report(query(either, limit=limit_1)))
    assert {h.rsplit("/", 1)[1] for h, v in found.items() if v["ok"]} == {"grace.vcf"}
    assert " 507 " in str(found[dav.book]["status"])


def test_a_filter_on_members_tests_the_current_members(dav: DavUser) -> None:
    _book(dav)
    member = text_match("X-ADDRESSBOOKSERVER-MEMBER", "uid-ada")
    assert found_names(dav, query(member)) == {"grp-1.vcf"}
    assert found_names(dav, query(text_match("X-ADDRESSBOOKSERVER-MEMBER", "uid-grace"))) == set()
