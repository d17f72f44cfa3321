"""The Contacts+ API's answers as OpenAPI schemas: the objects it returns and their envelopes.

Written out from `rolodex/contactsplus_objects.py`, `api/contactsplus/webhooks.py` and
`api/oauth/routes.py`, which render them; `contactsplus.py` puts them in the document.
"""

from __future__ import annotations

from rolodex.api.openapi.common import STRING, TIMESTAMP, Schema, obj, ref

_ERROR_SCHEMA = obj(
    {
        "error": obj(
            {
                "code": STRING,
                "message": STRING,
                "field": STRING,
                "details": {
                    "type": "array",
                    "items": obj({"field": STRING, "problem": STRING}, ["field", "problem"]),
                },
            },
            ["code", "message"],
        )
    },
    ["error"],
)

_CONTACT = obj(
    {
        "contactId": STRING,
        "etag": STRING,
        "created": TIMESTAMP,
        "updated": TIMESTAMP,
        "teamId": STRING,
        "deleted": {"const": True},
        "contactData": ref("ContactData"),
        "contactMetadata": obj(
            {
                "tagIds": {"type": "array", "items": STRING},
                "companyContact": {"type": "boolean"},
                "sharedBy": {"type": "array", "items": STRING},
                "ownedBy": STRING,
            },
            ["tagIds", "companyContact"],
            closed=False,
        ),
    },
    ["contactId", "etag", "created", "updated", "contactData", "contactMetadata"],
)

_TAG = obj(
    {
        "tagId": STRING,
        "created": TIMESTAMP,
        "updated": TIMESTAMP,
        "etag": STRING,
        "tagData": obj({"name": STRING}, ["name"]),
        "deleted": {"const": True},
    },
    ["tagId", "created", "updated", "etag", "tagData"],
)

_TEAM = obj(
    {
        "teamId": STRING,
        "created": TIMESTAMP,
        "updated": TIMESTAMP,
        "teamData": obj({"name": STRING}, ["name"]),
        "teamMembers": {
            "type": "array",
            "items": obj(
                {
                    "accountId": STRING,
                    "name": {"type": ["string", "null"]},
                    "email": STRING,
                    "role": STRING,
                },
                ["accountId", "name", "email", "role"],
            ),
        },
    },
    ["teamId", "created", "updated", "teamData", "teamMembers"],
)

_WEBHOOK_PROPS: dict[str, Schema] = {
    "webhookId": STRING,
    "url": STRING,
    "triggers": {"type": "array", "items": STRING},
    "created": TIMESTAMP,
    "accountId": STRING,
    "status": {"enum": ["active", "disabled"]},
    "teamId": STRING,
    "disabled": TIMESTAMP,
    "disabledReason": STRING,
}
_WEBHOOK_REQUIRED = ["webhookId", "url", "triggers", "created", "accountId", "status"]
_WEBHOOK = obj(_WEBHOOK_PROPS, _WEBHOOK_REQUIRED)
_NEW_WEBHOOK = obj({**_WEBHOOK_PROPS, "secret": STRING}, [*_WEBHOOK_REQUIRED, "secret"])

_BATCH = obj(
    {
        "batchId": STRING,
        "webhookId": STRING,
        "status": STRING,
        "created": TIMESTAMP,
        "attempts": {"type": "integer"},
        "lastAttempt": TIMESTAMP,
        "lastResponseCode": {"type": "integer"},
        "lastError": STRING,
        "nextAttempt": TIMESTAMP,
        "delivered": TIMESTAMP,
        "events": {"type": "array", "items": {"type": "object"}},
    },
    ["batchId", "webhookId", "status", "created", "attempts", "events"],
)

_ACCOUNT = obj(
    {
        "account": obj(
            {
                "accountId": STRING,
                "created": TIMESTAMP,
                "updated": TIMESTAMP,
                "profileData": obj(
                    {
                        "emails": {
                            "type": "array",
                            "items": obj({"type": STRING, "value": STRING}, ["type", "value"]),
                        },
                        "name": obj({"givenName": STRING, "familyName": STRING}, ["givenName"]),
                    },
                    ["emails"],
                ),
            },
            ["accountId", "created", "updated", "profileData"],
        )
    },
    ["account"],
)


