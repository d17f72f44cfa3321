"""A short memory of account passwords that were right, for HTTP Basic.

When `carddav_allow_account_password` lets a CardDAV client send the account's own
password, checking it with argon2 on every request would cost ~50 ms of CPU each time
(a sync is dozens of requests). So a success is remembered for `ttl_seconds`, keyed
by a fast hash of the email and password: the password itself is never kept, and a
wrong password never matches a remembered key.

The memory lives in one process, but it cannot outlive a password change anywhere:
each entry holds the argon2 hash the password was verified against, and a hit counts
only while the account still has that very hash (argon2 salts every hash, so a new
password, even the same one set again, never has the old hash). The caller reads the
account's current hash (one indexed row, no argon2) and passes it to `recall`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

DEFAULT_TTL_SECONDS = 300
MAX_ENTRIES = 4096


@dataclass(frozen=True, slots=True)
class _Entry:
    account_id: str
    password_hash: str
    expires: float


def memory_key(email: str, password: str) -> str:
    """The key of an email and password: SHA-256, so the memory never holds the password."""
    material = b"rolodex.basic\0" + email.encode("utf-8", "replace") + b"\0"
    return hashlib.sha256(material + password.encode("utf-8", "replace")).hexdigest()


class PasswordMemory:
    """Remembered successes, oldest dropped first beyond `max_entries`; thread-safe."""

    def __init__(
        self, ttl_seconds: float = DEFAULT_TTL_SECONDS, max_entries: int = MAX_ENTRIES
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, key: str, account_id: str, password_hash: str) -> None:
        """Note that the password of `key` was right against `password_hash`."""
        entry = _Entry(account_id, password_hash, time.monotonic() + self.ttl_seconds)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def recall(self, key: str, current_hash: str | None) -> str | None:
        """The account id remembered for `key`, if the memory is fresh and the account
        still has the password hash it was checked against; otherwise forget it."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires > time.monotonic() and entry.password_hash == current_hash:
                return entry.account_id
            del self._entries[key]
            return None

    def __contains__(self, key: object) -> bool:
        """Whether `key` is remembered at all (fresh or not): worth reading the account for."""
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
