"""Which limits a request falls under, from its path, method, address and credential.

Pure functions of the request line and headers: no I/O, so the hot path stays cheap.
Counter keys never hold a secret: a credential is counted under a hash of it (and not
the hash the credentials table stores, so a leaked counter store matches nothing there).
"""

from __future__ import annotations

import hashlib

from rolodex.ratelimit.backend import Hit
from rolodex.settings import RateLimitSettings

# The wire dialect a path belongs to: its 429 answer takes that dialect's error shape.
CONTACTSPLUS = "contactsplus"
REST = "rest"
PERSONAL = "personal"
OAUTH = "oauth"
WEB = "web"

# HTML pages (a 429 there is a page too); the API docs at /docs are pages as well.
_WEB_PREFIXES = ("/login", "/signup", "/logout", "/developer/", "/settings/", "/oauth/", "/docs")
# Page POSTs that try a password or make an account: the login rule.
_LOGIN_PATHS = frozenset({"/login", "/signup"})
_MAX_SECRET = 4096


def dialect_of(path: str) -> str | None:
    """The dialect of a path, or None for what is never limited (health, static files)."""
    if path.startswith("/v3/oauth.") or path.startswith("/api/v1/oauth."):
        return OAUTH
    if path.startswith("/api/user/"):
        return PERSONAL
    if path.startswith("/api/") or path.startswith("/photos/"):
        return CONTACTSPLUS
    if path == "/v1/contacts" or path.startswith("/v1/"):
        return REST
    if path == "/healthz" or path.startswith("/static/"):
        return None
    if path == "/" or path.startswith(_WEB_PREFIXES):
        return WEB
    # Anything else is a 404 answered in the app-wide (Contacts+) shape.
    return CONTACTSPLUS


def presented_secret(authorization: str | None, api_key: str | None) -> str | None:
    """The credential a request presents: `Authorization: Bearer|Basic ...` or `x-api-key`."""
    if api_key and api_key.strip():
        return api_key.strip()[:_MAX_SECRET]
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() in ("bearer", "basic") and value.strip():
            return value.strip()[:_MAX_SECRET]
    return None


def credential_key(secret: str) -> str:
    return hashlib.sha256(b"rolodex.ratelimit\0" + secret.encode("utf-8")).hexdigest()[:40]


def hits_for(
    config: RateLimitSettings,
    dialect: str,
    method: str,
    path: str,
    address: str,
    credential: str | None,
    trial_key: bool = False,
) -> list[Hit]:
    """The limits one request counts against (rules whose limit is 0 are off)."""
    window = config.window_seconds
    rules: list[tuple[str, int]] = [(f"addr:{address}", config.per_address)]
    if dialect == OAUTH:
        rules.append((f"token:{address}", config.token))
    elif dialect == WEB:
        if path == "/oauth/authorize":
            rules.append((f"authorize:{address}", config.authorize))
        elif method == "POST" and path in _LOGIN_PATHS:
            rules.append((f"login:{address}", config.login))
    if credential is not None:
        if dialect == REST:
            limit = config.rest_trial_key if trial_key else config.rest_key
            rules.append((f"rest:{credential}", limit))
        else:
            rules.append((f"cred:{credential}", config.per_credential))
    return [Hit(key, limit, window) for key, limit in rules if limit > 0]
