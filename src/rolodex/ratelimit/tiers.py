"""API key tiers: a "trial" key gets the REST API's lower limit.

The tier is a column of the key's row in `credentials` (NULL: a normal key). Looking it
up on every request would add a database round trip to each, so each process keeps what
it learnt for `tier_cache_seconds`; a key marked trial is slowed within that time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from sqlalchemy import bindparam, select, update

from rolodex.errors import NotFound
from rolodex.oauth.credentials import API_KEY, hash_secret
from rolodex.store import Store
from rolodex.store.schema import credentials

TRIAL = "trial"
TIERS = (TRIAL,)

_TIER_BY_SECRET = select(credentials.c.tier).where(
    credentials.c.secret_hash == bindparam("secret_hash"), credentials.c.kind == API_KEY
)
_MAX_ENTRIES = 10_000


def set_tier(store: Store, credential_id: str, tier: str | None) -> None:
    """Mark an API key trial (or, with None, normal again)."""
    if tier is not None and tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS} or None")
    with store.write() as conn:
        result = conn.execute(
            update(credentials)
            .where(credentials.c.credential_id == credential_id, credentials.c.kind == API_KEY)
            .values(tier=tier)
        )
    if not result.rowcount:
        raise NotFound("no such API key", field="id")


class TierCache:
    """Whether a presented API key is a trial key, remembered for a while per process."""

    def __init__(self, store: Store, ttl_seconds: float) -> None:
        self.store = store
        self.ttl = ttl_seconds
        self._known: OrderedDict[str, tuple[bool, float]] = OrderedDict()
        self._lock = threading.Lock()

    def cached(self, key: str) -> bool | None:
        """The remembered answer for a credential key (rules.credential_key), if fresh."""
        with self._lock:
            entry = self._known.get(key)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def lookup(self, key: str, secret: str) -> bool:
        """Ask the database (run this off the event loop) and remember the answer.

        Unknown keys count as normal ones: the REST API refuses them anyway, and the
        per-address limit still applies.
        """
        with self.store.read() as conn:
            tier = conn.execute(_TIER_BY_SECRET, {"secret_hash": hash_secret(secret)}).scalar()
        trial = tier == TRIAL
        with self._lock:
            self._known[key] = (trial, time.monotonic() + self.ttl)
            self._known.move_to_end(key)
            while len(self._known) > _MAX_ENTRIES:
                self._known.popitem(last=False)
        return trial
