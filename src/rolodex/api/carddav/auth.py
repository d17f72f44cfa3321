"""Who calls: HTTP Basic (RFC 7617), the account's email and an app password.

The check is the app passwords' (`services.app_passwords.check_basic`): a hashed secret
looked up cheaply, failures throttled per address and account, and the account's own
password only when `carddav_allow_account_password` is set (then argon2 runs once and
the success is remembered briefly, so a phone's sync pays for one run, not one per
request). Writes are made as the app password, by its name, for the history.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from rolodex.actors import APP_PASSWORD, Actor
from rolodex.oauth.credentials import Principal
from rolodex.services import Services

CHALLENGE = 'Basic realm="Rolodex"'


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


def authenticate(
    services: Services, header: str | None, *, client_address: str, user_agent: str
) -> Caller | Refused:
    """The caller these Basic credentials name, or why not (blocking: run in a thread)."""
    pair = basic_credentials(header)
    if pair is None:
        return Refused()
    email, password = pair
    check = services.app_passwords.check_basic(
        email, password, client_address=client_address, user_agent=user_agent
    )
    if check.principal is None:
        return Refused(check.retry_after)
    return _caller(check.principal, check.name or "account password")


def _caller(principal: Principal, name: str) -> Caller:
    actor = Actor(
        kind=APP_PASSWORD,
        name=name,
        account_id=principal.account_id,
        credential_id=principal.credential_id or None,
    )
    return Caller(principal, actor)
