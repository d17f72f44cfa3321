"""CardDAV test helpers: an account speaking CardDAV over real HTTP through the app.

The account password is accepted over Basic for these tests (the setting
`carddav_allow_account_password`, off by default); app passwords are their own tests'.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from rolodex.services import Services
from tests.conftest import ApiUser, MakeUser

PASSWORD = "correct horse battery"
D = "{DAV:}"
C = "{urn:ietf:params:xml:ns:carddav}"
CS = "{http://calendarserver.org/ns/}"
NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/"'


def basic(email: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()


@dataclass
class DavUser:
    """An account calling CardDAV with its email and password, and its Contacts+ twin."""

    api: ApiUser
    client: TestClient

    @property
    def account_id(self) -> str:
        return self.api.account_id

    @property
    def book(self) -> str:
        return f"/dav/books/{self.account_id}/default/"

    def request(
        self, method: str, path: str, body: str | bytes | None = None, **headers: str
    ) -> httpx.Response:
        sent = {"Authorization": basic(self.api.email, PASSWORD), **FROM}
        sent.update({k.replace("_", "-"): v for k, v in headers.items()})
        content = body.encode() if isinstance(body, str) else body
        return self.client.request(method, path, content=content, headers=sent)

    def propfind(self, path: str, props: str, depth: str = "0") -> httpx.Response:
        body = f'<?xml version="1.0"?><D:propfind {NS}><D:prop>{props}</D:prop></D:propfind>'
        return self.request("PROPFIND", path, body, Depth=depth)

    def put(self, name: str, card: str, **headers: str) -> httpx.Response:
        return self.request(
            "PUT", self.book + name, card, Content_Type="text/vcard; charset=utf-8", **headers
        )

    def report(self, body: str, path: str | None = None) -> httpx.Response:
        return self.request("REPORT", path or self.book, body, Depth="1")


def multistatus(response: httpx.Response) -> dict[str, dict[str, Any]]:
    """href -> {"status": response status or None, "ok": {prop: element}, "missing": [prop]}."""
    assert response.status_code == 207, response.text
    root = ElementTree.fromstring(response.content)
    found: dict[str, dict[str, Any]] = {}
    for item in root.findall(f"{D}response"):
        href = item.findtext(f"{D}href") or ""
        entry: dict[str, Any] = {"status": item.findtext(f"{D}status"), "ok": {}, "missing": []}
        for propstat in item.findall(f"{D}propstat"):
            status = propstat.findtext(f"{D}status") or ""
            prop = propstat.find(f"{D}prop")
            assert prop is not None
            for element in prop:
                if " 200 " in status:
                    entry["ok"][element.tag] = element
                else:
                    entry["missing"].append(element.tag)
        found[href] = entry
    return found


def sync_token(response: httpx.Response) -> str:
    root = ElementTree.fromstring(response.content)
    return root.findtext(f"{D}sync-token") or ""


def vcard(uid: str, fn: str, *extra: str, version: str = "3.0") -> str:
    given, _, family = fn.partition(" ")
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"UID:{uid}",
        f"FN:{fn}",
        f"N:{family};{given};;;",
        *extra,
        "END:VCARD",
    ]
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture(autouse=True)
def own_address(services: Services, monkeypatch: pytest.MonkeyPatch) -> str:
    """A client address of this test's own: failed logins are throttled per address
    (accounts/login_throttle.py), and the suite's other tests fail logins too."""
    monkeypatch.setattr(services.settings, "trust_proxy_headers", True)
    address = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
    FROM["X-Forwarded-For"] = address
    return address


# The header every request of a CardDAV test carries (own_address sets it).
FROM: dict[str, str] = {}


@pytest.fixture
def allow_account_password(services: Services) -> Iterator[None]:
    before = services.settings.carddav_allow_account_password
    services.settings.carddav_allow_account_password = True
    yield
    services.settings.carddav_allow_account_password = before


@pytest.fixture
def dav(make_user: MakeUser, client: TestClient, allow_account_password: None) -> DavUser:
    return DavUser(make_user(), client)


MakeDav = Callable[[], DavUser]


@pytest.fixture
def make_dav(make_user: MakeUser, client: TestClient, allow_account_password: None) -> MakeDav:
    def make() -> DavUser:
        return DavUser(make_user(), client)

    return make
