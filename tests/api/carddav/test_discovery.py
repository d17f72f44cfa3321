"""Discovery (RFC 6764, RFC 5397) and the properties of each resource (PROPFIND)."""

from __future__ import annotations

from starlette.testclient import TestClient

from rolodex.services import Services
from tests.api.carddav.conftest import CS, FROM, C, D, DavUser, basic, multistatus


def test_well_known_redirects_to_the_context_path(client: TestClient) -> None:
    for method in ("GET", "PROPFIND"):
        response = client.request(method, "/.well-known/carddav", follow_redirects=False)
        assert response.status_code == 301
        assert response.headers["location"] == "/dav/"


def test_no_credentials_is_a_401_with_the_basic_challenge(client: TestClient) -> None:
    response = client.request("PROPFIND", "/dav/", headers={"Depth": "0"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Rolodex"'


def test_a_wrong_password_is_a_401(dav: DavUser, client: TestClient) -> None:
    response = client.request(
        "PROPFIND",
        "/dav/",
        headers={"Authorization": basic(dav.api.email, "wrong password"), **FROM},
    )
    assert response.status_code == 401


def test_the_account_password_is_refused_unless_the_setting_allows_it(
    dav: DavUser, services: Services
) -> None:
    services.settings.carddav_allow_account_password = False
    try:
        response = dav.propfind("/dav/", "<D:current-user-principal/>")
    finally:
        services.settings.carddav_allow_account_password = True
    assert response.status_code == 401


def test_options_announces_addressbook_without_credentials(client: TestClient) -> None:
    response = client.options("/dav/")
    assert response.status_code == 200
    assert "addressbook" in response.headers["dav"]
    assert "extended-mkcol" in response.headers["dav"]


def test_propfind_of_the_server_root_finds_the_principal(dav: DavUser) -> None:
    found = multistatus(dav.propfind("/", "<D:current-user-principal/>"))
    principal = found["/"]["ok"][f"{D}current-user-principal"].findtext(f"{D}href")
    assert principal == f"/dav/principals/{dav.account_id}/"


def test_get_of_the_server_root_stays_the_web_page(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code != 207
    assert "multistatus" not in response.text


def test_the_principal_names_the_home_set(dav: DavUser) -> None:
    path = f"/dav/principals/{dav.account_id}/"
    found = multistatus(
        dav.propfind(
            path,
            "<C:addressbook-home-set/><D:principal-URL/><D:resourcetype/><D:displayname/>",
        )
    )[path]
    homes = [h.text for h in found["ok"][f"{C}addressbook-home-set"].findall(f"{D}href")]
    assert homes == [f"/dav/books/{dav.account_id}/"]
    assert found["ok"][f"{D}resourcetype"].find(f"{D}principal") is not None


def test_the_home_lists_the_default_book(dav: DavUser) -> None:
    home = f"/dav/books/{dav.account_id}/"
    found = multistatus(dav.propfind(home, "<D:resourcetype/><D:displayname/>", depth="1"))
    assert set(found) == {home, dav.book}
    assert found[dav.book]["ok"][f"{D}resourcetype"].find(f"{C}addressbook") is not None


BOOK_PROPS = (
    "<D:displayname/><D:resourcetype/><CS:getctag/><D:sync-token/><D:supported-report-set/>"
    "<C:supported-address-data/><C:max-resource-size/><D:quota-available-bytes/>"
    "<D:quota-used-bytes/><C:addressbook-description/><D:current-user-privilege-set/>"
    "<D:owner/><D:current-user-principal/>"
)


def test_every_book_property_is_answered(dav: DavUser) -> None:
    found = multistatus(dav.propfind(dav.book, BOOK_PROPS))[dav.book]
    assert found["missing"] == []
    ok = found["ok"]
    versions = {e.get("version") for e in ok[f"{C}supported-address-data"]}
    assert versions == {"3.0", "4.0"}
    reports = {
        e.tag for e in ok[f"{D}supported-report-set"].iter() if e.tag.startswith(("{DAV:}s", C))
    }
    assert f"{D}sync-collection" in reports
    assert f"{C}addressbook-multiget" in reports
    privileges = {p[0].tag for p in ok[f"{D}current-user-privilege-set"]}
    assert f"{D}write-content" in privileges
    assert (ok[f"{D}sync-token"].text or "").startswith("urn:")
    assert int(ok[f"{C}max-resource-size"].text or "0") > 0
    assert ok[f"{CS}getctag"].text


def test_an_unknown_property_is_a_404_inside_the_propstat(dav: DavUser) -> None:
    body = '<D:getetag/><X:color xmlns:X="urn:example"/>'
    found = multistatus(dav.propfind(dav.book, body))[dav.book]
    assert set(found["missing"]) == {f"{D}getetag", "{urn:example}color"}


def test_allprop_and_propname(dav: DavUser) -> None:
    allprop = dav.request(
        "PROPFIND", dav.book, '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>', Depth="0"
    )
    assert f"{D}resourcetype" in multistatus(allprop)[dav.book]["ok"]
    propname = dav.request(
        "PROPFIND", dav.book, '<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>', Depth="0"
    )
    names = multistatus(propname)[dav.book]["ok"]
    assert f"{D}sync-token" in names
    assert len(names[f"{D}sync-token"]) == 0


def test_an_empty_body_is_allprop(dav: DavUser) -> None:
    found = multistatus(dav.request("PROPFIND", dav.book, Depth="0"))[dav.book]
    assert f"{D}displayname" in found["ok"]


def test_depth_1_lists_cards_with_their_etags(dav: DavUser) -> None:
    made = dav.api.create({"name": {"givenName": "Ada", "familyName": "Lovelace"}})
    found = multistatus(dav.propfind(dav.book, "<D:getetag/><D:getcontenttype/>", depth="1"))
    cards = {h: v for h, v in found.items() if h != dav.book}
    assert len(cards) == 1
    (entry,) = cards.values()
    assert entry["ok"][f"{D}getetag"].text == f'"{made["etag"]}"'
    assert (entry["ok"][f"{D}getcontenttype"].text or "").startswith("text/vcard")


def test_repeated_wrong_passwords_are_throttled(dav: DavUser, client: TestClient) -> None:
    statuses = [
        client.request(
            "PROPFIND",
            "/dav/",
            headers={"Authorization": basic(dav.api.email, f"wrong {n}"), **FROM},
        ).status_code
        for n in range(12)
    ]
    assert statuses[0] == 401
    # After five free failures each one doubles the wait (1 s, 2 s, 4 s...): however slow
    # the password checks run, some of the later attempts come too early.
    assert 429 in statuses[5:]
