"""Login throttling: too many failed logins for one email or from one address, and the
next attempts are refused for a while.

Failures are rows in the database, so the count holds across processes and restarts.
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select

from rolodex.accounts.validation import normalise_email
from rolodex.store import Store
from rolodex.store.schema import login_failures
from rolodex.timestamps import now_ms

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _keys(email: str, address: str) -> list[str]:
    return [f"email:{normalise_email(email)[:320]}", f"addr:{address[:64]}"]


class LoginThrottle:
    def __init__(
        self,
        store: Store,
        *,
        max_failures: int = MAX_FAILURES,
        window_seconds: int = WINDOW_SECONDS,
    ) -> None:
        self.store = store
        self.max_failures = max_failures
        self.window_ms = window_seconds * 1000

    def is_blocked(self, email: str, address: str) -> bool:
        """Whether the email or the address has failed `max_failures` times in the window."""
        since = now_ms() - self.window_ms
        with self.store.read() as conn:
            counts = conn.execute(
                select(login_failures.c.key, func.count())
                .where(login_failures.c.key.in_(_keys(email, address)))
                .where(login_failures.c.failed_at > since)
                .group_by(login_failures.c.key)
            ).all()
        return any(count >= self.max_failures for _key, count in counts)

    def record_failure(self, email: str, address: str) -> None:
        now = now_ms()
        with self.store.write() as conn:
            conn.execute(
                insert(login_failures),
                [{"key": key, "failed_at": now} for key in _keys(email, address)],
            )
            # Old rows say nothing any more; drop them as we go.
            conn.execute(
                delete(login_failures).where(login_failures.c.failed_at <= now - self.window_ms)
            )

    def record_success(self, email: str) -> None:
        """A correct password clears the email's failures (the address's stay)."""
        with self.store.write() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key == _keys(email, "")[0]))
