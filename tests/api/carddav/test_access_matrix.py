"""CardDAV's column of the access matrix: every operation, for every kind of caller.

Each operation names a victim's principal, home, book or card. Another account (with
every scope) gets exactly the answer it gets for ids that exist nowhere (the ids
masked), so it learns nothing; a caller without credentials or with a wrong password
gets a 401 with the Basic challenge. Afterwards the victim's book is as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from tests.api.carddav.conftest import FROM, NS, DavUser, MakeDav, basic, vcard


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body: str = ""

    def on(self, owner: str, book: str, card: str) -> str:
        return self.path.format(owner=owner, book=book, card=card)


PROPFIND = f"<D:propfind {NS}><D:prop><D:getetag/><D:displayname/></D:prop></D:propfind>"
SYNC = (
    f"<D:sync-collection {NS}><D:sync-token/><D:sync-level>1</D:sync-level>"
    "<D:prop><D:getetag/></D:prop></D:sync-collection>"
)
MULTIGET = (
    f"<C:addressbook-multiget {NS}><D:prop><C:address-data/></D:prop>"
    "<D:href>/dav/books/{owner}/{book}/{card}</D:href></C:addressbook-multiget>"
)
QUERY = (
    f"<C:addressbook-query {NS}><D:prop><C:address-data/></D:prop><C:filter>"
    '<C:prop-filter name="FN"><C:text-match>victim</C:text-match></C:prop-filter>'
    "</C:filter></C:addressbook-query>"
)
PROPPATCH = (
    f"<D:propertyupdate {NS}><D:set><D:prop><D:displayname>Mine now</D:displayname>"
    "</D:prop></D:set></D:propertyupdate>"
)
MKCOL = (
    f"<D:mkcol {NS}><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/>"
    "</D:resourcetype></D:prop></D:set></D:mkcol>"
)
CARD = "/dav/books/{owner}/{book}/{card}"
BOOK = "/dav/books/{owner}/{book}/"

OPERATIONS = [
    Operation("PROPFIND", "/dav/principals/{owner}/", PROPFIND),
    Operation("PROPFIND", "/dav/books/{owner}/", PROPFIND),
    Operation("PROPFIND", BOOK, PROPFIND),
    Operation("PROPFIND", CARD, PROPFIND),
    Operation("GET", CARD),
    Operation("HEAD", CARD),
    Operation("PUT", CARD, vcard("uid-intruder", "Intruder")),
    Operation("DELETE", CARD),
    Operation("REPORT", BOOK, SYNC),
    Operation("REPORT", BOOK, MULTIGET),
    Operation("REPORT", BOOK, QUERY),
    Operation("PROPPATCH", BOOK, PROPPATCH),
    Operation("MKCOL", "/dav/books/{owner}/extra/", MKCOL),
    Operation("DELETE", BOOK),
]
IDS = [f"{o.method} {o.path}" + (" " + o.body.split(" ")[0] if o.body else "") for o in OPERATIONS]


def _send(
    client: TestClient, auth: str | None, op: Operation, path: str, body: str
) -> tuple[int, str]:
    headers = {
        "Depth": "1",
        "Content-Type": "text/vcard" if op.method == "PUT" else "application/xml",
    }
    headers.update(FROM)
    if auth:
        headers["Authorization"] = auth
    response = client.request(op.method, path, content=body.encode() or None, headers=headers)
    return response.status_code, response.text


def _state(victim: DavUser) -> tuple[str, str]:
    got = victim.request("GET", victim.book + "victim.vcf")
    listing = victim.propfind(f"/dav/books/{victim.account_id}/", "<D:displayname/>", "1")
    return got.headers.get("etag", "") + got.text, listing.text


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
def test_another_account_learns_nothing_and_changes_nothing(
    make_dav: MakeDav, client: TestClient, op: Operation
) -> None:
    victim = make_dav()
    victim.put("victim.vcf", vcard("uid-victim", "Victim Person"))
    intruder = make_dav()
    before = _state(victim)
    auth = basic(intruder.api.email, "correct horse battery")
    real = (victim.account_id, "default", "victim.vcf")
    nowhere = ("a_" + "Z" * 22, "default", "nowhere.vcf")
    answers = []
    for owner, book, card in (real, nowhere):
        body = op.body.replace("{owner}", owner).replace("{book}", book).replace("{card}", card)
        status, text = _send(client, auth, op, op.on(owner, book, card), body)
        for secret in (owner, card):
            text = text.replace(secret, "<id>")
        answers.append((status, text))
    assert answers[0] == answers[1]
    assert answers[0][0] in (207, 403, 404, 405)
    assert "Victim" not in answers[0][1]
    assert _state(victim) == before


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
@pytest.mark.parametrize("auth", ["none", "wrong password"])
def test_without_valid_credentials_it_is_a_401(
    dav: DavUser, client: TestClient, op: Operation, auth: str
) -> None:
    dav.put("victim.vcf", vcard("uid-victim", "Victim Person"))
    before = _state(dav)
    header = None if auth == "none" else basic(dav.api.email, "not the password")
    path = op.on(dav.account_id, "default", "victim.vcf")
    body = op.body.replace("{owner}", dav.account_id).replace("{book}", "default")
    status, text = _send(client, header, op, path, body.replace("{card}", "victim.vcf"))
    assert status == 401
    assert "Victim" not in text
    assert _state(dav) == before
