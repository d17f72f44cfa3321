"""The answers of the history extension methods as OpenAPI schemas (docs/history.md).

Written out from `rolodex/api/contactsplus/history.py`, which renders them; `contactsplus.py`
puts them in the document, marked `x-rolodex-extension`: Contacts+ has no such methods.
"""

from __future__ import annotations

from rolodex.api.openapi.common import STRING, TIMESTAMP, Schema, obj, ref

_SOURCE = obj(
    {
        "kind": {
            "enum": [
                "oauth_app",
                "api_key",
                "app_password",
                "address_book",
                "import",
                "merge",
                "cli",
                "system",
                "unknown",
            ]
        },
        "name": STRING,
    },
    ["kind", "name"],
)

_KEPT = {
    "contactData": ref("ContactData"),
    "contactMetadata": obj(
        {"tagIds": {"type": "array", "items": STRING}, "companyContact": {"type": "boolean"}},
        ["tagIds", "companyContact"],
        closed=False,
    ),
}

_VERSION = obj(
    {
        "versionId": STRING,
        "etag": STRING,
        "updated": TIMESTAMP,
        "deleted": {"type": "boolean"},
        "source": ref("HistorySource"),
        "replaced": TIMESTAMP,
        "replacedBy": ref("HistorySource"),
        **_KEPT,
    },
    ["versionId", "etag", "updated", "source", "contactData", "contactMetadata"],
)

_TRASHED = obj(
    {"contactId": STRING, "deleted": TIMESTAMP, "source": ref("HistorySource"), **_KEPT},
    ["contactId", "deleted", "source", "contactData", "contactMetadata"],
)

_IDS: Schema = {"type": "array", "items": STRING}

HISTORY_ANSWERS: dict[str, Schema] = {
    "HistorySource": _SOURCE,
    "HistoryPage": obj(
        {"versions": {"type": "array", "items": _VERSION}, "cursor": STRING}, ["versions"]
    ),
    "TrashPage": obj(
        {"contacts": {"type": "array", "items": _TRASHED}, "cursor": STRING}, ["contacts"]
    ),
    "UndoOutcome": obj(
        {
            "dryRun": {"type": "boolean"},
            "count": {"type": "integer"},
            "undeleted": _IDS,
            "deleted": _IDS,
            "restored": _IDS,
            "conflicts": _IDS,
        },
        ["dryRun", "count", "undeleted", "deleted", "restored", "conflicts"],
    ),
}
