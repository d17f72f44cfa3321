"""The actor a principal stands for in the history: its kind and the name a person reads.

An access token is its OAuth app (the app's name); an API key is the key (its name). The
names are read once per credential and kept for a minute: the edges state the actor on
every call (rolodex.actors), and a name changes rarely.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from rolodex.actors import API_KEY as API_KEY_ACTOR
from rolodex.actors import OAUTH_APP, Actor
from rolodex.oauth.credentials import ACCESS_TOKEN, API_KEY, Principal
from rolodex.store import Store
from rolodex.store.schema import credentials, oauth_apps

_TTL_SECONDS = 60.0
_MAX_CACHED = 10_000
_KINDS = {ACCESS_TOKEN: OAUTH_APP, API_KEY: API_KEY_ACTOR}
_FALLBACK = {ACCESS_TOKEN: "OAuth app", API_KEY: "API key"}

_cache: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


def actor_of(store: Store, principal: Principal) -> Actor:
    """The actor of a request authenticated as `principal`."""
    return Actor(
        kind=_KINDS.get(principal.kind, principal.kind),
        name=_name(store, principal),
        account_id=principal.account_id,
        credential_id=principal.credential_id,
    )


def _name(store: Store, principal: Principal) -> str:
    now = time.monotonic()
    with _lock:
        cached = _cache.get(principal.credential_id)
    if cached is not None and now - cached[0] < _TTL_SECONDS:
        return cached[1]
    with store.read() as conn:
        row = conn.execute(
            select(credentials.c.name, oauth_apps.c.name.label("app"))
            .select_from(
                credentials.outerjoin(oauth_apps, oauth_apps.c.client_id == credentials.c.client_id)
            )
            .where(credentials.c.credential_id == principal.credential_id)
        ).first()
    name = (row.app or row.name) if row is not None else None
    name = name or _FALLBACK.get(principal.kind, principal.kind)
    with _lock:
        if len(_cache) >= _MAX_CACHED:
            _cache.clear()
        _cache[principal.credential_id] = (now, name)
    return name
