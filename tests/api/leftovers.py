"""What a refused write must leave as it was: an owner's tags, contacts, change log, webhook events.

Every write is one transaction, so a request that is refused (400, 404, 409, 412) leaves
no trace: no tag made on the way, no contact changed, no change-log entry, and so no
webhook event. `Watch` reads all four for one owner, straight from the services; a test
takes them before and after the refused request and compares. A webhook on the owner
(never delivered: no worker runs in these tests) has its batches built on each reading,
so an event would show as a batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import orjson

from rolodex.services import Services
from rolodex.store.changelog import ChangeLog
from rolodex.webhooks.batching import BatchBuilder
from rolodex.webhooks.model import TRIGGERS

# A public address needs no DNS; nothing is ever delivered to it in these tests.
PUBLIC = "https://93.184.215.14/hooks/rolodex"


@dataclass(frozen=True, slots=True)
class Traces:
    """An owner's tags, contacts (deleted ones included), last change and webhook events."""

    tags: tuple[tuple[Any, ...], ...]
    contacts: tuple[tuple[Any, ...], ...]
    last_change: int
    events: tuple[dict[str, Any], ...]


class Watch:
    """The traces of one owner's writes, read the same way before and after a request."""

    def __init__(self, services: Services, owner_id: str) -> None:
        self.services = services
        self.owner_id = owner_id
        made = services.webhooks.create(owner_id, owner_id, PUBLIC, list(TRIGGERS))
        self.webhook_id = made.webhook.webhook_id
        self.marked: Traces | None = None

    @classmethod
    def marked_now(cls, services: Services, owner_id: str) -> Watch:
        """A watch on the owner, its traces taken now."""
        watch = cls(services, owner_id)
        watch.mark()
        return watch

    def mark(self) -> None:
        """Take the traces a refused request must leave as they are."""
        self.marked = self.traces()

    def assert_unchanged(self) -> None:
        assert self.marked is not None, "mark() first"
        assert self.traces() == self.marked

    def refused(self, response: Any, status: int) -> None:
        """The request was answered `status`, and every trace of the owner is as it was."""
        assert response.status_code == status, response.text
        self.assert_unchanged()

    def assert_written(self, *, tags: bool = True) -> None:
        """The traces since `mark()` show a write (so `refused` can fail): the contacts,
        the change log and the events changed, and the tags too when `tags`."""
        before, after = self.marked, self.traces()
        assert before is not None, "mark() first"
        assert (after.tags != before.tags) is tags
        assert after.contacts != before.contacts
        assert after.last_change > before.last_change
        assert len(after.events) > len(before.events)

    def traces(self) -> Traces:
        services, owner = self.services, self.owner_id
        size = services.contacts.limits.max_page_size
        tags = services.tags.scroll(owner, size=size, include_deleted=True)
        contacts = services.contacts.scroll(owner, size=size, include_deleted=True)
        assert tags.cursor is None, "a watched owner keeps few"
        assert contacts.cursor is None, "a watched owner keeps few"
        webhook = services.webhooks.get_one(owner, self.webhook_id)
        builder = BatchBuilder(services.store, batch_size=1000)
        while builder.build_one(webhook) is not None:
            pass
        with services.store.read() as conn:
            last_change = ChangeLog.last_seq(conn, owner)
        return Traces(
            tags=tuple((t.tag_id, t.name, t.etag, t.deleted_at) for t in tags.tags),
            contacts=tuple(
                (
                    c.contact_id,
                    c.etag,
                    c.updated_at,
                    c.deleted_at,
                    tuple(c.tag_ids),
                    orjson.dumps(c.data, option=orjson.OPT_SORT_KEYS),
                    orjson.dumps(c.meta, option=orjson.OPT_SORT_KEYS),
                )
                for c in contacts.contacts
            ),
            last_change=last_change,
            events=tuple(
                event
                for batch in services.webhooks.batches(owner, self.webhook_id)
                for event in batch.events
            ),
        )


@contextmanager
def contacts_limit(services: Services, most: int) -> Iterator[None]:
    """Every address book may hold at most `most` contacts, for the length of the block."""
    limits = services.contacts.limits
    services.contacts.limits = replace(limits, max_contacts_per_owner=most)
    try:
        yield
    finally:
        services.contacts.limits = limits
