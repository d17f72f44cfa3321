"""Helpers for the import and export tests: files through HTTP, contacts read back."""

from __future__ import annotations

import re
from typing import Any

import httpx2
from starlette.testclient import TestClient

from rolodex.formats.card import Card
from tests.formats.samples import SAMPLES

MEDIA = {
    "vcf": "text/vcard",
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
}


def post_file(client: TestClient, key: str, body: bytes, media: str, query: str = "") -> Any:
    return client.post(
        f"/v1/contacts/import{query}",
        content=body,
        headers={"x-api-key": key, "content-type": media},
    )


def import_sample(client: TestClient, key: str, name: str, query: str = "") -> dict[str, Any]:
    body = (SAMPLES / name).read_bytes()
    response = post_file(client, key, body, MEDIA[name.rsplit(".", 1)[1]], query)
    assert response.status_code == 200, response.text
    return dict(response.json())


def export(client: TestClient, key: str, fmt: str, query: str = "") -> httpx2.Response:
    return client.get(f"/v1/contacts/export?format={fmt}{query}", headers={"x-api-key": key})


def without_photos(text: str) -> str:
    """A vCard's text without its PHOTO properties (the photo store re-encodes images),
    and its CATEGORIES in name order (a contact's tags have no order)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    unfolded = re.sub(
        r"^CATEGORIES:(.*)$",
        lambda m: "CATEGORIES:" + ",".join(sorted(m.group(1).split(","), key=str.casefold)),
        unfolded,
        flags=re.M,
    )
    kept = [
        line for line in unfolded.splitlines() if not re.match(r"^([\w-]+\.)?PHOTO[;:]", line, re.I)
    ]
    return "\r\n".join(kept) + "\r\n"


def data_without_photos(card: Card) -> dict[str, Any]:
    return {k: v for k, v in card.contact_data.items() if k != "photos"}
