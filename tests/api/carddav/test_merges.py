"""A merge and its unmerge as a CardDAV client sees them: sync-collection reports one
update and the deletions, then the cards back at their own hrefs, each byte for byte
what it was (the extras a card carried included)."""

from __future__ import annotations

from tests.api.carddav.conftest import D, DavUser, multistatus, sync_token, vcard
from tests.api.carddav.test_reports import sync


def _changes(dav: DavUser, token: str) -> tuple[dict[str, str], set[str], str]:
    """{href: etag} of the cards changed since `token`, the hrefs deleted, the next token."""
    response = dav.report(sync(dav, token))
    found = multistatus(response)
    live = {h: str(v["ok"][f"{D}getetag"].text) for h, v in found.items() if v["ok"]}
    gone = {h for h, v in found.items() if v["status"] and " 404 " in str(v["status"])}
    return live, gone, sync_token(response)


def test_a_merge_syncs_as_one_update_and_deletions_and_unmerge_restores_the_cards(
    dav: DavUser,
) -> None:
    extras = (
        "EMAIL;TYPE=WORK:ann@example.com",
        "X-PHONETIC-FIRST-NAME:An",
        "X-SOCIALPROFILE;TYPE=mastodon:https://social.example/@ann",
        "NOTE:from the phone",
    )
    assert dav.put("ann.vcf", vcard("uid-ann", "Ann Lee", *extras)).status_code == 201
    second = dav.api.create(
        {
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "ANN@example.com"}],
            "notes": "from Google",
        }
    )
    third = dav.api.create({"name": {"givenName": "Ann", "familyName": "Lee"}})
    first = multistatus(dav.report(sync(dav)))
    hrefs = sorted(h for h in first if h != dav.book)
    assert len(hrefs) == 3
    before = {h: dav.request("GET", h).content for h in hrefs}
    token = sync_token(dav.report(sync(dav)))
    [ann] = [
        c
        for c in dav.api.ok("contacts.scroll", {})["contacts"]
        if c["contactId"] not in (second["contactId"], third["contactId"])
    ]
    ids = [ann["contactId"], second["contactId"], third["contactId"]]

    merged = dav.api.ok("contacts.merge", {"contactIds": ids})
    live, gone, token = _changes(dav, token)
    survivor_href = dav.book + "ann.vcf"
    assert set(live) == {survivor_href}
    assert live[survivor_href] == f'"{merged["contact"]["etag"]}"'
    assert gone == set(hrefs) - {survivor_href}
    card = dav.request("GET", survivor_href).text
    assert "NOTE:from the phone\\n\\nfrom Google" in card
    assert "X-PHONETIC-FIRST-NAME:An" in card

    dav.api.ok("contacts.unmerge", {"mergeId": merged["mergeId"]})
    live, gone, _ = _changes(dav, token)
    assert set(live) == set(hrefs)
    assert gone == set()
    after = {h: dav.request("GET", h).content for h in hrefs}
    assert after == before


def test_a_restored_version_serves_the_card_as_its_client_sent_it(dav: DavUser) -> None:
    sent = vcard("uid-grace", "Grace Hopper", "X-PHONETIC-LAST-NAME:Hop", "NOTE:as sent")
    assert dav.put("grace.vcf", sent).status_code == 201
    href = dav.book + "grace.vcf"
    assert dav.request("GET", href).text == sent
    [contact] = dav.api.ok("contacts.scroll", {})["contacts"]
    edited = dav.api.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": contact["contactId"],
                "etag": contact["etag"],
                "contactData": {**contact["contactData"], "notes": "edited"},
            }
        },
    )["contact"]
    assert "NOTE:edited" in dav.request("GET", href).text
    [version] = dav.api.ok("contacts.getHistory", {"contactId": contact["contactId"]})["versions"][
        :1
    ]
    dav.api.ok(
        "contacts.restoreVersion",
        {
            "contactId": contact["contactId"],
            "versionId": version["versionId"],
            "etag": edited["etag"],
        },
    )
    assert dav.request("GET", href).text == sent
