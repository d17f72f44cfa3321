"""Runtime settings, read from `ROLODEX_*` environment variables and the CLI.

One object carries every knob so that the server, the CLI and the tests build the
same application from the same facts. It sits at the bottom of the layers
(docs/architecture.md): the webhook and rate-limit knobs are here too, not in their
packages, so that every package may read the settings and the settings import none.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebhookSettings(BaseSettings):
    """How webhooks are limited, delivered and retried (docs/webhooks.md lists the knobs)."""

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


class HistorySettings(BaseSettings):
    """How long versions and deleted contacts are kept, and the mass-deletion guard
    (docs/history.md lists the knobs)."""

    model_config = SettingsConfigDict(env_prefix="ROLODEX_HISTORY_", extra="ignore")

    # A version older than `days` is purged, unless it is among the `keep` newest of its
    # contact: both promises hold at once.
    days: int = Field(default=90, ge=1)
    keep: int = Field(default=20, ge=0)
    # A deleted contact stays in the trash (restorable with its id, tags and photos) this
    # long, then becomes a plain tombstone.
    trash_days: int = Field(default=30, ge=1)
    # The background purge removes at most this many versions per pass, each pass one
    # short transaction, so it never holds the writers up for long.
    purge_batch: int = Field(default=1000, ge=1, le=100_000)
    # Between two cycles through the versions (a cycle's passes follow one another).
    purge_interval_seconds: float = Field(default=3600.0, gt=0)
    # The mass-deletion guard: a credential that deletes more than `guard_share` of a book
    # of at least `guard_min_book` contacts within `guard_window_seconds` is refused until
    # a person confirms on the web page.
    guard: bool = True
    guard_share: float = Field(default=0.5, gt=0, le=1)
    guard_min_book: int = Field(default=50, ge=1)
    guard_window_seconds: int = Field(default=600, ge=1)


class RateLimitSettings(BaseSettings):
    """How many requests a client address and a credential may make, and where counts live.

    Every limit is a number of requests per `window_seconds`; 0 turns that one rule off
    (docs/limits.md lists the knobs).
    """

    model_config = SettingsConfigDict(env_prefix="ROLODEX_RATE_LIMIT_", extra="ignore")

    enabled: bool = True
    # "memory" (counts per process), "redis" (shared by every process, ROLODEX_REDIS_URL)
    # or "module:Class" for a backend of your own (rolodex/ratelimit/backend.py).
    backend: str = Field(default="memory", min_length=1)
    window_seconds: int = Field(default=60, ge=1)
    # Every request from one client address, whatever it calls.
    per_address: int = Field(default=1200, ge=0)
    # Every request with one bearer token or API key (Contacts+ and personal APIs).
    per_credential: int = Field(default=600, ge=0)
    # The REST API's own limits per `x-api-key` (a key is "trial" when created with --trial).
    rest_key: int = Field(default=300, ge=0)
    rest_trial_key: int = Field(default=60, ge=0)
    # Stricter, per client address: `POST /login` and `POST /signup`, the token endpoints
    # (`/v3/oauth.*`, `/api/v1/oauth.*`) and `/oauth/authorize`.
    login: int = Field(default=10, ge=0)
    token: int = Field(default=30, ge=0)
    authorize: int = Field(default=30, ge=0)
    # How long a process remembers whether an API key is a trial key (no database round
    # trip per request); marking a key trial takes effect within this time.
    tier_cache_seconds: int = Field(default=60, ge=0)
    redis_prefix: str = Field(default="rolodex:rl:", min_length=1)


class Settings(BaseSettings):
    """Everything a Rolodex process needs to know about where it runs."""

    model_config = SettingsConfigDict(env_prefix="ROLODEX_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Folder for the SQLite store.")
    database_url: str | None = Field(
        default=None, description="PostgreSQL URL; when unset, SQLite in data_dir is used."
    )
    # SQLite durability: NORMAL in WAL mode survives a process crash (SIGKILL) with every
    # acknowledged commit; FULL also survives power loss at the price of an fsync per commit.
    sqlite_synchronous: str = Field(default="NORMAL", pattern="^(OFF|NORMAL|FULL|EXTRA)$")
    # Off for the worker processes of `rolodex serve --workers N`: the parent migrates
    # once before starting them, so they never race each other through Alembic.
    migrate_on_start: bool = True
    # Threads that run requests' (synchronous) store work in one server process.
    worker_threads: int = Field(default=8, ge=1, le=256)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # `POST /v1/contacts/import` (docs/limits.md): a file's bytes and contacts; 413 beyond.
    import_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    import_max_contacts: int = Field(default=100_000, ge=1)
    # `rolodex serve` (cli/header_limits.py): a request's line and headers may take at
    # most this many bytes (431 beyond) and this many seconds (then the line is cut).
    max_header_bytes: int = Field(default=64 * 1024, ge=1024)
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    access_token_ttl_seconds: int = Field(default=3600, ge=60)
    # Refresh tokens outlive access tokens by far (the spec's example expires in 2099);
    # a year, after which the user approves the app again.
    refresh_token_ttl_seconds: int = Field(default=365 * 24 * 3600, ge=3600)
    # Signs the web session cookies. Unset: a random key is made once and kept in the
    # database, so every process of one deployment agrees on it.
    secret_key: str | None = Field(default=None, min_length=16)
    scroll_default_size: int = Field(default=100, ge=1)
    scroll_max_size: int = Field(default=1000, ge=1)
    # The most a page of contacts may hold, by their stored size (docs/limits.md): a page
    # with a cursor ends early, a page by number over it is refused. Always one contact.
    page_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_contacts_per_owner: int = Field(default=2_000_000, ge=1)
    contacts_get_max_ids: int = Field(default=1000, ge=1)
    # Search (docs/search.md): phone numbers written without a country code are read as
    # numbers of this region (ISO 3166 code) when they are indexed and searched.
    default_phone_region: str = Field(default="US", pattern="^[A-Za-z]{2}$")
    # CardDAV over HTTP Basic (docs/carddav.md): accept the account's own password as well
    # as app passwords. Off: a password typed into a phone's settings stays out of reach
    # of every app the phone syncs with, and revoking one device is possible.
    carddav_allow_account_password: bool = False
    # Webhook delivery and limits, from ROLODEX_WEBHOOK_* (WebhookSettings below).
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    # Versions, trash and the mass-deletion guard, from ROLODEX_HISTORY_* (HistorySettings).
    history: HistorySettings = Field(default_factory=HistorySettings)
    # Contact photos (docs/photos.md): where their bytes live ("database", "filesystem" or
    # "module:Class"), the folder of the filesystem backend, and the upload limits.
    photo_storage: str = Field(default="database", min_length=1)
    photo_dir: Path | None = Field(default=None, description="Default: <data_dir>/photos.")
    photo_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # At most Pillow's own bomb threshold (Image.MAX_IMAGE_PIXELS), which refuses beyond it.
    photo_max_pixels: int = Field(default=40_000_000, ge=1, le=89_478_485)
    # Stored photos fit in a square of this many pixels; larger uploads are scaled down,
    # and a JPEG is decoded at a reduced size to begin with.
    photo_max_side: int = Field(default=2048, ge=256, le=65_535)
    # The memory all image decodes of one process may hold at once (photos/budget.py).
    photo_decode_budget_bytes: int = Field(default=256 * 2**20, ge=32 * 2**20)

    # Rate limits (docs/limits.md), from ROLODEX_RATE_LIMIT_* (RateLimitSettings below).
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)
    # Redis, for ROLODEX_RATE_LIMIT_BACKEND=redis (counts shared by every process).
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", min_length=1)
    # Every connection comes through a reverse proxy that sets X-Forwarded-For and
    # X-Forwarded-Proto: believe them for the client address (rate limits, logs) and for
    # TLS (HSTS, Secure cookies). Off by default, since anyone can send those headers.
    trust_proxy_headers: bool = False
    # Strict-Transport-Security max-age, sent only on responses that went over TLS.
    hsts_max_age_seconds: int = Field(default=31_536_000, ge=0)
    # One JSON line per request on stderr (logger "rolodex.access"), secrets redacted.
    access_log: bool = True
    # CardDAV (docs/carddav.md).
    # The largest card a CardDAV PUT may send (DAV max-resource-size); 413 beyond.
    carddav_max_card_bytes: int = Field(default=1_048_576, ge=4096)

    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL of the store: the named database, or SQLite in the data folder."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'rolodex.sqlite3').resolve()}"


def normalise_database_url(url: str) -> str:
    """Let people write the usual `postgresql://` URL; Rolodex talks to it through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
