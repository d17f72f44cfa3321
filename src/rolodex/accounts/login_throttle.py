"""Login throttling: growing delays per client address and per address-and-account.

Issue 20: five failures for an email used to lock its owner out for 15 minutes, so
anyone anywhere could keep anyone out. Now nothing is keyed by the account alone:

- per (client address, account): the first `FREE_PER_ACCOUNT` failures cost nothing;
  after the n-th failure beyond them the next attempt must wait 2^n seconds (1, 2, 4...)
  counted from the last failure, at most `MAX_DELAY_SECONDS`;
- per client address, over all accounts: the same after `FREE_PER_ADDRESS` failures, so
  one address cannot try a few passwords on each of many accounts.

The owner, from any other address, is never slowed by a stranger's failures. A correct
password clears the (address, account) count and does not count against the address.
Failures are forgotten after `MEMORY_SECONDS`. An attempt refused for its delay is not
counted (it tried nothing), so hammering does not lengthen the wait.

State is rows of `login_failures` in the store (DESIGN.md: nothing a second process
would need lives outside the database), so every process behind a load balancer sees
the same counts. Each attempt is counted *before* the password is checked, in one write
transaction that also makes the decision (on PostgreSQL under an advisory lock on the
address), so parallel attempts cannot all slip in under one delay. Keys hold hashes,
never the email or the address typed.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, CursorResult, delete, func, insert, select

from rolodex.accounts.validation import normalise_email
from rolodex.store import Store
from rolodex.store.schema import login_failures
from rolodex.timestamps import now_ms

FREE_PER_ACCOUNT = 5
FREE_PER_ADDRESS = 20
MAX_DELAY_SECONDS = 15 * 60
MEMORY_SECONDS = 24 * 60 * 60


def delay_seconds(failures: int, free: int, cap: int = MAX_DELAY_SECONDS) -> int:
    """How long to wait after the last of `failures` before the next attempt."""
    if failures < free:
        return 0
    # 2^10 s already exceeds the default cap; the min() keeps any cap honest.
    return min(1 << min(failures - free, 30), cap)


def _hashed(kind: str, value: str) -> str:
    return (
        f"{kind}:"
        + hashlib.sha256(b"rolodex.login\0" + value.encode("utf-8", "replace")).hexdigest()[:40]
    )


@dataclass(frozen=True, slots=True)
class LoginAttempt:
    """One attempt to log in: allowed (and counted) or refused for `retry_after` seconds."""

    allowed: bool
    retry_after: int
    account_key: str
    address_key: str
    address_row: int | None = None


class LoginThrottle:
    def __init__(
        self,
        store: Store,
        *,
        free_per_account: int = FREE_PER_ACCOUNT,
        free_per_address: int = FREE_PER_ADDRESS,
        max_delay_seconds: int = MAX_DELAY_SECONDS,
        memory_seconds: int = MEMORY_SECONDS,
    ) -> None:
        self.store = store
        self.free_per_account = free_per_account
        self.free_per_address = free_per_address
        self.max_delay_seconds = max_delay_seconds
        self.memory_ms = memory_seconds * 1000

    def begin(self, email: str, address: str, *, now: int | None = None) -> LoginAttempt:
        """Decide whether this attempt may check a password; if so, count it as a failure
        until `succeeded` says otherwise."""
        now = now_ms() if now is None else now
        address = address[:64]
        account_key = _hashed("pair", f"{address}\0{normalise_email(email)[:320]}")
        address_key = _hashed("addr", address)
        with self.store.write(owner_id="login-throttle:" + address) as conn:
            wait_ms = max(
                self._wait_ms(conn, account_key, self.free_per_account, now),
                self._wait_ms(conn, address_key, self.free_per_address, now),
            )
            if wait_ms > 0:
                return LoginAttempt(
                    False, max(1, math.ceil(wait_ms / 1000)), account_key, address_key
                )
            conn.execute(insert(login_failures).values(key=account_key, failed_at=now))
            row = conn.execute(insert(login_failures).values(key=address_key, failed_at=now))
            # Rows past the memory say nothing any more; drop them as we go.
            conn.execute(
                delete(login_failures).where(login_failures.c.failed_at <= now - self.memory_ms)
            )
        return LoginAttempt(True, 0, account_key, address_key, _inserted_pk(row))

    def _wait_ms(self, conn: Connection, key: str, free: int, now: int) -> int:
        failures, last = conn.execute(
            select(func.count(), func.max(login_failures.c.failed_at)).where(
                login_failures.c.key == key, login_failures.c.failed_at > now - self.memory_ms
            )
        ).one()
        delay = delay_seconds(int(failures), free, self.max_delay_seconds)
        if not delay or last is None:
            return 0
        return int(last) + delay * 1000 - now

    def succeeded(self, attempt: LoginAttempt) -> None:
        """The password was right: clear the (address, account) failures, and take this
        attempt off the address's count (its earlier failures stay, so logging in to an
        account of one's own does not reset an address that tried others)."""
        with self.store.write() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key == attempt.account_key))
            if attempt.address_row is not None:
                conn.execute(
                    delete(login_failures).where(login_failures.c.pk == attempt.address_row)
                )


def _inserted_pk(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
