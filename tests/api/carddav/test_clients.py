"""The request sequences real clients send, replayed against the server.

Written from each client's documentation and source: iOS and macOS Contacts
(RFC 6764 discovery, CTag polling, multiget, conditional PUT), DAVx5 (its
`DavResourceFinder` properties, `sync-collection`, vCard 4.0 multiget, `If-None-Match: *`
on new cards and `If-Match` on edits) and Thunderbird (PROPFIND of the server root,
then the home set, then sync-collection and multiget).
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.api.carddav.conftest import CS, NS, C, D, DavUser, basic, multistatus, sync_token, vcard

PASSWORD = "correct horse battery"


def _propfind(dav: DavUser, path: str, props: str, depth: str) -> dict[str, dict[str, Any]]:
    return multistatus(dav.propfind(path, props, depth))


def _href(found: dict[str, dict[str, Any]], path: str, prop: str) -> str:
    element = found[path]["ok"][prop]
    return str(element.findtext(f"{D}href"))


def test_ios_and_macos_contacts(dav: DavUser, client: TestClient) -> None:
    # Discovery: the well-known URL, followed, then the principal and its home set.
    moved = client.request(
        "PROPFIND",
        "/.well-known/carddav",
        headers={"Authorization": basic(dav.api.email, PASSWORD), "Depth": "0"},
        follow_redirects=False,
    )
    assert moved.status_code == 301
    root = moved.headers["location"]
    found = _propfind(dav, root, "<D:current-user-principal/><D:principal-URL/>", "0")
    principal = _href(found, root, f"{D}current-user-principal")
    found = _propfind(
        dav,
        principal,
        "<C:addressbook-home-set/><D:displayname/><D:principal-URL/><D:resource-id/>",
        "0",
    )
    home = _href(found, principal, f"{C}addressbook-home-set")
    listing = _propfind(
        dav,
        home,
        "<CS:getctag/><D:displayname/><D:resourcetype/><D:current-user-privilege-set/>"
        "<D:quota-available-bytes/><D:quota-used-bytes/>",
        "1",
    )
    book = next(h for h, v in listing.items() if h != home)
    ctag = listing[book]["ok"][f"{CS}getctag"].text
    # A new card from the phone, then the CTag moves and the etags are compared.
    card = vcard("D2A7C4E0-1111-4E5B-9C66-5E0B6F8A0001", "Tim Cook", "TEL;type=CELL:+1 555 0100")
    put = dav.request(
        "PUT",
        book + "D2A7C4E0-1111-4E5B-9C66-5E0B6F8A0001.vcf",
        card,
        Content_Type="text/vcard",
        If_None_Match="*",
    )
    assert put.status_code == 201
    after = _propfind(dav, book, "<CS:getctag/>", "0")
    assert after[book]["ok"][f"{CS}getctag"].text != ctag
    etags = _propfind(dav, book, "<D:getetag/>", "1")
    hrefs = [h for h in etags if h != book]
    body = (
        f"<C:addressbook-multiget {NS}><D:prop><D:getetag/><C:address-data/></D:prop>"
        + "".join(f"<D:href>{h}</D:href>" for h in hrefs)
        + "</C:addressbook-multiget>"
    )
    cards = multistatus(dav.report(body, book))
    data = cards[hrefs[0]]["ok"][f"{C}address-data"].text
    # macOS refuses vCard 4.0: what it is sent is 3.0.
    assert "VERSION:3.0" in data
    etag = cards[hrefs[0]]["ok"][f"{D}getetag"].text
    edited = data.replace("FN:Tim Cook", "FN:Timothy Cook")
    assert dav.request("PUT", hrefs[0], edited, If_Match=etag).status_code == 204


def test_davx5(dav: DavUser, client: TestClient) -> None:
    finder = (
        "<D:resourcetype/><D:displayname/><D:current-user-principal/>"
        "<C:addressbook-home-set/><D:current-user-privilege-set/>"
    )
    moved = client.request("PROPFIND", "/.well-known/carddav", follow_redirects=False)
    assert moved.status_code == 301
    found = _propfind(dav, moved.headers["location"], finder, "0")
    principal = _href(found, "/dav/", f"{D}current-user-principal")
    home = _href(_propfind(dav, principal, finder, "0"), principal, f"{C}addressbook-home-set")
    collections = _propfind(
        dav,
        home,
        "<D:resourcetype/><D:displayname/><D:owner/><D:current-user-privilege-set/>"
        "<C:addressbook-description/><C:supported-address-data/>",
        "1",
    )
    book = next(h for h, v in collections.items() if h != home)
    state = _propfind(
        dav,
        book,
        "<CS:getctag/><D:sync-token/><D:supported-report-set/><C:max-resource-size/>",
        "0",
    )
    assert not state[book]["missing"]
    # First sync: every etag, then the cards as vCard 4.0.
    dav.api.create({"name": {"givenName": "Ada", "familyName": "Lovelace"}})
    sync = (
        f"<D:sync-collection {NS}><D:sync-token/><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getcontenttype/><D:getetag/></D:prop></D:sync-collection>"
    )
    first = dav.report(sync, book)
    hrefs = [h for h in multistatus(first) if h != book]
    multiget = (
        f"<C:addressbook-multiget {NS}><D:prop><D:getcontenttype/><D:getetag/>"
        '<C:address-data content-type="text/vcard" version="4.0"/></D:prop>'
        + "".join(f"<D:href>{h}</D:href>" for h in hrefs)
        + "</C:addressbook-multiget>"
    )
    got = multistatus(dav.report(multiget, book))
    assert "VERSION:4.0" in got[hrefs[0]]["ok"][f"{C}address-data"].text
    # Upload a new card, then the next sync reports it (and only it).
    new = vcard("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", "Grace Hopper", version="4.0")
    name = book + "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d.vcf"
    put = dav.request("PUT", name, new, Content_Type="text/vcard; version=4.0", If_None_Match="*")
    assert put.status_code == 201
    token = sync_token(first)
    second = multistatus(
        dav.report(sync.replace("<D:sync-token/>", f"<D:sync-token>{token}</D:sync-token>"), book)
    )
    assert set(second) == {name}


def test_thunderbird(dav: DavUser) -> None:
    root = multistatus(
        dav.request(
            "PROPFIND",
            "/",
            '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>',
            Depth="0",
        )
    )
    principal = _href(root, "/", f"{D}current-user-principal")
    found = _propfind(dav, principal, "<C:addressbook-home-set/>", "0")
    home = _href(found, principal, f"{C}addressbook-home-set")
    books = _propfind(dav, home, "<D:resourcetype/><D:displayname/><CS:getctag/>", "1")
    book = next(
        h
        for h, v in books.items()
        if v["ok"][f"{D}resourcetype"].find(f"{C}addressbook") is not None
    )
    dav.put("tb.vcf", vcard("tb-1", "Mozilla Person", "X-MOZILLA-HTML:TRUE"))
    response = dav.report(
        f"<D:sync-collection {NS}><D:sync-token/><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/><D:getcontenttype/></D:prop></D:sync-collection>",
        book,
    )
    listed = multistatus(response)
    body = (
        f"<C:addressbook-multiget {NS}><D:prop><D:getetag/><C:address-data/></D:prop>"
        + "".join(f"<D:href>{h}</D:href>" for h in listed)
        + "</C:addressbook-multiget>"
    )
    cards = multistatus(dav.report(body, book))
    assert "X-MOZILLA-HTML:TRUE" in cards[book + "tb.vcf"]["ok"][f"{C}address-data"].text
    # Thunderbird deletes with the etag it holds.
    etag = cards[book + "tb.vcf"]["ok"][f"{D}getetag"].text
    assert dav.request("DELETE", book + "tb.vcf", If_Match=str(etag)).status_code == 204
    after = multistatus(
        dav.report(
            f"<D:sync-collection {NS}><D:sync-token>{sync_token(response)}</D:sync-token>"
            "<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>",
            book,
        )
    )
    assert " 404 " in str(after[book + "tb.vcf"]["status"])
