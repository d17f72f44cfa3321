"""Rate-limit knobs, from `ROLODEX_RATE_LIMIT_*` variables (docs/limits.md lists them).

Every limit is a number of requests per `window_seconds`; 0 turns that one rule off.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RateLimitSettings(BaseSettings):
    """How many requests a client address and a credential may make, and where counts live."""

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
