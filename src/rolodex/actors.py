"""Who is making the current write, as the history of a contact will name it.

Each protocol settles who is calling at its edge (an OAuth app, an API key, an app
password, the address book, an import); the capabilities below it must not know about
credentials (the `address-book-below-credentials` contract), yet every kept version says
who made the change (docs/history.md). So the edge states the actor for the request with
`acting_as`, and whatever records a write reads `current()`: a context variable, which
Starlette's thread pool and anyio carry into the handler's thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# The kinds of actor a version's `source.kind` may name.
OAUTH_APP = "oauth_app"
API_KEY = "api_key"
APP_PASSWORD = "app_password"
ADDRESS_BOOK = "address_book"
IMPORT = "import"
MERGE = "merge"
CLI = "cli"
SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """The account and credential behind a write; `name` is what a person reads."""

    kind: str
    name: str
    account_id: str | None = None
    credential_id: str | None = None


_CURRENT: ContextVar[Actor | None] = ContextVar("rolodex_actor", default=None)


def current() -> Actor | None:
    """The actor stated by the nearest enclosing `acting_as`, if any."""
    return _CURRENT.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """State who makes the writes inside the block; the previous actor comes back after."""
    token = _CURRENT.set(actor)
    try:
        yield actor
    finally:
        _CURRENT.reset(token)


@contextmanager
def importing() -> Iterator[Actor]:
    """State a file import's writes: kind `import`, with the account and credential of
    whoever asked for it (so that undoing that credential undoes its imports too)."""
    outer = current()
    actor = Actor(
        kind=IMPORT,
        name="import",
        account_id=outer.account_id if outer else None,
        credential_id=outer.credential_id if outer else None,
    )
    with acting_as(actor):
        yield actor
