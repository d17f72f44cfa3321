"""Webhooks and batches as the services see them, and the triggers a webhook can name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolodex.store.changelog import CREATED, DELETED, UPDATED

# Trigger -> the change-log entry it reports (entity, action). The order is the one
# `webhooks.getTriggers` answers with.
TRIGGERS: dict[str, tuple[str, str]] = {
    "contact.added": ("contact", CREATED),
    "contact.updated": ("contact", UPDATED),
    "contact.deleted": ("contact", DELETED),
    "tag.added": ("tag", CREATED),
    "tag.updated": ("tag", UPDATED),
    "tag.deleted": ("tag", DELETED),
}
TRIGGER_OF_CHANGE: dict[tuple[str, str], str] = {v: k for k, v in TRIGGERS.items()}

# The scope a trigger's data needs (docs/scopes.md): a webhook carries contacts or tags,
# so it needs the right to read them, for the owner or for the team.
READ_SCOPE = {"contact": "contacts.read", "tag": "tags.read"}
TEAM_READ_SCOPE = {"contact": "teams.contacts.read", "tag": "teams.tags.read"}

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"


def entities_of(triggers: list[str]) -> set[str]:
    """Which kinds of data (`contact`, `tag`) a list of triggers carries."""
    return {TRIGGERS[t][0] for t in triggers}


@dataclass(frozen=True, slots=True)
class Webhook:
    webhook_id: str
    owner_id: str
    account_id: str
    team_id: str | None
    url: str
    triggers: list[str]
    created_at: int
    cursor_seq: int
    disabled_at: int | None
    disabled_reason: str | None


@dataclass(frozen=True, slots=True)
class CreatedWebhook:
    """A webhook just made, with its signing secret: the only time the secret is shown."""

    webhook: Webhook
    secret: str


@dataclass(frozen=True, slots=True)
class Batch:
    batch_id: str
    webhook_id: str
    owner_id: str
    status: str
    first_seq: int
    last_seq: int
    events: list[dict[str, Any]]
    created_at: int
    attempts: int
    next_attempt_at: int | None
    last_attempt_at: int | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: int | None


@dataclass(slots=True)
class Delivery:
    """A batch claimed for sending, with what signing and sending it needs."""

    batch: Batch
    url: str
    secret: str
    lease_owner: str
    body: bytes = field(default=b"")
