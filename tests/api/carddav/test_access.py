"""Bad bodies and other accounts: 400 for what is not XML, 404 for what is not yours."""

from __future__ import annotations

import pytest

from rolodex.services import Services
from tests.api.carddav.conftest import NS, C, D, DavUser, MakeDav, multistatus, vcard

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&lol3;</D:displayname></D:prop></D:propfind>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&ext;</D:displayname></D:prop></D:propfind>"""


@pytest.mark.parametrize(
    "body",
    [BOMB, EXTERNAL, "<D:propfind xmlns:D='DAV:'><D:prop>", "not xml at all"],
)
def test_bad_xml_is_a_400(dav: DavUser, body: str) -> None:
    for method in ("PROPFIND", "REPORT", "PROPPATCH"):
        response = dav.request(method, dav.book, body, Depth="0")
        assert response.status_code == 400, (method, body)


def test_a_body_of_the_wrong_element_is_a_400(dav: DavUser) -> None:
    for method in ("PROPFIND", "PROPPATCH"):
        assert dav.request(method, dav.book, "<a/>", Depth="0").status_code == 400


def test_a_bad_depth_is_a_400(dav: DavUser) -> None:
    assert dav.propfind(dav.book, "<D:getetag/>", depth="2").status_code == 400


def test_another_accounts_resources_are_404(dav: DavUser, make_dav: MakeDav) -> None:
    other: DavUser = make_dav()
    other.put("secret.vcf", vcard("uid-secret", "Secret Person"))
    for path in (
        f"/dav/principals/{other.account_id}/",
        f"/dav/books/{other.account_id}/",
        other.book,
        other.book + "secret.vcf",
    ):
        assert dav.propfind(path, "<D:displayname/>").status_code == 404, path
    assert dav.request("GET", other.book + "secret.vcf").status_code == 404
    assert dav.request("DELETE", other.book + "secret.vcf").status_code == 404
    assert dav.put("x.vcf", vcard("uid-x", "X")).status_code == 201
    sneaky = dav.request(
        "PUT", other.book + "new.vcf", vcard("uid-n", "N"), Content_Type="text/vcard"
    )
    assert sneaky.status_code == 404
    assert other.request("GET", other.book + "secret.vcf").status_code == 200


def test_the_default_book_is_not_deleted(dav: DavUser) -> None:
    dav.put("ada.vcf", vcard("uid-ada", "Ada Lovelace"))
    assert dav.request("DELETE", dav.book).status_code == 403
    assert dav.request("GET", dav.book + "ada.vcf").status_code == 200


def test_proppatch_of_what_cannot_change_is_a_403_and_a_424(dav: DavUser) -> None:
    body = (
        f"<D:propertyupdate {NS}><D:set><D:prop><D:displayname>Mine</D:displayname>"
        "<D:getetag>x</D:getetag></D:prop></D:set></D:propertyupdate>"
    )
    response = dav.request("PROPPATCH", dav.book, body)
    assert " 403 " in response.text
    assert " 424 " in response.text
    found = multistatus(dav.propfind(dav.book, "<D:displayname/>"))
    assert found[dav.book]["ok"][f"{D}displayname"].text == "Contacts"


def test_a_team_book_is_in_the_members_home_set(
    dav: DavUser, make_dav: MakeDav, services: Services
) -> None:
    colleague: DavUser = make_dav()
    team = services.teams.create(dav.account_id, "Lab")
    services.teams.add_member(team.team_id, colleague.account_id)
    principal = f"/dav/principals/{colleague.account_id}/"
    found = multistatus(colleague.propfind(principal, "<C:addressbook-home-set/>"))
    homes = [h.text for h in found[principal]["ok"][f"{C}addressbook-home-set"]]
    assert homes == [f"/dav/books/{colleague.account_id}/", f"/dav/books/{team.team_id}/"]
    team_book = f"/dav/books/{team.team_id}/default/"
    put = colleague.request(
        "PUT", team_book + "x.vcf", vcard("uid-team", "Team Card"), Content_Type="text/vcard"
    )
    assert put.status_code == 201
    # The team's owner reads it; an outsider does not.
    assert dav.request("GET", team_book + "x.vcf").status_code == 200
    outsider: DavUser = make_dav()
    assert outsider.request("GET", team_book + "x.vcf").status_code == 404
    listed = multistatus(dav.propfind(team_book, "<D:displayname/>"))
    assert listed[team_book]["ok"][f"{D}displayname"].text == "Lab"


def test_nul_characters_never_reach_the_store(dav: DavUser) -> None:
    assert dav.request("GET", dav.book + "a%00b.vcf").status_code == 404
    assert dav.put("a%00b.vcf", vcard("uid", "A B")).status_code == 404
    card = vcard("uid-\x00", "Nul Person")
    assert dav.put("nul.vcf", card).status_code == 400
    body = (
        f"<C:addressbook-multiget {NS}><D:prop><D:getetag/></D:prop>"
        f"<D:href>{dav.book}x%00.vcf</D:href></C:addressbook-multiget>"
    )
    found = multistatus(dav.report(body))
    assert [" 404 " in str(v["status"]) for v in found.values()] == [True]


def test_names_and_uids_past_the_index_limit_are_a_400(dav: DavUser) -> None:
    assert dav.put("é" * 600 + ".vcf", vcard("uid-long", "Long Name")).status_code == 400
    assert dav.put("long.vcf", vcard("é" * 600, "Long Uid")).status_code == 400
