"""One delivery attempt: a signed POST under one total deadline, and what came of it.

The deadline (`ROLODEX_WEBHOOK_TIMEOUT_SECONDS`, 15 s) covers the whole attempt:
resolving the host, connecting, TLS, sending the body and reading the status line and
headers. It is set from outside the transport (`anyio.fail_after`), so no receiver can
stretch it: one that answers a header byte every second still loses the connection at
15 s, where per-read time-outs (reset by every byte) would have waited for as long as
it kept trickling (docs/reliability.md, "Webhook delivery").
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import anyio
import httpx
import orjson

from rolodex.settings import WebhookSettings
from rolodex.webhooks import signing
from rolodex.webhooks.backoff import parse_retry_after
from rolodex.webhooks.model import Batch
from rolodex.webhooks.transport import guarded_client

MAX_ERROR = 500


@dataclass(frozen=True)
class Outcome:
    """What an attempt came to: a status, or an error (never both), and `Retry-After`."""

    status: int | None
    error: str | None
    retry_after: float | None = None


def payload(batch: Batch) -> bytes:
    """The body sent for a batch: the same bytes' content on every attempt."""
    return orjson.dumps(
        {"batchId": batch.batch_id, "webhookId": batch.webhook_id, "events": batch.events}
    )


async def attempt(batch: Batch, url: str, secret: str, settings: WebhookSettings) -> Outcome:
    """POST the batch to `url`, signed, within the total deadline; never raises for a
    failure of the receiver or the network (each is an outcome to record and retry)."""
    body = payload(batch)
    headers = signing.headers(secret, batch.batch_id, int(time.time()), body)
    headers["content-type"] = "application/json"
    headers["user-agent"] = "Rolodex-Webhooks/1"
    deadline = settings.timeout_seconds
    try:
        with anyio.fail_after(deadline):
            client = guarded_client(
                allow_private=settings.allow_private,
                connect_timeout=settings.connect_timeout_seconds,
                timeout=deadline,
                ca_bundle=settings.ca_bundle,
            )
            # Streamed and never read: only the status matters, and a receiver must not
            # be able to make the worker hold a huge answer in memory.
            async with (
                client,
                client.stream("POST", url, content=body, headers=headers) as response,
            ):
                retry_after = parse_retry_after(response.headers.get("retry-after"), time.time())
                return Outcome(response.status_code, None, retry_after)
    except TimeoutError:
        return Outcome(None, f"Timeout: no answer within {deadline:g} s in all")
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
        # Every way a request can fail is an outcome to record and retry, never a crash
        # of the worker (which would leave the batch leased until the lease expires).
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR])
