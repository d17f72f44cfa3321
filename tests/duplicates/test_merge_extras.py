"""A merge keeps what the merged cards held that has no field (their vCard extras).

Over real HTTP, on both stores: two vCards of one person imported, merged through
`contacts.merge`, exported; then the merge taken back and each card exported as before.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.formats.card import Card
from rolodex.formats.vcard import read_cards
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.dialects import api_key
from tests.transfer.files import export, post_file


def card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""])


PHONE = card(
    "UID:merge-phone",
    "FN:Ann Lee",
    "N:Lee;Ann;;;",
    "EMAIL;TYPE=work:ann@example.com",
    "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/annlee",
    "item1.X-ABDATE:2001-02-03",
    "item1.X-ABLabel:met",
    "item2.X-ABRELATEDNAMES:Bob Lee",
    "item2.X-ABLabel:_$!<Spouse>!$_",
    "X-SHARED:same",
)
GOOGLE = card(
    "UID:merge-google",
    "FN:Ann Lee",
    "N:Lee;Ann;;;",
    "EMAIL;TYPE=work:ann@example.com",
    "EMAIL;TYPE=home;X-CUSTOM=yes:ann@home.example",
    "X-GREETING:hi",
    "item1.X-ABDATE:2005-06-07",
    "item1.X-ABLabel:wed",
    "item2.X-ABRELATEDNAMES:Bob Lee",
    "item2.X-ABLabel:_$!<Spouse>!$_",
    "X-SHARED:same",
)


def vcf_export(client: TestClient, key: str) -> dict[str, str]:
    """UID -> that card's text, of an export of the whole book."""
    response = export(client, key, "vcard3")
    assert response.status_code == 200, response.text
    cards = response.text.split("BEGIN:VCARD\r\n")[1:]
    found = {}
    for text in cards:
        uid = next(line[4:] for line in text.split("\r\n") if line.startswith("UID:"))
        found[uid] = "BEGIN:VCARD\r\n" + text
    return found


def lines_of(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def two_imported(client: TestClient, services: Services, user: ApiUser) -> tuple[str, list[str]]:
    key = api_key(services, user.account_id)
    response = post_file(client, key, (PHONE + GOOGLE).encode(), "text/vcard")
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = user.ok("contacts.scroll", {})["contacts"]
    emails = {len(c["contactData"]["emails"]): c["contactId"] for c in listed}
    return key, [emails[1], emails[2]]  # the phone's card first: the survivor


def test_a_merge_exports_every_cards_extras_once(
    client: TestClient, services: Services, user: ApiUser
) -> None:
    key, ids = two_imported(client, services, user)
    before = vcf_export(client, key)
    answer = user.ok("contacts.merge", {"contactIds": ids})
    assert answer["contact"]["contactId"] == ids[0]
    after = vcf_export(client, key)
    assert list(after) == ["merge-phone"]
    lines = lines_of(after["merge-phone"])
    for line in ("X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/annlee", "X-GREETING:hi"):
        assert line in lines
    assert lines.count("X-SHARED:same") == 1
    # The same related name and label in both cards: once; its group is the survivor's.
    assert lines.count("item2.X-ABRELATEDNAMES:Bob Lee") == 1
    assert sum("X-ABRELATEDNAMES" in line for line in lines) == 1
    # A parameter of a carried value goes with it.
    assert "EMAIL;TYPE=home;X-CUSTOM=yes:ann@home.example" in lines
    # Both dates keep their labels, in groups of their own.
    dates = [line for line in lines if "X-ABDATE" in line or "X-ABLabel" in line]
    groups = {line.split(".", 1)[0] for line in dates}
    assert len(groups) == 3, dates
    (merged,) = read_cards(after["merge-phone"])
    assert isinstance(merged, Card)
    assert sorted(d["type"] for d in merged.contact_data["dates"]) == ["met", "wed"]

    user.ok("contacts.unmerge", {"mergeId": answer["mergeId"]})
    assert vcf_export(client, key) == before


def test_a_dry_run_leaves_the_cards_alone(
    client: TestClient, services: Services, user: ApiUser
) -> None:
    key, ids = two_imported(client, services, user)
    before = vcf_export(client, key)
    user.ok("contacts.merge", {"contactIds": ids, "dryRun": True})
    assert vcf_export(client, key) == before


@pytest.mark.parametrize("survivor", [0, 1])
def test_a_survivor_without_a_card_gets_the_others_extras(
    client: TestClient, services: Services, user: ApiUser, survivor: int
) -> None:
    key = api_key(services, user.account_id)
    made = user.create({"name": {"givenName": "Ann", "familyName": "Lee"}})
    assert post_file(client, key, GOOGLE.encode(), "text/vcard").status_code == 200
    listed = user.ok("contacts.scroll", {})["contacts"]
    imported = next(c["contactId"] for c in listed if c["contactId"] != made["contactId"])
    ids = [made["contactId"], imported] if survivor == 0 else [imported, made["contactId"]]
    before = vcf_export(client, key)
    answer = user.ok("contacts.merge", {"contactIds": ids})
    (text,) = vcf_export(client, key).values()
    lines = lines_of(text)
    assert "X-GREETING:hi" in lines
    assert "EMAIL;TYPE=home;X-CUSTOM=yes:ann@home.example" in lines
    user.ok("contacts.unmerge", {"mergeId": answer["mergeId"]})
    assert vcf_export(client, key) == before


def test_unmerge_gives_back_the_survivors_details_the_merge_dropped(
    client: TestClient, services: Services, user: ApiUser
) -> None:
    key = api_key(services, user.account_id)
    sent = card("UID:merge-own", "FN:Ann Lee", "N:Lee;Ann;;;", "EMAIL;X-CUSTOM=a:ann@example.com")
    assert post_file(client, key, sent.encode(), "text/vcard").status_code == 200
    (imported,) = user.ok("contacts.scroll", {})["contacts"]
    made = user.create({"name": {"givenName": "Ann", "familyName": "Lee"}})
    before = vcf_export(client, key)
    ids = [imported["contactId"], made["contactId"]]
    # The caller's contactData has no email: its parameter goes with it.
    body = {"contactIds": ids, "contactData": {"name": {"givenName": "Ann"}}}
    answer = user.ok("contacts.merge", body)
    assert "X-CUSTOM" not in vcf_export(client, key)["merge-own"]
    user.ok("contacts.unmerge", {"mergeId": answer["mergeId"]})
    assert vcf_export(client, key) == before
