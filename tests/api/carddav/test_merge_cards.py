"""A merge of two cards a CardDAV client PUT, and the merge taken back, seen over CardDAV.

The merged contact's GET shows both cards' properties that have no field; the unmerge
serves each card again as the client sent it, byte for byte (CardRepository.carry_raw).
"""

from __future__ import annotations

from tests.api.carddav.conftest import DavUser, vcard

PHONE = vcard(
    "uid-phone",
    "Ann Lee",
    "EMAIL;TYPE=work:ann@example.com",
    "X-SOCIALPROFILE;type=twitter:https://twitter.com/annlee",
    "X-SHARED:same",
)
GOOGLE = vcard(
    "uid-google",
    "Ann Lee",
    "EMAIL;TYPE=home;X-CUSTOM=yes:ann@home.example",
    "item1.X-ABRELATEDNAMES:Cat Lee",
    "item1.X-ABLabel:_$!<Sister>!$_",
    "X-SHARED:same",
)


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_a_merged_card_shows_both_cards_extras_and_unmerge_serves_each_as_sent(
    dav: DavUser,
) -> None:
    assert dav.put("phone.vcf", PHONE).status_code == 201
    assert dav.put("google.vcf", GOOGLE).status_code == 201
    listed = dav.api.ok("contacts.scroll", {})["contacts"]
    by_email = {c["contactData"]["emails"][0]["value"]: c["contactId"] for c in listed}
    ids = [by_email["ann@example.com"], by_email["ann@home.example"]]
    etag = dav.request("GET", dav.book + "phone.vcf").headers["etag"]

    answer = dav.api.ok("contacts.merge", {"contactIds": ids})
    got = dav.request("GET", dav.book + "phone.vcf")
    assert got.status_code == 200
    assert got.headers["etag"] != etag
    assert got.text != PHONE  # the contact changed: the client's text is not served
    lines = unfolded(got.text)
    assert "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/annlee" in lines
    assert "EMAIL;TYPE=home;X-CUSTOM=yes:ann@home.example" in lines
    assert lines.count("X-SHARED:same") == 1
    assert any(line.endswith(".X-ABRELATEDNAMES:Cat Lee") for line in lines)
    assert dav.request("GET", dav.book + "google.vcf").status_code == 404

    dav.api.ok("contacts.unmerge", {"mergeId": answer["mergeId"]})
    for name, sent in (("phone.vcf", PHONE), ("google.vcf", GOOGLE)):
        back = dav.request("GET", dav.book + name)
        assert back.status_code == 200
        assert back.content == sent.encode()