# Methods Rolodex adds to the Contacts+ API, each with the sentence its operation starts with.
EXTENSIONS = {
    "contacts.getHistory": (
        "A Rolodex extension, not in the Contacts+ API: the contact's kept versions, newest"
        " first, each with who made the change."
    ),
    "contacts.restoreVersion": (
        "A Rolodex extension, not in the Contacts+ API: bring the contact back to a kept"
        " version; over a changed contact a 409 unless `force`."
    ),
    "contacts.getTrash": (
        "A Rolodex extension, not in the Contacts+ API: deleted contacts that can still be"
        " restored, each with who deleted it."
    ),
    "contacts.undelete": (
        "A Rolodex extension, not in the Contacts+ API: bring a contact back from the trash"
        " with its id, tags and photos."
    ),
    "contacts.undoCredential": (
        "A Rolodex extension, not in the Contacts+ API: undo what one credential changed,"
        " made and deleted since a moment; contacts changed since by another client are"
        " listed as conflicts, not overwritten."
    ),
    "contacts.findDuplicates": (
        "A Rolodex extension, not in the Contacts+ API: groups of contacts that are likely"
        " one person, each with a score from 0 to 1 and its reasons in words, strongest"
        " first. `minScore` (0.5 to 1, default 0.85) is the weakest link a group may hold."
    ),
    "contacts.merge": (
        "A Rolodex extension, not in the Contacts+ API: make 2 to 50 contacts one. The"
        " survivor (`survivorId`, else the first id) gets their data united without repeats"
        " (or `contactData` when sent), the others are deleted, in one write; `dryRun` shows"
        " the result and writes nothing. Answers the `mergeId` that `contacts.unmerge` takes."
    ),
    "contacts.unmerge": (
        "A Rolodex extension, not in the Contacts+ API: put every contact of a merge back as"
        " it was (same ids, data and tags); if any changed since the merge, a 409 unless"
        " `force`."
    ),
}

_DUPLICATE_GROUP = obj(
    {
        "contactIds": {"type": "array", "items": STRING, "minItems": 2},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "reasons": {"type": "array", "items": STRING},
    },
    ["contactIds", "score", "reasons"],
)


def _list(key: str, item: str, *, cursor: bool = False) -> Schema:
    props: dict[str, Schema] = {key: {"type": "array", "items": ref(item)}}
    if cursor:
        props["cursor"] = STRING
    return obj(props, [key])


def _one(key: str, item: str) -> Schema:
    return obj({key: ref(item)}, [key])


_EMPTY = obj({})

ANSWERS: dict[str, Schema] = {
    "Error": _ERROR_SCHEMA,
    "Contact": _CONTACT,
    "Tag": _TAG,
    "Team": _TEAM,
    "Webhook": _WEBHOOK,
    "NewWebhook": _NEW_WEBHOOK,
    "Batch": _BATCH,
    "AccountAnswer": _ACCOUNT,
    "ContactList": _list("contacts", "Contact"),
    "ContactPage": _list("contacts", "Contact", cursor=True),
    "DuplicatePage": _list("duplicates", "DuplicateGroup", cursor=True),
    "DuplicateGroup": _DUPLICATE_GROUP,
    "OneContact": _one("contact", "Contact"),
    "MergeOutcome": obj({"contact": ref("Contact"), "mergeId": STRING}, ["contact"]),
    "TeamList": _list("teams", "Team"),
    "TagList": _list("tags", "Tag"),
    "TagPage": _list("tags", "Tag", cursor=True),
    "OneTag": _one("tag", "Tag"),
    "TriggerList": obj({"triggers": {"type": "array", "items": STRING}}, ["triggers"]),
    "OneNewWebhook": _one("webhook", "NewWebhook"),
    "WebhookList": _list("webhooks", "Webhook"),
    "BatchList": _list("batches", "Batch"),
    "Empty": _EMPTY,
    "TokenSet": obj(
        {
            "access_token": STRING,
            "access_token_expiration": {"type": "integer"},
            "access_token_expiration_date": TIMESTAMP,
            "refresh_token": STRING,
            "refresh_token_expiration": {"type": "integer"},
            "refresh_token_expiration_date": TIMESTAMP,
            "scope": STRING,
            "token_type": {"const": "Bearer"},
            "expires_in": {"type": "integer", "minimum": 0},
        },
        [
            "access_token",
            "access_token_expiration",
            "access_token_expiration_date",
            "scope",
            "token_type",
            "expires_in",
        ],
    ),
    "TokenInfo": obj(
        {
            "valid": {"const": True},
            "accountId": STRING,
            "clientId": {"type": ["string", "null"]},
            "scope": STRING,
            "access_token_expiration": {"type": "integer"},
            "access_token_expiration_date": TIMESTAMP,
        },
        ["valid", "accountId", "clientId", "scope"],
    ),
    "OAuthError": obj(
        {"error": STRING, "error_description": STRING}, ["error", "error_description"]
    ),
}
