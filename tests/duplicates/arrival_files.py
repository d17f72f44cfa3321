"""One file per import format, each holding Robert Smith (a likely duplicate of BOB, the
same mobile in another format) and Carol King (nobody's duplicate)."""

from __future__ import annotations

import orjson

BOB = {
    "name": {"givenName": "Bob", "familyName": "Smith"},
    "phoneNumbers": [{"type": "mobile", "value": "+1 415 555 0100"}],
}
_ROBERT = {
    "name": {"givenName": "Robert", "familyName": "Smith"},
    "phoneNumbers": [{"type": "mobile", "value": "(415) 555-0100"}],
}
_CAROL = {"name": {"givenName": "Carol", "familyName": "King"}}

# format -> (file name, media type, content)
FILES: dict[str, tuple[str, str, bytes]] = {
    "vcard": (
        "book.vcf",
        "text/vcard",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Robert Smith\r\nN:Smith;Robert;;;\r\n"
        b"TEL;TYPE=CELL:415.555.0100\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carol King\r\nN:King;Carol;;;\r\nEND:VCARD\r\n",
    ),
    "google-csv": (
        "google.csv",
        "text/csv",
        b"Name,Given Name,Family Name,Phone 1 - Type,Phone 1 - Value\r\n"
        b"Robert Smith,Robert,Smith,Mobile,415.555.0100\r\nCarol King,Carol,King,,\r\n",
    ),
    "outlook-csv": (
        "outlook.csv",
        "text/csv",
        b"First Name,Last Name,Mobile Phone\r\nRobert,Smith,415.555.0100\r\nCarol,King,\r\n",
    ),
    "wrapped-jsonl": (
        "wrapped.jsonl",
        "application/x-ndjson",
        b"".join(orjson.dumps({"contactData": d}) + b"\n" for d in (_ROBERT, _CAROL)),
    ),
    "plain-jsonl": (
        "plain.jsonl",
        "application/x-ndjson",
        b"".join(orjson.dumps(d) + b"\n" for d in (_ROBERT, _CAROL)),
    ),
}
