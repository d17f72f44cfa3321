"""Who calls: HTTP Basic (RFC 7617), the account's email and an app password.

The verifier comes from the services: app passwords (`services.app_passwords`, whose
`verify_basic` checks a hashed secret cheaply and throttles failures) when the server
has them; otherwise, and only when `carddav_allow_account_password` is set, the account
password, checked with argon2 by the accounts service behind the login throttle and then
remembered for `REMEMBER_SECONDS`, so that a phone's sync (dozens of requests) pays for
one argon2 run, not one per request. Only a digest of the password is remembered.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any

from rolodex.actors import APP_PASSWORD, Actor
from rolodex.oauth.credentials import Principal
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services

CHALLENGE = 'Basic realm="Rolodex"'
ACCOUNT_PASSWORD = "account_password"
REMEMBER_SECONDS = 60.0
_MAX_REMEMBERED = 10_000


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated request: the principal and the actor its writes are made as."""

    principal: Principal
    actor: Actor


@dataclass(frozen=True, slots=True)
class Refused:
    """No caller: 401, or 429 with `retry_after` when the throttle holds this address."""

    retry_after: int = 0


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(username, password) of an `Authorization: Basic` header, or None."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    if not colon or not username or not password:
        return None
    return username, password


class _Remembered:
    """Account passwords that verified, for a short while (per process, per store)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[int, str], tuple[float, Principal]] = {}

    @staticmethod
    def key(services: Services, email: str, password: str) -> tuple[int, str]:
        digest = hashlib.sha256(f"{email.lower()}\0{password}".encode()).hexdigest()
        return id(services), digest

    def get(self, key: tuple[int, str]) -> Principal | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] < time.monotonic():
                self._entries.pop(key, None)
                return None
            return found[1]

    def put(self, key: tuple[int, str], principal: Principal) -> None:
        with self._lock:
            if len(self._entries) >= _MAX_REMEMBERED:
                now = time.monotonic()
                self._entries = {k: v for k, v in self._entries.items() if v[0] >= now}
                if len(self._entries) >= _MAX_REMEMBERED:
                    self._entries.clear()
            self._entries[key] = (time.monotonic() + REMEMBER_SECONDS, principal)


_remembered = _Remembered()


def authenticate(
    services: Services, header: str | None, *, client_address: str, user_agent: str
) -> Caller | Refused:
    """The caller these Basic credentials name, or why not (blocking: run in a thread)."""
    pair = basic_credentials(header)
    if pair is None:
        return Refused()
    email, password = pair
    app_passwords: Any = getattr(services, "app_passwords", None)
    if app_passwords is not None:
        principal = app_passwords.verify_basic(
            email, password, client_address=client_address, user_agent=user_agent
        )
        if principal is not None:
            name = getattr(principal, "name", None) or "app password"
            return _caller(principal, str(name))
    if not services.settings.carddav_allow_account_password:
        return Refused()
    return _account_password(services, email, password, client_address)


def _account_password(
    services: Services, email: str, password: str, client_address: str
) -> Caller | Refused:
    key = _remembered.key(services, email, password)
    principal = _remembered.get(key)
    if principal is None:
        attempt = services.login_throttle.begin(email, client_address)
        if not attempt.allowed:
            return Refused(attempt.retry_after)
        account = services.accounts.authenticate(email, password)
        if account is None:
            return Refused()
        services.login_throttle.succeeded(attempt)
        principal = Principal(account.account_id, ALL_SCOPES, ACCOUNT_PASSWORD, "")
        _remembered.put(key, principal)
    return _caller(principal, "account password")


def _caller(principal: Principal, name: str) -> Caller:
    actor = Actor(
        kind=APP_PASSWORD,
        name=name,
        account_id=principal.account_id,
        credential_id=principal.credential_id or None,
    )
    return Caller(principal, actor)
