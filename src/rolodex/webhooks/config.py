"""Webhook knobs, from `ROLODEX_WEBHOOK_*` variables (docs/webhooks.md lists them)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebhookSettings(BaseSettings):
    """How webhooks are limited, delivered and retried."""

    model_config = SettingsConfigDict(env_prefix="ROLODEX_WEBHOOK_", extra="ignore")

    # Run the delivery worker inside `rolodex serve`; `rolodex worker` runs it alone.
    worker: bool = True
    # Let webhook URLs reach loopback and private networks (tests, private deployments).
    # Link-local (cloud metadata), multicast, unspecified and reserved stay refused.
    allow_private: bool = False
    max_per_owner: int = Field(default=20, ge=1)
    batch_size: int = Field(default=100, ge=1, le=1000)
    poll_seconds: float = Field(default=1.0, gt=0)
    # One attempt (resolve, connect, TLS, send, status line and headers) ends after
    # timeout_seconds in all, however the receiver paces its bytes; connecting alone
    # gets at most connect_timeout_seconds of it.
    connect_timeout_seconds: float = Field(default=5.0, gt=0)
    timeout_seconds: float = Field(default=15.0, gt=0)
    # Deliveries in flight at once in one process, and at most owner_concurrency of them
    # for one owner (account or team), so that one owner's slow or dead receivers never
    # hold every slot. A webhook's own batches still go one at a time, in order.
    concurrency: int = Field(default=16, ge=1, le=256)
    owner_concurrency: int = Field(default=4, ge=1)
    # A claimed batch is someone's for this long; a worker that dies mid-delivery loses
    # it after that. Far longer than one delivery can take (timeouts above).
    lease_seconds: float = Field(default=300.0, gt=0)
    # Retries: delay = retry_base * 3**(attempt-1), at most retry_max_delay, +-20% jitter,
    # until retry_give_up after the batch was made (about three days).
    retry_base_seconds: float = Field(default=10.0, ge=0)
    retry_max_delay_seconds: float = Field(default=6 * 3600.0, ge=0)
    retry_give_up_seconds: float = Field(default=3 * 24 * 3600.0, ge=0)
    history_days: int = Field(default=14, ge=1)
    # Extra certificate authorities (a PEM file) trusted for https:// webhook URLs, for
    # receivers behind a private CA. Unset: the usual public roots (certifi).
    ca_bundle: Path | None = None
