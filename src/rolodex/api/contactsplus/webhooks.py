"""`webhooks.getTriggers`, `.create`, `.get`, `.search`, `.delete`, `.getBatches`.

A webhook carries contacts or tags, so it takes the scope to read them (docs/scopes.md):
`contacts.read` for `contact.*` triggers, `tags.read` for `tag.*` triggers, and the
`teams.*` counterparts with `teamId`. Listing shows only the webhooks whose data the
token may read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import Field

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.timestamps import iso
from rolodex.webhooks.model import READ_SCOPE, TEAM_READ_SCOPE, Batch, Webhook, entities_of
from rolodex.webhooks.service import WebhookPage, check_triggers

Id = Annotated[str, Field(min_length=1, max_length=64)]
Url = Annotated[str, Field(min_length=1, max_length=2048)]
TriggerId = Annotated[str, Field(min_length=1, max_length=64)]
Page = Annotated[int, Field(ge=1, le=1_000_000)]


class WebhooksGetTriggers(Envelope):
    teamId: Id | None = None


class WebhooksCreate(Envelope):
    url: Url
    triggerIds: Annotated[list[TriggerId], Field(min_length=1, max_length=50)]
    teamId: Id | None = None


class WebhooksGet(Envelope):
    webhookIds: Annotated[list[Id], Field(min_length=1, max_length=1000)]
    page: Page | None = None
    teamId: Id | None = None


class WebhooksSearch(Envelope):
    url: Url | None = None
    triggerIds: Annotated[list[TriggerId], Field(max_length=50)] | None = None
    page: Page | None = None
    teamId: Id | None = None


class WebhooksDelete(Envelope):
    webhookId: Id
    teamId: Id | None = None


class WebhooksGetBatches(Envelope):
    webhookId: Id
    batchId: Id | None = None
    teamId: Id | None = None


def _scope(entity: str, team_id: str | None) -> str:
    return (TEAM_READ_SCOPE if team_id is not None else READ_SCOPE)[entity]


def _owner_for(call: Call, team_id: str | None, entities: Iterable[str]) -> str:
    """The owner, after checking the read scope of every kind of data named."""
    first, *rest = sorted(entities)
    owner = call.owner(team_id, scope=READ_SCOPE[first], team_scope=TEAM_READ_SCOPE[first])
    for entity in rest:
        call.principal.require(_scope(entity, team_id))
    return owner


def _readable(call: Call, team_id: str | None) -> tuple[str, set[str]]:
    """The owner, and which kinds of data the token may read there (at least one)."""
    readable = {e for e in READ_SCOPE if _scope(e, team_id) in call.principal.scopes}
    owner = _owner_for(call, team_id, [min(readable)] if readable else ["contact"])
    return owner, readable


def render_webhook(webhook: Webhook) -> dict[str, Any]:
    out: dict[str, Any] = {
        "webhookId": webhook.webhook_id,
        "url": webhook.url,
        "triggers": webhook.triggers,
        "created": iso(webhook.created_at),
        "accountId": webhook.account_id,
        "status": "active" if webhook.disabled_at is None else "disabled",
    }
    if webhook.team_id is not None:
        out["teamId"] = webhook.team_id
    if webhook.disabled_at is not None:
        out["disabled"] = iso(webhook.disabled_at)
        out["disabledReason"] = webhook.disabled_reason or ""
    return out


def render_batch(batch: Batch) -> dict[str, Any]:
    out: dict[str, Any] = {
        "batchId": batch.batch_id,
        "webhookId": batch.webhook_id,
        "status": batch.status,
        "created": iso(batch.created_at),
        "attempts": batch.attempts,
    }
    if batch.last_attempt_at is not None:
        out["lastAttempt"] = iso(batch.last_attempt_at)
    if batch.last_status_code is not None:
        out["lastResponseCode"] = batch.last_status_code
    if batch.last_error is not None:
        out["lastError"] = batch.last_error
    if batch.next_attempt_at is not None:
        out["nextAttempt"] = iso(batch.next_attempt_at)
    if batch.delivered_at is not None:
        out["delivered"] = iso(batch.delivered_at)
    out["events"] = batch.events
    return out


def _listing(page: WebhookPage, readable: set[str]) -> dict[str, Any]:
    shown = [w for w in page.webhooks if entities_of(w.triggers) <= readable]
    return {"webhooks": [render_webhook(w) for w in shown]}


def get_triggers(call: Call) -> dict[str, Any]:
    call.parse(WebhooksGetTriggers)
    return {"triggers": call.services.webhooks.triggers()}


def create(call: Call) -> dict[str, Any]:
    req = call.parse(WebhooksCreate)
    triggers = check_triggers(req.triggerIds)
    owner = _owner_for(call, req.teamId, entities_of(triggers))
    made = call.services.webhooks.create(
        owner, call.principal.account_id, req.url, triggers, team_id=req.teamId
    )
    return {"webhook": {**render_webhook(made.webhook), "secret": made.secret}}


def get(call: Call) -> dict[str, Any]:
    req = call.parse(WebhooksGet)
    owner, readable = _readable(call, req.teamId)
    return _listing(call.services.webhooks.get_many(owner, req.webhookIds, page=req.page), readable)


def search(call: Call) -> dict[str, Any]:
    req = call.parse(WebhooksSearch)
    owner, readable = _readable(call, req.teamId)
    found = call.services.webhooks.search(
        owner, url=req.url, trigger_ids=req.triggerIds, page=req.page
    )
    return _listing(found, readable)


def delete(call: Call) -> dict[str, Any]:
    req = call.parse(WebhooksDelete)
    owner, _ = _readable(call, req.teamId)
    webhook = call.services.webhooks.get_one(owner, req.webhookId)
    _owner_for(call, req.teamId, entities_of(webhook.triggers))
    call.services.webhooks.delete(owner, req.webhookId)
    return {}


def get_batches(call: Call) -> dict[str, Any]:
    req = call.parse(WebhooksGetBatches)
    owner, _ = _readable(call, req.teamId)
    webhook = call.services.webhooks.get_one(owner, req.webhookId)
    _owner_for(call, req.teamId, entities_of(webhook.triggers))
    batches = call.services.webhooks.batches(owner, req.webhookId, req.batchId)
    return {"batches": [render_batch(b) for b in batches]}
