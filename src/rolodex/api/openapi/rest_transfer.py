"""The REST API's file operations as OpenAPI: `/v1/contacts/import` and `/export`."""

from __future__ import annotations

from typing import Any

from rolodex.api.openapi.common import STRING, Schema, json_content, obj, ref
from rolodex.api.openapi.resources import answer, text_query

_LINES = {
    "type": "array",
    "items": obj({"line": {"type": "integer"}, "problem": STRING}, ["line", "problem"]),
}
_FILE = {"schema": {"type": "string"}}
_FORMATS = ["vcard", "vcard3", "google-csv", "outlook-csv", "jsonl"]

_SUMMARY: dict[str, Schema] = {
    "format": STRING,
    "created": {"type": "integer"},
    "updated": {"type": "integer"},
    "skipped": _LINES,
    "errors": _LINES,
    "linesDone": {"type": "integer"},
    "contactsCreated": {"type": "integer"},
    "resumedFromLine": {"type": "integer"},
    "alreadyImported": {"type": "boolean"},
    # New contacts that likely duplicate another (docs/duplicates.md).
    "possibleDuplicates": {"type": "integer", "minimum": 0},
}
_REQUIRED = ["format", "created", "updated", "skipped", "errors"]

SCHEMAS: dict[str, Schema] = {
    "ImportSummary": obj(_SUMMARY, _REQUIRED),
    # A file with bad contacts and no `skipInvalid`: nothing imported, each listed.
    "ImportRefused": obj({"message": STRING, **_SUMMARY}, ["message", *_REQUIRED]),
}


def paths(op: Any, read: str, write: str) -> dict[str, Any]:
    """The two paths, with `op` the REST document's operation builder."""
    imported = op(
        "importContacts",
        "Import a vCard, CSV or JSON-lines file",
        write,
        (413, 415),
        ok={"200": answer("What the import did", "ImportSummary")},
        parameters=[
            text_query("format", "auto, jsonl, vcard, google-csv or outlook-csv", 16),
            text_query("skipInvalid", "true: import the good contacts of a file with bad ones", 5),
        ],
    )
    refused = imported["responses"]["400"]
    refused["description"] += (
        "; or a file with contacts that cannot be imported (without skipInvalid):"
        " nothing is imported and the summary lists each with its line"
    )
    refused["content"] = json_content({"anyOf": [ref("Error"), ref("ImportRefused")]})
    imported["requestBody"] = {
        "required": True,
        "content": {
            "text/vcard": _FILE,
            "text/csv": _FILE,
            "application/x-ndjson": _FILE,
        },
    }
    exported = op(
        "exportContacts",
        "Export every contact as a file (streamed)",
        read,
        (),
        ok={
            "200": {
                "description": "The file, with Content-Disposition: attachment",
                "content": {
                    "text/vcard": _FILE,
                    "text/csv": _FILE,
                    "application/x-ndjson": _FILE,
                },
            }
        },
        parameters=[
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": "The file's format (default vcard, 4.0)",
                "schema": {"enum": _FORMATS},
            },
            text_query("noPhotos", "true: leave photos out", 5),
        ],
    )
    return {
        "/v1/contacts/import": {"post": imported},
        "/v1/contacts/export": {"get": exported},
    }
