"""OpenAPI links of the Contacts+ API: from a method that makes an object to those taking its id.

The stateful fuzzer (tests/contract/test_stateful.py) follows them.
"""

from __future__ import annotations

from typing import Any

_CONTACT_ID = "$response.body#/contact/contactId"
_CONTACT_ETAG = "$response.body#/contact/etag"
_TAG_ID = "$response.body#/tag/tagId"
_TAG_ETAG = "$response.body#/tag/etag"
_WEBHOOK_ID = "$response.body#/webhook/webhookId"

# OpenAPI links (with runtime expressions in the request body): from a method that
# makes an object to the methods that take its id. The stateful fuzzer follows them.
LINKS: dict[str, dict[str, dict[str, Any]]] = {
    "contacts.create": {
        "contacts.get": {"contactIds": [_CONTACT_ID]},
        "contacts.update": {
            "contact": {
                "contactId": _CONTACT_ID,
                "etag": _CONTACT_ETAG,
                "contactData": {"notes": "changed"},
            }
        },
        "contacts.delete": {"contactId": _CONTACT_ID, "etag": _CONTACT_ETAG},
    },
    "tags.create": {
        "tags.get": {"tagIds": [_TAG_ID]},
        "tags.update": {
            "tag": {"tagId": _TAG_ID, "etag": _TAG_ETAG, "tagData": {"name": "renamed"}}
        },
        "tags.delete": {"tagId": _TAG_ID, "etag": _TAG_ETAG},
    },
    "webhooks.create": {
        "webhooks.get": {"webhookIds": [_WEBHOOK_ID]},
        "webhooks.getBatches": {"webhookId": _WEBHOOK_ID},
        "webhooks.delete": {"webhookId": _WEBHOOK_ID},
    },
}


def links(name: str) -> dict[str, Any]:
    return {
        target: {"operationId": target, "requestBody": body}
        for target, body in LINKS.get(name, {}).items()
    }
