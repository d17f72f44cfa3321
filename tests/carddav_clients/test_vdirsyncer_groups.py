"""vdirsyncer sees the groups made elsewhere: a tag made through the Contacts+ API comes
down as a group card listing its member, a phone's change to it comes down too, and the
tag's deletion removes the file (docs/carddav.md, group cards). Rolodex only: Radicale
has no other API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.carddav_clients.servers import CardDAVServer
from tests.carddav_clients.test_khard_round_trip import vdirsyncer, write_configs


def api(server: CardDAVServer, method: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.post(
        f"{server.base}/api/v1/{method}",
        json=body,
        headers={"Authorization": f"Bearer {server.api_token}"},
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def groups_in(vdir: Path) -> dict[str, str]:
    """file name -> text of the group cards in the vdir."""
    return {
        p.name: p.read_text()
        for p in vdir.glob("*.vcf")
        if "X-ADDRESSBOOKSERVER-KIND:group" in p.read_text()
    }


def test_a_tag_made_through_the_api_syncs_down_as_a_group_card(
    server: CardDAVServer, tmp_path: Path
) -> None:
    if server.api_token is None:
        pytest.skip("the server has no Contacts+ API")
    grace = api(
        server,
        "contacts.create",
        {"contact": {"contactData": {"name": {"givenName": "Grace", "familyName": "Hopper"}}}},
    )["contact"]
    tag = api(server, "tags.create", {"tag": {"tagData": {"name": "Navy"}}})["tag"]
    api(
        server,
        "contacts.manageTags",
        {"contactIds": [grace["contactId"]], "addTagIds": [tag["tagId"]]},
    )
    sync, _, vdir = write_configs(tmp_path, server)
    vdirsyncer(sync, "discover")
    vdirsyncer(sync, "sync")
    (group,) = groups_in(vdir).values()
    (person,) = [p.read_text() for p in vdir.glob("*.vcf") if "Hopper" in p.read_text()]
    uid = next(line[4:] for line in person.splitlines() if line.startswith("UID:"))
    assert "FN:Navy" in group
    assert f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{uid.removeprefix('urn:uuid:')}" in group

    # Another device adds a member: a PUT of the group card at its href.
    auth = httpx.BasicAuth(server.username, server.password)
    ada = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\r\n"
    put = httpx.put(
        f"{server.book}ada.vcf",
        content=ada.encode(),
        auth=auth,
        headers={"Content-Type": "text/vcard"},
    )
    assert put.status_code == 201, put.text
    href = f"{server.book}group-{tag['tagId']}.vcf"
    current = httpx.get(href, auth=auth)
    edited = current.text.replace(
        "END:VCARD", "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ada\r\nEND:VCARD"
    )
    put = httpx.put(
        href,
        content=edited.encode(),
        auth=auth,
        headers={"Content-Type": "text/vcard", "If-Match": current.headers["etag"]},
    )
    assert put.status_code == 204, put.text
    vdirsyncer(sync, "sync")
    (group,) = groups_in(vdir).values()
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ada" in group

    # The tag is deleted through the API: the file goes at the next sync.
    navy = api(server, "tags.get", {"tagIds": [tag["tagId"]]})["tags"][0]
    api(server, "tags.delete", {"tagId": navy["tagId"], "etag": navy["etag"]})
    vdirsyncer(sync, "sync")
    assert groups_in(vdir) == {}
    assert len(list(vdir.glob("*.vcf"))) == 2
