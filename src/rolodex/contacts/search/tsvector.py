"""PostgreSQL: a `tsvector` per contact in `contact_search`, under a GIN index.

The document is written as a tsvector literal, not through `to_tsvector`: each lexeme
is `<column code>.<token>` (tokens from `text.tokens`, already folded), so the text
search parser, dictionaries and `unaccent` play no part, and a field-qualified term
is a plain lexeme lookup (`'g.john'`), a prefix a GIN partial match (`'g.jo':*`), and
a phrase the `<->` operator over positions. Queries are `tsquery` literals built the
same way, so no user text is ever tsquery syntax. Between two values of one column a
position is skipped, so a phrase never runs from one email address into the next.

Each token is also in the document once per group of columns it is in, without
positions (`GROUPS`): `'_.john'` (any column), `'=.john'` (a name column), `'^.john'`
(a name, email, company or title). A bare word is then one lookup (`'_.jo':*`) instead
of one per column, which GIN would scan one by one and combine (twelve prefix scans per
word), and a rank bucket's narrowed word one or two. Phrases keep the per-column
lexemes (they need positions).

No extension is needed (so none has to be installed with rights a deployment may not
grant); "the last digits of a phone number" is served by indexing each 4+ digit tail
of the number as a token (text.phone_tokens), where `pg_trgm` would otherwise be used.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

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
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR, aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import OperationalError

from rolodex.contacts.model import Contact
from rolodex.contacts.search import text as search_text
from rolodex.contacts.search.backend import Lookup, RankTerms, SearchBackend, owner_token
from rolodex.contacts.search.query import And, Node, Not, Or, Term
from rolodex.store.schema import contact_search, contacts

CODES = {
    search_text.GIVEN: "g",
    search_text.FAMILY: "f",
    search_text.NAMES: "n",
    search_text.EMAIL: "e",
    search_text.PHONE: "p",
    search_text.COMPANY: "c",
    search_text.TITLE: "t",
    search_text.ORG: "o",
    search_text.CITY: "y",
    search_text.COUNTRY: "k",
    search_text.ADDRESS: "a",
    search_text.NOTES: "x",
}
OWNER_CODE = "@"
# Groups of columns whose tokens are also lexemes of their own, position-less, so that
# a word searched in all of a group's columns is one lookup: any column (a bare word),
# the name (ranks 0 and 1, `name:`), and rank 2's columns but the phone's many digit
# tails (rank 2 is then this group or the phone column). Largest first.
GROUPS: dict[str, tuple[str, ...]] = {
    "_": search_text.COLUMNS,
    "^": (
        *search_text.NAME_COLUMNS,
        search_text.EMAIL,
        search_text.COMPANY,
        search_text.TITLE,
    ),
    "=": search_text.NAME_COLUMNS,
}
# Documents tested in key order before GIN is asked for the rest (TsvectorBackend.keys).
WINDOW = 1000
# Matches expected after the window above which GIN's step is first bounded to a stretch
# of keys (`TsvectorBackend.keys`): reading a match's row costs about 4 µs.
BOUNDED_ABOVE = 300
# A bounded stretch spans this many times the keys the page's rest is expected in: at
# twice, one in four fell short by a match or two, and the open-ended step that then
# followed cost 15 ms where the stretch had cost 2.
STRETCH = 4
# Bounded stretches tried, at most, for a query of whole words (one with a prefix: one).
BOUNDED_STEPS = 3
# A prefix of at most three letters or digits (`'_.mun':*`): GIN expands it to every
# word it begins, thousands at a million contacts, and each of its steps repeats that.
_SHORT_PREFIX = re.compile(r"\.\w{1,3}':\*")
# `first_keys` gives up when its window predicts this many times `most` matches.
MANY_TIMES = 4
# PostgreSQL's limits: positions run to 16383, and a lexeme keeps at most 256 of them.
_MAX_POSITION = 16383
_MAX_POSITIONS = 255


class TsvectorBackend(SearchBackend):
    dialect = "postgresql"
    ranks_found_matches = True

    def write(
        self, conn: Connection, contacts: Sequence[Contact], region: str, *, new: bool = False
    ) -> None:
        # An upsert: a new contact needs no different treatment here.
        gone = [c.pk for c in contacts if c.deleted]
        if gone:
            conn.execute(delete(contact_search).where(contact_search.c.contact_pk.in_(gone)))
        rows = [
            {
                "contact_pk": c.pk,
                "owner_id": c.owner_id,
                "document": document_literal(c.owner_id, search_text.document(c.data, region)),
            }
            for c in contacts
            if not c.deleted
        ]
        if not rows:
            return
        statement = pg_insert(contact_search).values(
            [
                {
                    "contact_pk": r["contact_pk"],
                    "owner_id": r["owner_id"],
                    "document": cast(literal(r["document"], String), TSVECTOR),
                }
                for r in rows
            ]
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=[contact_search.c.contact_pk],
                set_={
                    "owner_id": statement.excluded.owner_id,
                    "document": statement.excluded.document,
                },
            )
        )

    def lookup(self, owner_id: str, node: Node, *, by_owner: bool = True) -> Lookup:
        wanted: Sequence[Node] = (node,)
        unwanted: Sequence[Node] = ()
        if isinstance(node, And) and not all(isinstance(i, Not) for i in node.items):
            wanted = [i for i in node.items if not isinstance(i, Not)]
            unwanted = [i.item for i in node.items if isinstance(i, Not)]
        query = " & ".join(f"({_expression(i)})" for i in wanted)
        if by_owner:
            query = f"{_lexeme(OWNER_CODE, owner_token(owner_id))} & {query}"
        conditions = [contact_search.c.owner_id == owner_id, _matches(query)]
        # "a -b" as two tests, so that GIN looks up only a's lexemes and b is checked on
        # a's matches: the same documents, without reading b's postings.
        conditions += [~_matches(_expression(item)) for item in unwanted]
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
                (_matches(" & ".join(f"({_expression(t)})" for t in terms)), number)
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

        First the next `WINDOW` documents in key order are tested one by one: a query
        that many contacts match fills its page there, reading no more than the window.
        Only when that does not fill the page does GIN find the matches after the
        window, and a sort orders them. Left to itself, the planner walks the keys for
        `ORDER BY ... LIMIT` whenever it guesses matches are common, and reads the
        whole table when they are not.

        GIN's matches are read from the table (one heap page each) before the sort, so
        an open-ended step costs what the query matches in all, not what the page needs:
        19,000 rows read (77 ms) at a million contacts for a page of six. So when the
        matches seen so far predict more than `BOUNDED_ABOVE` after them, GIN's step is
        bounded to the stretch of keys where the page's rest should lie (`STRETCH` times
        the estimate), which the planner answers by ANDing GIN's bitmap with the key
        index's: a few milliseconds. Each step scans GIN's lists again, which is cheap
        for whole words but not for prefixes (up to 40 ms for a query of several short
        ones): a query of whole words tries up to `BOUNDED_STEPS` stretches, each sized
        from all it has seen, and one with a prefix a single stretch. What is still
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
        `Li Na Man` at a million contacts: 68 ms); the first `WINDOW` documents already
        tell, and the answer is only ever a shortcut (None walks the ranks as usual). A
        window holding more than `most` matches holds the first ones: those are the answer.
        """
        window = self._window(conn, found, contact, after=0)
        seen, _, hits = window
        if len(hits) > most:
            return hits[: most + 1]
        if seen == WINDOW and hits:
            last = conn.execute(select(func.max(contact_search.c.contact_pk))).scalar() or 0
            if len(hits) * last // seen > MANY_TIMES * most:
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
        if len(keys) == limit or seen < WINDOW:
            return keys
        # `+ 0`: no index gives this order, so the planner cannot choose to walk the keys;
        # it finds the matches (GIN) and sorts them. The search's transaction has no
        # sequential scan and no parallel workers (`begin`).
        rest = select(found.key).where(found.where).order_by(found.key + 0)
        last = conn.execute(select(func.max(contact_search.c.contact_pk))).scalar() or 0
        hits, covered = len(keys), seen
        steps = 1 if found.prefix_scan else BOUNDED_STEPS
        while steps and hits and hits * (last - end) // covered > BOUNDED_ABOVE:
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

    @staticmethod
    def _window(
        conn: Connection, found: Lookup, contact: ColumnElement[bool], *, after: int
    ) -> tuple[int, int, list[int]]:
        """(documents tested, the last key tested, the matches among them in key order):
        the owner's next `WINDOW` documents after `after`, each tested on its own."""
        window = (
            select(contacts.c.pk)
            .where(contacts.c.owner_id == found.owner_id, contacts.c.pk > after)
            .order_by(contacts.c.pk)
            .limit(WINDOW)
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


# The GIN index over `contact_search.document` (store/schema.py, migration 0015).
GIN_INDEX = "ix_contact_search_document"
# How long switching the index's pending list may wait for the searches using it.
_SWITCH_LOCK_TIMEOUT = "5s"
_LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE of a lock_timeout


def defer_index_entries(engine: Engine, on: bool) -> bool:
    """Switch GIN's pending list (`fastupdate`) on for a bulk load, or off after it.

    Off (the usual state, migration 0015) each new document puts every word in the
    tree at once; on, new entries gather in a list merged in sorted runs, three times
    cheaper to load but read in full by every search until merged. Switching takes the
    index's exclusive lock for a moment; behind a long search it gives up after
    `_SWITCH_LOCK_TIMEOUT` and returns False, leaving the index as it was (the load is
    then only slower). Switching off first, then merging what is pending, means no new
    entry joins the list while it is merged.
    """
    with engine.connect() as conn:
        try:
            with conn.begin():
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{_SWITCH_LOCK_TIMEOUT}'")
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


def document_literal(owner_id: str, doc: search_text.Document) -> str:
    """The tsvector literal of a search document: `'@.o…':1 'g.john':2 'f.smith':4 … '_.john' …`."""
    positions: dict[str, list[int]] = defaultdict(list)
    positions[_lexeme(OWNER_CODE, owner_token(owner_id))].append(1)
    at = 2
    grouped: dict[str, None] = {}
    groups = _groups_of()
    for name in search_text.COLUMNS:
        for value in doc[name]:
            for token in value:
                for code in groups[name]:
                    grouped[_lexeme(code, token)] = None
                kept = positions[_lexeme(CODES[name], token)]
                if len(kept) < _MAX_POSITIONS and (not kept or kept[-1] != at):
                    kept.append(at)
                at = min(at + 1, _MAX_POSITION)
            at = min(at + 1, _MAX_POSITION)
    literal = " ".join(f"{lexeme}:{','.join(map(str, at_))}" for lexeme, at_ in positions.items())
    return " ".join([literal, *grouped])


@cache
def _groups_of() -> dict[str, tuple[str, ...]]:
    """Each column's groups (codes)."""
    return {
        name: tuple(code for code, columns in GROUPS.items() if name in columns)
        for name in search_text.COLUMNS
    }


def _cover(columns: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Codes of the groups, and of the single columns, that together are exactly `columns`."""
    rest = set(columns)
    codes = []
    for code, group in GROUPS.items():
        if rest.issuperset(group):
            codes.append(code)
            rest -= set(group)
    return codes, [CODES[name] for name in search_text.COLUMNS if name in rest]


def _lexeme(code: str, token: str, prefix: bool = False) -> str:
    # Tokens are letters and digits only; the owner token is hex. Quote doubling is
    # still applied so that this function is safe on its own.
    body = (code + "." + token).replace("\\", "\\\\").replace("'", "''")
    return f"'{body}'" + (":*" if prefix else "")


def _expression(node: Node) -> str:
    if isinstance(node, Term):
        digits = [_lexeme(CODES[search_text.PHONE], d, node.prefix) for d in node.digits]
        if len(node.tokens) == 1:
            # One word: its groups' lexemes, the same documents as one lexeme per column.
            groups, singles = _cover(node.columns or search_text.COLUMNS)
            parts = [_lexeme(c, node.tokens[0], node.prefix) for c in [*groups, *singles]]
            if node.columns is None or search_text.PHONE in node.columns:
                parts += digits
            return " | ".join(parts)
        columns = node.columns if node.columns is not None else search_text.COLUMNS
        parts = []
        last = len(node.tokens) - 1
        for name in columns:
            lexemes = [
                _lexeme(CODES[name], t, node.prefix and i == last)
                for i, t in enumerate(node.tokens)
            ]
            parts.append("(" + " <-> ".join(lexemes) + ")")
        if search_text.PHONE in columns:
            parts += digits
        return " | ".join(parts)
    if isinstance(node, And):
        return " & ".join(f"({_expression(item)})" for item in node.items)
    if isinstance(node, Or):
        return " | ".join(f"({_expression(item)})" for item in node.items)
    if isinstance(node, Not):
        return f"!({_expression(node.item)})"
    raise TypeError(f"tag terms are not matched by the text index: {node!r}")
