"""The mass-deletion guard: a credential deleting much of a book at once is held.

The usual disaster with synced contacts is a client that deletes the whole book (a phone
reset, a buggy sync app). A credential that deletes more than `guard_share` of a book of at
least `guard_min_book` contacts within `guard_window_seconds` is refused (`DeletionsHeld`,
each API's 409) until a person confirms on the web page (`release`). Only credentials are
held (OAuth apps, API keys, app passwords): the address book and the CLI are a person.

The check runs before the deletion's transaction, so a trip is recorded in its own short
transaction and stays after the refused write rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from rolodex.actors import API_KEY, APP_PASSWORD, OAUTH_APP, Actor
from rolodex.errors import DeletionsHeld
from rolodex.history.repository import VersionRepository
from rolodex.settings import HistorySettings
from rolodex.store import Store
from rolodex.store.schema import deletion_holds, owner_counts
from rolodex.timestamps import now_ms

_GUARDED = frozenset({OAUTH_APP, API_KEY, APP_PASSWORD})


@dataclass(frozen=True, slots=True)
class Hold:
    """A credential whose deletions the guard holds in one book."""

    owner_id: str
    credential_id: str
    name: str
    tripped_at: int


class DeletionGuard:
    def __init__(self, store: Store, settings: HistorySettings) -> None:
        self.store = store
        self.settings = settings

    def check(self, owner_id: str, actor: Actor | None, count: int = 1) -> None:
        """Refuse `count` more deletions by `actor` in `owner_id`'s book (one, or a whole
        CardDAV book's at once) if the guard holds it."""
        if not self.settings.guard or actor is None or actor.credential_id is None:
            return
        if actor.kind not in _GUARDED:
            return
        now = now_ms()
        with self.store.read() as conn:
            hold = conn.execute(
                select(deletion_holds.c.tripped_at, deletion_holds.c.released_at).where(
                    deletion_holds.c.owner_id == owner_id,
                    deletion_holds.c.source_key == actor.credential_id,
                )
            ).first()
            if hold is not None and hold.released_at is None:
                raise _held(actor)
            since = now - self.settings.guard_window_seconds * 1000
            if hold is not None:
                since = max(since, int(hold.released_at))
            deleted = VersionRepository.count_deletions(
                conn, owner_id, actor.name[:256], actor.credential_id, since
            )
            live = conn.execute(
                select(owner_counts.c.live).where(owner_counts.c.owner_id == owner_id)
            ).scalar()
        book = int(live or 0) + deleted
        if (
            book < self.settings.guard_min_book
            or deleted + count <= self.settings.guard_share * book
        ):
            return
        self._trip(owner_id, actor, now, exists=hold is not None)
        raise _held(actor)

    def _trip(self, owner_id: str, actor: Actor, now: int, *, exists: bool) -> None:
        assert actor.credential_id is not None
        values = {"source_name": actor.name[:256], "tripped_at": now, "released_at": None}
        with self.store.write(owner_id=owner_id) as conn:
            if exists:
                conn.execute(
                    update(deletion_holds)
                    .where(
                        deletion_holds.c.owner_id == owner_id,
                        deletion_holds.c.source_key == actor.credential_id,
                    )
                    .values(**values)
                )
            else:
                conn.execute(
                    insert(deletion_holds).values(
                        owner_id=owner_id, source_key=actor.credential_id, **values
                    )
                )

    def holds(self, owner_id: str) -> list[Hold]:
        """The credentials held in this book now, newest trip first (the web page lists them)."""
        with self.store.read() as conn:
            rows = conn.execute(
                select(deletion_holds)
                .where(
                    deletion_holds.c.owner_id == owner_id,
                    deletion_holds.c.released_at.is_(None),
                )
                .order_by(deletion_holds.c.tripped_at.desc())
            )
            return [Hold(r.owner_id, r.source_key, r.source_name, r.tripped_at) for r in rows]

    def release(self, owner_id: str, credential_id: str) -> bool:
        """A person confirmed: the credential may go on deleting; deletions so far stop
        counting against it. False when nothing was held."""
        with self.store.write(owner_id=owner_id) as conn:
            result = conn.execute(
                update(deletion_holds)
                .where(
                    deletion_holds.c.owner_id == owner_id,
                    deletion_holds.c.source_key == credential_id,
                    deletion_holds.c.released_at.is_(None),
                )
                .values(released_at=now_ms())
            )
        return bool(result.rowcount)


def _held(actor: Actor) -> DeletionsHeld:
    return DeletionsHeld(
        f"'{actor.name}' deleted a large share of this address book in a short time;"
        " its deletions are held until you confirm them in the address book (Recent activity)",
        field="contactId",
    )
