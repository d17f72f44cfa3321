"""PostgreSQL: a `tsvector` per contact in `contact_search`, under a GIN index.

The documents and queries are literals written in Python (lexemes.py), not through
`to_tsvector`, so no user text is ever tsquery syntax and no dictionary plays a part.

No extension is needed (so none has to be installed with rights a deployment may not
grant); "the last digits of a phone number" is served by indexing each 4+ digit tail
of the number as a token (text.phone_tokens), where `pg_trgm` would otherwise be used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    String,
    and_,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY, aggregate_order_by
from sqlalchemy.exc import OperationalError

from rolodex.contacts.model import Contact
from rolodex.contacts.search import text as search_text
from rolodex.contacts.search.backend import Lookup, PreparedRow, RankTerms, SearchBackend
from rolodex.contacts.search.lexemes import document_literal, expression, owner_lexeme
from rolodex.contacts.search.query import And, Node, Not
from rolodex.store.schema import contact_search, contacts

# Documents tested in key order before GIN is asked for the rest (TsvectorBackend.keys).
WINDOW = 1000
# Matches expected after the window above which GIN's step is first bounded to a stretch
# of keys (`TsvectorBackend.keys`): past it, reading each match's row costs more than
# scanning GIN's lists once more for a bounded stretch (docs/benchmarks.md).
BOUNDED_ABOVE = 300
# A bounded stretch spans this many times the keys the page's rest is expected in: a
# narrower one too often falls short by a match or two, and the open-ended step that
# then follows costs several times the stretch (docs/benchmarks.md).
STRETCH = 4
# Bounded stretches tried, at most, for a query of whole words (one with a prefix: one).
BOUNDED_STEPS = 3
# A prefix of at most three letters or digits (`'_.mun':*`): GIN expands it to every
# word it begins, thousands in a large index, and each of its steps repeats that.
_SHORT_PREFIX = re.compile(r"\.\w{1,3}':\*")
# `first_keys` gives up when its window predicts this many times `most` matches.
MANY_TIMES = 4
# How long switching the GIN index's pending list may wait for the searches using it.
SWITCH_LOCK_TIMEOUT = "5s"

# The one statement that writes documents, for single writes and bulk loads alike: an
# upsert, so that a new contact and a changed one are written the same way.
_UPSERT = (
    "INSERT INTO contact_search (contact_pk, owner_id, document) VALUES (%s, %s, %s::tsvector) "
    "ON CONFLICT (contact_pk) DO UPDATE SET owner_id = excluded.owner_id, "
    "document = excluded.document"
)
# The GIN index over `contact_search.document` (store/schema.py, migration 0015).
GIN_INDEX = "ix_contact_search_document"
_LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE of a lock_timeout


class TsvectorBackend(SearchBackend):
    """The backend; its settings (the module's constants by default) shape the GIN steps
    of `keys` and `first_keys`, and how long `bulk_load` waits to switch the index."""

    ranks_found_matches = True

    def __init__(
        self,
        *,
        window: int = WINDOW,
        bounded_above: int = BOUNDED_ABOVE,
        many_times: int = MANY_TIMES,
        switch_lock_timeout: str = SWITCH_LOCK_TIMEOUT,
    ) -> None:
        self.window = window
        self.bounded_above = bounded_above
        self.many_times = many_times
        self.switch_lock_timeout = switch_lock_timeout

    def write(
        self, conn: Connection, contacts: Sequence[Contact], region: str, *, new: bool = False
    ) -> None:
        # An upsert: a new contact needs no different treatment here.
        gone = [c.pk for c in contacts if c.deleted]
        if gone:
            conn.execute(delete(contact_search).where(contact_search.c.contact_pk.in_(gone)))
        live = [c for c in contacts if not c.deleted]
        self.write_prepared(
            conn,
            [(c.pk, c.owner_id) for c in live],
            [self.prepare(c.owner_id, c.data, region) for c in live],
        )

    def prepare(self, owner_id: str, data: dict[str, Any], region: str) -> PreparedRow:
        """The document as a tsvector literal (lexemes.py)."""
        return (document_literal(owner_id, search_text.document(data, region)),)

    def write_prepared(
        self, conn: Connection, keys: Sequence[tuple[int, str]], rows: Sequence[PreparedRow]
    ) -> None:
        if not keys:
            return
        conn.exec_driver_sql(
            _UPSERT, [(pk, owner, row[0]) for (pk, owner), row in zip(keys, rows, strict=True)]
        )

    @contextmanager
    def bulk_load(self, engine: Engine) -> Iterator[None]:
        """GIN gathers the new entries in its pending list during the load and merges them
        at its end, however it ends: several times cheaper than putting each entry in the
        tree at once (docs/benchmarks.md). Behind a long search the switch gives up, and
        the load is only slower."""
        if not self.defer_index_entries(engine, True):
            yield
            return
        try:
            yield
        except BaseException:
            # The load's own error is the one to report; the index is left merging at worst.
            with suppress(Exception):
                self.defer_index_entries(engine, False)
            raise
        self.defer_index_entries(engine, False)

    def defer_index_entries(self, engine: Engine, on: bool) -> bool:
        """Switch GIN's pending list (`fastupdate`) on for a bulk load, or off after it.

        Off (the usual state, migration 0015) each new document puts every word in the
        tree at once; on, new entries gather in a list merged in sorted runs, cheaper to
        load but read in full by every search until merged. Switching takes the index's
        exclusive lock for a moment; behind a long search it gives up after
        `switch_lock_timeout` and returns False, leaving the index as it was. Switching
        off first, then merging what is pending, means no new entry joins the list while
        it is merged.
        """
        with engine.connect() as conn:
            try:
                with conn.begin():
                    conn.exec_driver_sql(
                        "SELECT set_config('lock_timeout', %s, true)", (self.switch_lock_timeout,)
                    )
                    conn.exec_driver_sql(
                        f"ALTER INDEX {GIN_INDEX} SET (fastupdate = {'on' if on else 'off'})"
                    )
            except OperationalError as exc:
                if getattr(exc.orig, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
                    raise
                return False
            if not on:
                with conn.begin():
                    conn.exec_driver_sql(f"SELECT gin_clean_pending_list('{GIN_INDEX}'::regclass)")
        return True

    def lookup(self, owner_id: str, node: Node, *, by_owner: bool = True) -> Lookup:
        wanted: Sequence[Node] = (node,)
        unwanted: Sequence[Node] = ()
        if isinstance(node, And) and not all(isinstance(i, Not) for i in node.items):
            wanted = [i for i in node.items if not isinstance(i, Not)]
            unwanted = [i.item for i in node.items if isinstance(i, Not)]
        query = " & ".join(f"({expression(i)})" for i in wanted)
        if by_owner:
            query = f"{owner_lexeme(owner_id)} & {query}"
        conditions = [contact_search.c.owner_id == owner_id, _matches(query)]
        # "a -b" as two tests, so that GIN looks up only a's lexemes and b is checked on
        # a's matches: the same documents, without reading b's postings.
        conditions += [~_matches(expression(item)) for item in unwanted]
        short_prefix = _SHORT_PREFIX.search(query) is not None
        return Lookup(
            owner_id, contact_search.c.contact_pk, and_(*conditions), prefix_scan=short_prefix
        )

    def begin(self, conn: Connection) -> None:
        """No sequential scan and no parallel workers for the rest of this transaction.

        The planner's guess of how many documents match a tsquery of many prefixes is
        often far too high, and on a small table it then reads every document where GIN
        finds the few matches; starting a parallel worker costs more than those few
        take. A search's statements all have an index to use, so this holds for all of
        them, set once (one round trip) rather than around each GIN step.
        """
        conn.execute(
            text(
                "SELECT set_config('enable_seqscan', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true), "
                "set_config('plan_cache_mode', 'force_custom_plan', true)"
            )
        )

    def ranks(
        self, conn: Connection, keys: Sequence[int], ranks: RankTerms, last: int
    ) -> dict[int, int] | None:
        # One statement: each document is tested against the ranks' tsqueries in turn.
        # The tsvector is not read back: it cannot give the text's order back anyway.
        rank = case(
            *(
                (_matches(" & ".join(f"({expression(t)})" for t in terms)), number)
                for number, terms in ranks
            ),
            else_=last,
        )
        rows = conn.execute(
            select(contact_search.c.contact_pk, rank).where(contact_search.c.contact_pk.in_(keys))
        ).all()
        return {int(pk): int(found) for pk, found in rows}

    def keys(
        self,
        conn: Connection,
        found: Lookup,
        contact: ColumnElement[bool],
        *,
        after: int,
        limit: int,
    ) -> list[int]:
        """GIN finds every match at once, in no order, so a page is found in steps.

        First the next `window` documents in key order are tested one by one: a query
        that many contacts match fills its page there, reading no more than the window.
        Only when that does not fill the page does GIN find the matches after the
        window, and a sort orders them. Left to itself, the planner walks the keys for
        `ORDER BY ... LIMIT` whenever it guesses matches are common, and reads the
        whole table when they are not.

        GIN's matches are read from the table (one heap page each) before the sort, so
        an open-ended step costs what the query matches in all, not what the page needs
        (docs/benchmarks.md). So when the matches seen so far predict more than
        `bounded_above` after them, GIN's step is bounded to the stretch of keys where
        the page's rest should lie (`STRETCH` times the estimate), which the planner
        answers by ANDing GIN's bitmap with the key index's. Each step scans GIN's lists
        again, which is cheap for whole words but not for prefixes (a query of several
        short ones pays it each time): a query of whole words tries up to
        `BOUNDED_STEPS` stretches, each sized from all it has seen, and one with a
        prefix a single stretch. What is still
        missing then is read all at once. A query expected to match fewer (a rare one)
        is read all at once from the start.
        """
        window = self._window(conn, found, contact, after=after)
        return self._after_window(conn, found, contact, window, limit)

    def first_keys(
        self, conn: Connection, found: Lookup, contact: ColumnElement[bool], *, most: int
    ) -> list[int] | None:
        """As the base method, but a window that predicts many matches answers None at once.

        Finding out that a query matches many costs GIN steps over all of them (two for
        `Li Na Man` in a large index, docs/benchmarks.md); the first `window` documents
        already tell, and the answer is only ever a shortcut (None walks the ranks as usual). A
        window holding more than `most` matches holds the first ones: those are the answer.
        """
        window = self._window(conn, found, contact, after=0)
        seen, _, hits = window
        if len(hits) > most:
            return hits[: most + 1]
        if seen == self.window and hits:
            last = conn.execute(select(func.max(contact_search.c.contact_pk))).scalar() or 0
            if len(hits) * last // seen > self.many_times * most:
                return None
        return self._after_window(conn, found, contact, window, most + 1)

    def _after_window(
        self,
        conn: Connection,
        found: Lookup,
        contact: ColumnElement[bool],
        window: tuple[int, int, list[int]],
        limit: int,
    ) -> list[int]:
        """The first `limit` keys from the window's matches on (`keys` says how)."""
        seen, end, keys = window
        keys = keys[:limit]
        if len(keys) == limit or seen < self.window:
            return keys
        # `+ 0`: no index gives this order, so the planner cannot choose to walk the keys;
        # it finds the matches (GIN) and sorts them. The search's transaction has no
        # sequential scan and no parallel workers (`begin`).
        rest = select(found.key).where(found.where).order_by(found.key + 0)
        last = conn.execute(select(func.max(contact_search.c.contact_pk))).scalar() or 0
        hits, covered = len(keys), seen
        steps = 1 if found.prefix_scan else BOUNDED_STEPS
        while steps and hits and hits * (last - end) // covered > self.bounded_above:
            wanted = limit - len(keys)
            span = STRETCH * wanted * covered // hits + 1
            if end + span >= last:
                break
            more = self._rest(
                conn, rest.where(found.key > end, found.key <= end + span), contact, wanted
            )
            keys += more
            if len(keys) == limit:
                return keys
            end, hits, covered, steps = end + span, hits + len(more), covered + span, steps - 1
        return keys + self._rest(conn, rest.where(found.key > end), contact, limit - len(keys))

    def _window(
        self, conn: Connection, found: Lookup, contact: ColumnElement[bool], *, after: int
    ) -> tuple[int, int, list[int]]:
        """(documents tested, the last key tested, the matches among them in key order):
        the owner's next `window` documents after `after`, each tested on its own."""
        window = (
            select(contacts.c.pk)
            .where(contacts.c.owner_id == found.owner_id, contacts.c.pk > after)
            .order_by(contacts.c.pk)
            .limit(self.window)
            .subquery()
        )
        hits = func.array_agg(aggregate_order_by(window.c.pk, window.c.pk))
        seen, end, keys = conn.execute(
            select(
                func.count(),
                func.max(window.c.pk),
                hits.filter(and_(found.where, contact)),
            ).select_from(
                window.outerjoin(contact_search, contact_search.c.contact_pk == window.c.pk)
            )
        ).one()
        return int(seen), int(end or after), list(keys or ())

    def _rest(
        self, conn: Connection, rest: Select[int], contact: ColumnElement[bool], wanted: int
    ) -> list[int]:
        """The first `wanted` keys of `rest` whose contact meets `contact`.

        The documents are the owner's live contacts (index.py keeps them so), so the first
        `wanted` matches nearly always pass: those alone are checked, not every match
        after the window (a join per match, the larger part of this step). Should one fail
        (a tag condition, say), the matches are joined to their contacts after all.
        """
        first = list(conn.execute(rest.limit(wanted)).scalars())
        if not first:
            return first
        passed = conn.execute(
            select(func.count()).where(contact_search.c.contact_pk.in_(first), contact)
        ).scalar_one()
        if passed == len(first):
            return first
        return list(conn.execute(rest.where(contact).limit(wanted)).scalars())


def _matches(query: str) -> ColumnElement[bool]:
    return contact_search.c.document.op("@@", is_comparison=True)(
        cast(literal(query, String), TSQUERY)
    )
