"""The CardDAV requests the benchmark times, the same bytes for every server, and the cards.

Each call sends one request on a kept-alive connection and returns the seconds it took
until the whole answer was read, with the answer; parsing is done after the clock stops,
so the figure is the server's (and the wire's), not this client's XML parser's.
"""

from __future__ import annotations

import io
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import httpx

from bench.generate import contacts

DAV = "{DAV:}"
NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"'
PROPFIND = f'<?xml version="1.0" encoding="utf-8"?><D:propfind {NS}><D:prop><D:resourcetype/><D:getcontenttype/><D:getetag/></D:prop></D:propfind>'


def multiget(hrefs: list[str]) -> str:
    refs = "".join(f"<D:href>{href}</D:href>" for href in hrefs)
    return f'<?xml version="1.0" encoding="utf-8"?><C:addressbook-multiget {NS}><D:prop><D:getetag/><C:address-data/></D:prop>{refs}</C:addressbook-multiget>'


def sync_collection(token: str) -> str:
    return f'<?xml version="1.0" encoding="utf-8"?><D:sync-collection {NS}><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>'


def query_fn_contains(text: str) -> str:
    """addressbook-query: FN contains `text`, caseless (RFC 6352 §10.5.4)."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><C:addressbook-query {NS}>'
        "<D:prop><D:getetag/><C:address-data/></D:prop>"
        '<C:filter><C:prop-filter name="FN">'
        f'<C:text-match collation="i;unicode-casemap" match-type="contains">{text}</C:text-match>'
        "</C:prop-filter></C:filter></C:addressbook-query>"
    )


class Book:
    """One address book on one server, reached over one kept-alive HTTP connection."""

    def __init__(self, base: str, path: str, username: str, password: str) -> None:
        self.base = base
        self.path = path
        self.client = httpx.Client(
            base_url=base, auth=httpx.BasicAuth(username, password), timeout=3600
        )

    def close(self) -> None:
        self.client.close()

    def timed(
        self, method: str, url: str, body: str | bytes = b"", **headers: str
    ) -> tuple[float, httpx.Response]:
        content = body.encode() if isinstance(body, str) else body
        started = time.perf_counter()
        response = self.client.request(method, url, content=content, headers=headers)
        return time.perf_counter() - started, response

    def report(self, body: str, depth: str = "1") -> tuple[float, httpx.Response]:
        took, response = self.timed(
            "REPORT",
            self.path,
            body,
            Depth=depth,
            **{"Content-Type": "application/xml; charset=utf-8"},
        )
        expect(response, 207)
        return took, response

    def propfind(self) -> tuple[float, httpx.Response]:
        took, response = self.timed(
            "PROPFIND",
            self.path,
            PROPFIND,
            Depth="1",
            **{"Content-Type": "application/xml; charset=utf-8"},
        )
        expect(response, 207)
        return took, response

    def put(self, href: str, card: str, **conditions: str) -> float:
        took, response = self.timed(
            "PUT", href, card, **{"Content-Type": "text/vcard; charset=utf-8", **conditions}
        )
        expect(response, 201, 204)
        return took

    def get(self, href: str) -> httpx.Response:
        response = self.client.get(href)
        expect(response, 200)
        return response


def expect(response: httpx.Response, *statuses: int) -> None:
    """A figure of a failed request would be a lie: stop with what the server said."""
    if response.status_code not in statuses:
        raise RuntimeError(
            f"{response.request.method} {response.request.url}: {response.status_code} "
            f"{response.text[:500]}"
        )


def member_hrefs(multistatus: bytes) -> list[str]:
    """The hrefs of a PROPFIND or REPORT answer that are cards (not the book, not a 404).

    Read incrementally, each response dropped once seen: a million-card listing parsed
    whole would hold gigabytes in this client, beside the server being measured.
    """
    hrefs = []
    for _, element in ET.iterparse(io.BytesIO(multistatus)):
        if element.tag != f"{DAV}response":
            continue
        href = element.findtext(f"{DAV}href") or ""
        status = element.findtext(f"{DAV}status") or ""
        if not href.endswith("/") and " 404 " not in status:
            hrefs.append(href)
        element.clear()
    return hrefs


def sync_token(multistatus: bytes) -> str:
    """The answer's sync-token, read incrementally (an initial sync of a million cards)."""
    token = None
    for _, element in ET.iterparse(io.BytesIO(multistatus)):
        if element.tag == f"{DAV}sync-token":
            token = element.text
        elif element.tag == f"{DAV}response":
            element.clear()
    if not token:
        raise RuntimeError("a sync-collection answer without a sync-token")
    return token


def escape(value: str) -> str:
    """vCard 3.0 text escaping (RFC 2426 §5): backslash, comma, semicolon, newline."""
    return re.sub(r"([\\,;])", r"\\\1", value).replace("\n", "\\n")


def vcard(data: dict[str, Any], uid: str) -> str:
    """A vCard 3.0 of a generated contact (bench/generate.py): the same card for both servers."""
    name = data["name"]
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{uid}",
        f"FN:{escape(data['displayName'])}",
        f"N:{escape(name['familyName'])};{escape(name['givenName'])};;;",
    ]
    lines += [f"EMAIL;TYPE={e['type']}:{e['value']}" for e in data["emails"]]
    lines += [f"TEL;TYPE={p['type']}:{p['value']}" for p in data["phoneNumbers"]]
    for org in data.get("organizations", []):
        lines += [f"ORG:{escape(org['name'])};{escape(org['department'])}"]
        lines += [f"TITLE:{escape(org['title'])}"]
    for a in data.get("addresses", []):
        parts = [a["street"], a["city"], a.get("region", ""), a["postalCode"], a["country"]]
        lines += [f"ADR;TYPE={a['type']}:;;{';'.join(escape(p) for p in parts)}"]
    if "notes" in data:
        lines += [f"NOTE:{escape(data['notes'])}"]
    if "birthday" in data:
        b = data["birthday"]
        lines += [f"BDAY:{b['year']:04d}-{b['month']:02d}-{b['day']:02d}"]
    lines += [f"URL:{u['value']}" for u in data.get("urls", [])]
    return "\r\n".join([*lines, "END:VCARD", ""])


def cards(count: int, seed: int) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(uid, vCard, contact) for `count` generated contacts; the UID names the file too."""
    for index, data in enumerate(contacts(count, seed)):
        uid = f"bench-{index:07d}"
        yield uid, vcard(data, uid), data
