"""REPORT: sync-collection (RFC 6578), addressbook-multiget and addressbook-query."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

from tests.api.carddav.conftest import NS, C, D, DavUser, MakeDav, multistatus, sync_token, vcard


def sync(dav: DavUser, token: str = "", props: str = "<D:getetag/>") -> str:
    body = (
        f'<?xml version="1.0"?><D:sync-collection {NS}><D:sync-token>{token}</D:sync-token>'
        f"<D:sync-level>1</D:sync-level><D:prop>{props}</D:prop></D:sync-collection>"
    )
    return body


def cards_of(found: dict[str, dict[str, Any]], dav: DavUser) -> dict[str, dict[str, Any]]:
    return {h: v for h, v in found.items() if h != dav.book}


def test_initial_sync_lists_every_card_and_a_token(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    dav.api.create({"name": {"givenName": "Grace", "familyName": "Hopper"}})
    response = dav.report(sync(dav))
    found = multistatus(response)
    assert len(cards_of(found, dav)) == 2
    assert dav.book + "ada.vcf" in found
    assert sync_token(response).startswith("urn:")


def test_incremental_sync_reports_changes_made_through_the_api(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    kept = dav.api.create({"name": {"givenName": "Grace", "familyName": "Hopper"}})
    gone = dav.api.create({"name": {"givenName": "Alan", "familyName": "Turing"}})
    first = dav.report(sync(dav))
    token = sync_token(first)
    hrefs = {h for h in multistatus(first) if h != dav.book and h != dav.book + "ada.vcf"}
    added = dav.api.create({"name": {"givenName": "Edsger", "familyName": "Dijkstra"}})
    dav.api.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": kept["contactId"],
                "etag": kept["etag"],
                "contactData": {"name": {"givenName": "Grace", "familyName": "Murray"}},
            }
        },
    )
    dav.api.ok("contacts.delete", {"contactId": gone["contactId"], "etag": gone["etag"]})
    second = dav.report(sync(dav, token))
    found = multistatus(second)
    live = {h for h, v in found.items() if v["ok"]}
    deleted = {h for h, v in found.items() if v["status"] and " 404 " in str(v["status"])}
    assert len(live) == 2
    assert len(deleted) == 1
    assert deleted <= hrefs
    assert dav.book + "ada.vcf" not in found
    etags = {v["ok"][f"{D}getetag"].text for v in found.values() if v["ok"]}
    assert f'"{added["etag"]}"' in etags
    # Nothing new since: an empty answer with a token.
    third = dav.report(sync(dav, sync_token(second)))
    assert multistatus(third) == {}
    assert sync_token(third)


def test_a_token_stays_valid(dav: DavUser) -> None:
    token = sync_token(dav.report(sync(dav)))
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    once = multistatus(dav.report(sync(dav, token)))
    twice = multistatus(dav.report(sync(dav, token)))
    assert set(once) == set(twice) == {dav.book + "ada.vcf"}


def test_an_unknown_token_is_the_valid_sync_token_precondition(
    dav: DavUser, make_dav: MakeDav
) -> None:
    for token in ("nonsense", f"urn:x-rolodex:sync:{dav.account_id}:default:999999999999"):
        response = dav.report(sync(dav, token))
        assert response.status_code == 403, token
        root = ElementTree.fromstring(response.content)
        assert root.find(f"{D}valid-sync-token") is not None


def test_another_books_token_is_refused(dav: DavUser, make_dav: MakeDav) -> None:
    other: DavUser = make_dav()
    token = sync_token(other.report(sync(other)))
    assert dav.report(sync(dav, token)).status_code == 403


def test_sync_answers_address_data(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace", "X-KEEP:yes"))
    found = multistatus(dav.report(sync(dav, props="<D:getetag/><C:address-data/>")))
    data = found[dav.book + "ada.vcf"]["ok"][f"{C}address-data"].text
    assert "X-KEEP:yes" in data


def multiget(dav: DavUser, hrefs: list[str], data: str = "<C:address-data/>") -> str:
    listed = "".join(f"<D:href>{h}</D:href>" for h in hrefs)
    return (
        f'<?xml version="1.0"?><C:addressbook-multiget {NS}>'
        f"<D:prop><D:getetag/>{data}</D:prop>{listed}</C:addressbook-multiget>"
    )


def test_multiget_answers_the_cards_asked_and_404_for_the_rest(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    dav.put("grace.vcf", vcard("uid-grace", "Grace Hopper"))
    hrefs = [dav.book + "ada.vcf", dav.book + "grace.vcf", dav.book + "nobody.vcf"]
    found = multistatus(
        dav.report(
            multiget(dav, hrefs, '<C:address-data content-type="text/vcard" version="4.0"/>')
        )
    )
    assert "VERSION:4.0" in found[hrefs[0]]["ok"][f"{C}address-data"].text
    assert "FN:Grace Hopper" in found[hrefs[1]]["ok"][f"{C}address-data"].text
    assert " 404 " in str(found[hrefs[2]]["status"])


def test_multiget_does_not_reach_another_accounts_cards(dav: DavUser, make_dav: MakeDav) -> None:
    other: DavUser = make_dav()
    other.put("secret.vcf", vcard("uid-secret", "Secret Person"))
    found = multistatus(dav.report(multiget(dav, [other.book + "secret.vcf"])))
    assert " 404 " in str(found[other.book + "secret.vcf"]["status"])


def query(prop_filters: str, test: str = "anyof", limit: str = "") -> str:
    return (
        f'<?xml version="1.0"?><C:addressbook-query {NS}><D:prop><D:getetag/></D:prop>'
        f'<C:filter test="{test}">{prop_filters}</C:filter>{limit}</C:addressbook-query>'
    )


def text_match(
    prop: str, text: str, match: str = "contains", collation: str = "i;unicode-casemap"
) -> str:
    return (
        f'<C:prop-filter name="{prop}"><C:text-match collation="{collation}" '
        f'match-type="{match}">{text}</C:text-match></C:prop-filter>'
    )


def _people(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace", "EMAIL:ada@example.com"))
    dav.put("grace.vcf", vcard("uid-grace", "Grace Hopper", "EMAIL:grace@navy.example"))
    dav.put("alan.vcf", vcard("uid-alan", "Alan Turing", "ORG:Bletchley Park"))


def found_names(dav: DavUser, body: str) -> set[str]:
    return {h.rsplit("/", 1)[1] for h, v in multistatus(dav.report(body)).items() if v["ok"]}


def test_query_by_name_contains_equals_starts_and_ends(dav: DavUser) -> None:
    _people(dav)
    assert found_names(dav, query(text_match("FN", "hopper"))) == {"grace.vcf"}
    assert found_names(dav, query(text_match("FN", "ADA LOVELACE", "equals"))) == {"ada.vcf"}
    assert found_names(dav, query(text_match("FN", "al", "starts-with"))) == {"alan.vcf"}
    assert found_names(dav, query(text_match("FN", "ring", "ends-with"))) == {"alan.vcf"}
    assert found_names(dav, query(text_match("FN", "ada", "equals"))) == set()


def test_query_anyof_allof_and_other_properties(dav: DavUser) -> None:
    _people(dav)
    either = text_match("FN", "ada") + text_match("ORG", "bletchley")
    assert found_names(dav, query(either)) == {"ada.vcf", "alan.vcf"}
    both = text_match("FN", "alan") + text_match("ORG", "bletchley")
    assert found_names(dav, query(both, "allof")) == {"alan.vcf"}
    assert found_names(dav, query(text_match("EMAIL", "navy.example", "ends-with"))) == {
        "grace.vcf"
    }
    ascii_match = text_match("FN", "GRACE", collation="i;ascii-casemap")
    assert found_names(dav, query(ascii_match)) == {"grace.vcf"}


def test_query_is_not_defined_and_negation(dav: DavUser) -> None:
    _people(dav)
    no_org = '<C:prop-filter name="ORG"><C:is-not-defined/></C:prop-filter>'
    assert found_names(dav, query(no_org)) == {"ada.vcf", "grace.vcf"}
    negated = (
        '<C:prop-filter name="FN"><C:text-match negate-condition="yes">ada'
        "</C:text-match></C:prop-filter>"
    )
    assert found_names(dav, query(negated)) == {"grace.vcf", "alan.vcf"}


def test_query_nresults_cuts_the_answer_and_says_so(dav: DavUser) -> None:
    _people(dav)
    body = query(text_match("FN", "a"), limit="<C:limit><C:nresults>1</C:nresults></C:limit>")
    found = multistatus(dav.report(body))
    assert len([h for h, v in found.items() if v["ok"]]) == 1
    assert " 507 " in str(found[dav.book]["status"])


def test_an_unknown_collation_is_a_400(dav: DavUser) -> None:
    body = query(text_match("FN", "ada", collation="i;klingon"))
    assert dav.report(body).status_code == 400


def test_an_unknown_report_is_a_403(dav: DavUser) -> None:
    response = dav.report('<X:report xmlns:X="urn:example"/>')
    assert response.status_code == 403


def test_query_param_filters_and_allof_inside_a_prop_filter(dav: DavUser) -> None:
    _people(dav)
    dav.put("work.vcf", vcard("uid-work", "Wanda Work", "EMAIL;TYPE=WORK:wanda@work.example"))
    typed = (
        '<C:prop-filter name="EMAIL"><C:param-filter name="TYPE">'
        '<C:text-match match-type="equals">work</C:text-match></C:param-filter></C:prop-filter>'
    )
    assert found_names(dav, query(typed)) == {"work.vcf"}
    untyped = (
        '<C:prop-filter name="EMAIL"><C:param-filter name="TYPE"><C:is-not-defined/>'
        "</C:param-filter></C:prop-filter>"
    )
    assert found_names(dav, query(untyped)) == {"ada.vcf", "grace.vcf"}
    both = (
        '<C:prop-filter name="FN" test="allof"><C:text-match>grace</C:text-match>'
        "<C:text-match>hopper</C:text-match></C:prop-filter>"
    )
    assert found_names(dav, query(both)) == {"grace.vcf"}
    assert found_names(dav, query("")) == {"ada.vcf", "grace.vcf", "alan.vcf", "work.vcf"}


@pytest.mark.parametrize(
    "body",
    [
        query(text_match("FN", "x"), test="someof"),
        query(
            '<C:prop-filter name="FN"><C:text-match match-type="near">x</C:text-match></C:prop-filter>'
        ),
        query('<C:prop-filter name=""/>'),
        query(text_match("FN", "x"), limit="<C:limit><C:nresults>many</C:nresults></C:limit>"),
        f"<C:addressbook-query {NS}><D:prop><D:getetag/></D:prop></C:addressbook-query>",
    ],
)
def test_a_malformed_query_is_a_400(dav: DavUser, body: str) -> None:
    assert dav.report(body).status_code == 400
