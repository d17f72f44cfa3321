"""A desktop user's round trip: vdirsyncer pulls the book into a local vdir, khard adds and
edits a contact there, vdirsyncer pushes it back, and the server holds the edit; on Rolodex
the Contacts+ API reads it too (one store behind every API).

Both programs run as their command lines, with config files written here, as a user runs
them; khard's YAML input (`new -i`, `edit -i`) is its non-interactive way in.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from tests.carddav_clients.servers import CardDAVServer

BIN = Path(sys.executable).parent
SEED = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:seed-grace-hopper\r\nFN:Grace Hopper\r\n"
    "N:Hopper;Grace;;;\r\nEMAIL;TYPE=work:grace@navy.example\r\nEND:VCARD\r\n"
)
NEW = """\
First name : Ada
Last name : Quarrington
Email :
    work : ada@quarry.example
Phone :
    cell : +44 20 7946 0000
"""
EDITED = """\
First name : Ada
Last name : Quarrington
Organisation : Quarry Works
Email :
    work : ada@quarry.example
    home : ada@home.example
Phone :
    cell : +44 20 7946 0000
"""


def write_configs(tmp: Path, server: CardDAVServer) -> tuple[Path, Path, Path]:
    """vdirsyncer's config (the book straight, no discovery of collections) and khard's."""
    vdir = tmp / "vdir"
    vdir.mkdir()
    (tmp / "status").mkdir()
    sync = tmp / "vdirsyncer.conf"
    sync.write_text(
        f'[general]\nstatus_path = "{tmp / "status"}/"\n\n'
        '[pair book]\na = "local"\nb = "remote"\ncollections = null\n\n'
        f'[storage local]\ntype = "filesystem"\npath = "{vdir}/"\nfileext = ".vcf"\n\n'
        f'[storage remote]\ntype = "carddav"\nurl = "{server.book}"\n'
        f'username = "{server.username}"\npassword = "{server.password}"\n'
    )
    khard = tmp / "khard.conf"
    khard.write_text(
        f"[addressbooks]\n[[book]]\npath = {vdir}\n\n"
        "[general]\neditor = /bin/false\nmerge_editor = /bin/false\ndefault_action = list\n\n"
        "[vcard]\npreferred_version = 3.0\n"
    )
    return sync, khard, vdir


def run(*command: str, stdin: str = "") -> str:
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done.stdout


def vdirsyncer(config: Path, *args: str) -> str:
    return run(str(BIN / "vdirsyncer"), "-c", str(config), *args)


def khard(config: Path, *args: str, stdin: str = "") -> str:
    return run(str(BIN / "khard"), "-c", str(config), *args, stdin=stdin)


def server_cards(server: CardDAVServer, auth: httpx.BasicAuth) -> list[str]:
    """Every card of the book as the server serves it: PROPFIND Depth 1, then GET each
    member (every href but the book's own, which ends in a slash)."""
    listing = httpx.request(
        "PROPFIND",
        server.book,
        auth=auth,
        headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        content=b'<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
    )
    assert listing.status_code == 207, listing.text
    hrefs = [
        href.text
        for href in ET.fromstring(listing.content).iter("{DAV:}href")
        if href.text and not href.text.endswith("/")
    ]
    cards = []
    for href in hrefs:
        got = httpx.get(urljoin(server.book, href), auth=auth)
        assert got.status_code == 200, (href, got.status_code)
        cards.append(got.text)
    return cards


def search(server: CardDAVServer, query: str) -> list[dict[str, Any]]:
    """contacts.search of the Contacts+ API, as the same account."""
    found = httpx.post(
        f"{server.base}/api/v1/contacts.search",
        json={"searchQuery": query},
        headers={"Authorization": f"Bearer {server.api_token}"},
    )
    assert found.status_code == 200, found.text
    return list(found.json()["contacts"])


def test_a_contact_added_and_edited_in_khard_reaches_the_server(
    server: CardDAVServer, tmp_path: Path
) -> None:
    auth = httpx.BasicAuth(server.username, server.password)
    seeded = httpx.put(
        f"{server.book}seed-grace-hopper.vcf",
        content=SEED.encode(),
        auth=auth,
        headers={"Content-Type": "text/vcard; charset=utf-8", "If-None-Match": "*"},
    )
    assert seeded.status_code in (201, 204), seeded.text
    sync, khard_conf, vdir = write_configs(tmp_path, server)

    vdirsyncer(sync, "discover")
    vdirsyncer(sync, "sync")
    assert "Grace Hopper" in khard(khard_conf, "list"), "the pull brought the book down"

    (tmp_path / "new.yaml").write_text(NEW)
    khard(khard_conf, "new", "-a", "book", "-i", str(tmp_path / "new.yaml"))
    vdirsyncer(sync, "sync")
    (tmp_path / "edited.yaml").write_text(EDITED)
    khard(khard_conf, "edit", "-i", str(tmp_path / "edited.yaml"), "Quarrington", stdin="yes\n")
    assert "Quarry Works" in "".join(p.read_text() for p in vdir.glob("*.vcf"))
    vdirsyncer(sync, "sync")

    cards = server_cards(server, auth)
    assert len(cards) == 2
    (ada,) = [card for card in cards if "Quarrington" in card]
    assert "ada@home.example" in ada
    assert "Quarry Works" in ada
    assert "+44 20 7946 0000" in ada
    if server.api_token is not None:
        (contact,) = search(server, "Quarrington")
        data = contact["contactData"]
        assert {e["value"] for e in data["emails"]} == {"ada@quarry.example", "ada@home.example"}
        assert [o.get("name") for o in data["organizations"]] == ["Quarry Works"]
        assert data["name"]["givenName"] == "Ada"
        (grace,) = search(server, "Hopper")
        assert grace["contactData"]["emails"][0]["value"] == "grace@navy.example"

    # Nothing left to send or fetch: a further sync changes nothing on either side.
    before = sorted(p.read_text() for p in vdir.glob("*.vcf"))
    vdirsyncer(sync, "sync")
    assert sorted(p.read_text() for p in vdir.glob("*.vcf")) == before
