"""Runtime settings, read from `ROLODEX_*` environment variables and the CLI.

One object carries every knob so that the server, the CLI and the tests build the
same application from the same facts.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from rolodex.ratelimit.config import RateLimitSettings
from rolodex.webhooks.config import WebhookSettings


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
    # Webhook delivery and limits, from ROLODEX_WEBHOOK_* (rolodex/webhooks/config.py).
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
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

    # Rate limits (docs/limits.md), from ROLODEX_RATE_LIMIT_* (rolodex/ratelimit/config.py).
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
