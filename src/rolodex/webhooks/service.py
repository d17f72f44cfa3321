"""The webhook service: making, finding and removing webhooks, and reading their batches.

Scopes are the API's business; this service is handed the owner (account or team)
already checked. A new webhook starts at the owner's current end of the change log, so
it reports what happens after it was made, and nothing from before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rolodex.errors import InvalidInput, LimitExceeded, NotFound
from rolodex.ids import new_id
from rolodex.settings import WebhookSettings
from rolodex.store import Store
from rolodex.store.changelog import ChangeLog
from rolodex.timestamps import now_ms
from rolodex.webhooks import signing
from rolodex.webhooks.addresses import AddressRefused, check_url
from rolodex.webhooks.model import TRIGGERS, Batch, CreatedWebhook, Webhook
from rolodex.webhooks.repository import WebhookRepository

PAGE_SIZE = 100
MAX_BATCHES_SHOWN = 100
DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class WebhookPage:
    webhooks: list[Webhook]
    more: bool


def check_triggers(trigger_ids: Sequence[str], *, field: str = "triggerIds") -> list[str]:
    """The triggers, each once, in the order given; an unknown one is a 400 naming it."""
    unknown = [t for t in trigger_ids if t not in TRIGGERS]
    if unknown:
        raise InvalidInput(
            f"unknown trigger(s): {', '.join(unknown)}; see webhooks.getTriggers", field=field
        )
    return list(dict.fromkeys(trigger_ids))


class WebhookService:
    def __init__(self, store: Store, settings: WebhookSettings) -> None:
        self.store = store
        self.settings = settings
        self.repo = WebhookRepository

    @staticmethod
    def triggers() -> list[str]:
        return list(TRIGGERS)

    def create(
        self,
        owner_id: str,
        account_id: str,
        url: str,
        trigger_ids: Sequence[str],
        *,
        team_id: str | None = None,
    ) -> CreatedWebhook:
        """Store a webhook and return it with its signing secret (shown only now).

        The URL must be http(s) and every address its host resolves to must be
        deliverable (addresses.py); delivery checks again at every connection.
        """
        triggers = check_triggers(trigger_ids)
        if not triggers:
            raise InvalidInput("name at least one trigger", field="triggerIds")
        try:
            check_url(url, allow_private=self.settings.allow_private)
        except AddressRefused as exc:
            raise InvalidInput(f"the url {exc}", field="url") from None
        secret = signing.new_secret()
        # The owner's lock orders this with the owner's writes: the cursor is exactly
        # the last change before the webhook existed.
        with self.store.write(owner_id=owner_id) as conn:
            if self.repo.count(conn, owner_id) >= self.settings.max_per_owner:
                raise LimitExceeded(
                    f"at most {self.settings.max_per_owner} webhooks per account or team",
                    field="url",
                )
            webhook = Webhook(
                webhook_id=new_id("wh_"),
                owner_id=owner_id,
                account_id=account_id,
                team_id=team_id,
                url=url,
                triggers=triggers,
                created_at=now_ms(),
                cursor_seq=ChangeLog.last_seq(conn, owner_id),
                disabled_at=None,
                disabled_reason=None,
            )
            self.repo.insert(conn, webhook, secret)
        return CreatedWebhook(webhook, secret)

    def _page(self, found: list[Webhook], page: int | None) -> WebhookPage:
        number = 1 if page is None else page
        if number < 1:
            raise InvalidInput("pages are numbered from 1", field="page")
        start = (number - 1) * PAGE_SIZE
        return WebhookPage(found[start : start + PAGE_SIZE], len(found) > start + PAGE_SIZE)

    def get_many(
        self, owner_id: str, webhook_ids: Sequence[str], *, page: int | None = None
    ) -> WebhookPage:
        """The owner's webhooks among the ids, in the order asked; unknown ids are skipped."""
        with self.store.read() as conn:
            by_id = {w.webhook_id: w for w in self.repo.of_owner(conn, owner_id)}
        wanted = list(dict.fromkeys(webhook_ids))
        return self._page([by_id[i] for i in wanted if i in by_id], page)

    def search(
        self,
        owner_id: str,
        *,
        url: str | None = None,
        trigger_ids: Sequence[str] | None = None,
        page: int | None = None,
    ) -> WebhookPage:
        """The owner's webhooks, oldest first: with exactly this URL, if given, and
        subscribed to any of the triggers, if given."""
        wanted = set(check_triggers(trigger_ids or []))
        with self.store.read() as conn:
            found = self.repo.of_owner(conn, owner_id)
        if url is not None:
            found = [w for w in found if w.url == url]
        if wanted:
            found = [w for w in found if wanted.intersection(w.triggers)]
        return self._page(found, page)

    def get_one(self, owner_id: str, webhook_id: str) -> Webhook:
        with self.store.read() as conn:
            webhook = self.repo.one(conn, owner_id, webhook_id)
        if webhook is None:
            raise NotFound("no such webhook", field="webhookId")
        return webhook

    def delete(self, owner_id: str, webhook_id: str) -> None:
        """Remove the webhook and its batches; no batch of it is sent once this returns
        (bar one already on the wire)."""
        with self.store.write() as conn:
            if not self.repo.delete(conn, owner_id, webhook_id):
                raise NotFound("no such webhook", field="webhookId")

    def batches(self, owner_id: str, webhook_id: str, batch_id: str | None = None) -> list[Batch]:
        """The webhook's batches of the last 14 days (or the one asked for), newest first."""
        since = now_ms() - self.settings.history_days * DAY_MS
        with self.store.read() as conn:
            if self.repo.one(conn, owner_id, webhook_id) is None:
                raise NotFound("no such webhook", field="webhookId")
            return self.repo.batches(
                conn, webhook_id, since=since, batch_id=batch_id, limit=MAX_BATCHES_SHOWN
            )
