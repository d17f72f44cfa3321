"""A scan's links and groups, kept in a scratch file once there are many.

A whole-book scan of a million contacts finds about 135,000 links (docs/benchmarks.md);
held as Python objects with their contacts' profiles they took a few hundred MB, so the
scan's memory grew with the number of duplicates. Past `MEMORY_LINKS` links they go to
a private, temporary SQLite database (deleted when closed, whichever store the book is
in), and so do the groups made of them, sorted there: the process then holds one block
of the book, one connected set of links, or one page of the answer at a time. Below it
they stay in memory, where grouping costs less.

Groups are made exactly as `groups.group` makes them over every link at once: that
grouping only ever joins contacts through links, so it can be run on each connected set
of links (a component) alone, and the components are found in the scratch database by
passing the smallest contact key along the links until nothing changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import orjson

from rolodex.duplicates import profile as profiles
from rolodex.duplicates.groups import Pair, group
from rolodex.duplicates.scoring import Match, score

_SCHEMA = (
    "CREATE TABLE members (pk INTEGER PRIMARY KEY, contact_id TEXT NOT NULL,"
    " profile TEXT NOT NULL, comp INTEGER NOT NULL)",
    "CREATE TABLE links (a INTEGER NOT NULL, b INTEGER NOT NULL, score REAL NOT NULL,"
    " reasons BLOB NOT NULL, comp INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID",
    "CREATE TABLE found (score REAL NOT NULL, ids TEXT NOT NULL, reasons BLOB NOT NULL)",
)
# Joins a group's sorted contact ids into one text that sorts as their tuple does: it
# sorts below every character an id is made of.
SEPARATOR = "\x01"
# Links kept in memory before a scan spills them (about 1.6 KB each with their contacts'
# profiles, docs/benchmarks.md): a book with fewer duplicates than that is grouped in
# memory, without the scratch file's cost; a bigger one never holds more.
MEMORY_LINKS = 20_000
# The scratch database's page cache, in KiB.
_CACHE_KIB = 32_768
# Rows written or read at a time.
_BATCH = 2000
# Bits of the filter that says which pairs are surely not links yet (4 MB, whatever the
# book): most pairs the scan asks about are not, and need no lookup then.
_FILTER_BITS = 1 << 25
_PROPAGATE = (
    "UPDATE members SET comp = n.c FROM ("
    " SELECT l.a AS pk, min(m.comp) AS c FROM links l JOIN members m ON m.pk = l.b GROUP BY l.a"
    " UNION ALL"
    " SELECT l.b, min(m.comp) FROM links l JOIN members m ON m.pk = l.a GROUP BY l.b"
    ") AS n WHERE members.pk = n.pk AND n.c < members.comp"
)
# Each member's component is a member of the same component with a smaller key: taking
# that one's makes long chains converge in fewer rounds.
_JUMP = (
    "UPDATE members SET comp = (SELECT j.comp FROM members j WHERE j.pk = members.comp)"
    " WHERE comp <> pk AND comp > (SELECT j.comp FROM members j WHERE j.pk = members.comp)"
)


Row = tuple[tuple[str, ...], float, tuple[str, ...]]


def _bits(a: int, b: int) -> tuple[int, int]:
    """The filter's two bits for a pair: two hashes of it."""
    mixed = (a * 0x9E3779B97F4A7C15 + b * 0xC2B2AE3D27D4EB4F) & 0xFFFFFFFFFFFFFFFF
    return mixed % _FILTER_BITS, (mixed >> 32) % _FILTER_BITS


class Spill:
    """One scan's links, then its groups in answer order: in memory up to
    `memory_links` links, in a scratch database past that."""

    def __init__(self, agree_at: float, *, memory_links: int = MEMORY_LINKS) -> None:
        self.agree_at = agree_at
        self.memory_links = memory_links
        # Until spilled: the links, and the ids and stored profiles of their contacts.
        self._matches: dict[Pair, Match] = {}
        self._ids: dict[int, str] = {}
        self._texts: dict[int, str] = {}
        self._sorted: list[Row] = []
        self.db: sqlite3.Connection | None = None
        self._links: list[tuple[int, int, float, bytes]] = []
        self._members: list[tuple[int, str, str, int]] = []
        self._pending: set[Pair] = set()
        self._found: list[tuple[float, str, bytes]] = []
        self._filter = bytearray()
        self.groups = 0

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def spilled(self) -> bool:
        return self.db is not None

    # -- links, as the scan finds them ------------------------------------------------

    def known(self, a: int, b: int) -> bool:
        """Whether the pair (a < b) is already a link (it shares several keys)."""
        if self.db is None:
            return (a, b) in self._matches
        if not all(self._filter[bit >> 3] & (1 << (bit & 7)) for bit in _bits(a, b)):
            return False
        if (a, b) in self._pending:
            return True
        row = self.db.execute("SELECT 1 FROM links WHERE a = ? AND b = ?", (a, b)).fetchone()
        return row is not None

    def add(self, pair: Pair, match: Match, members: tuple[tuple[int, str, str], ...]) -> None:
        """A link, and its two contacts (key, contact id, stored profile)."""
        if self.db is None:
            self._matches[pair] = match
            for pk, cid, text in members:
                self._ids[pk], self._texts[pk] = cid, text
            if len(self._matches) > self.memory_links:
                self._spill()
            return
        self._links.append((pair[0], pair[1], match.score, orjson.dumps(match.reasons)))
        self._pending.add(pair)
        for bit in _bits(*pair):
            self._filter[bit >> 3] |= 1 << (bit & 7)
        self._members.extend((pk, cid, text, pk) for pk, cid, text in members)
        if len(self._links) >= _BATCH:
            self._flush()

    def _spill(self) -> None:
        """From now on the links go to a scratch database, and those so far with them."""
        # "": a private temporary database on disk, removed when the connection closes.
        self.db = sqlite3.connect("", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{_CACHE_KIB}"):
            self.db.execute(f"PRAGMA {pragma}")
        for statement in _SCHEMA:
            self.db.execute(statement)
        self.db.execute("BEGIN")
        self._filter = bytearray(_FILTER_BITS // 8)
        matches, ids, texts = self._matches, self._ids, self._texts
        self._matches, self._ids, self._texts = {}, {}, {}
        for pair, match in matches.items():
            a, b = pair
            self.add(pair, match, ((a, ids[a], texts[a]), (b, ids[b], texts[b])))

    def _flush(self) -> None:
        if self.db is None:
            return
        self.db.executemany(
            "INSERT OR IGNORE INTO links (a, b, score, reasons) VALUES (?, ?, ?, ?)", self._links
        )
        self.db.executemany("INSERT OR IGNORE INTO members VALUES (?, ?, ?, ?)", self._members)
        self._links.clear()
        self._pending.clear()
        self._members.clear()

    def arrivals(self, since_pk: int) -> int:
        """How many linked contacts have a key above `since_pk` (an import's arrivals)."""
        if self.db is None:
            return sum(1 for pk in self._ids if pk > since_pk)
        self._flush()
        row = self.db.execute("SELECT count(*) FROM members WHERE pk > ?", (since_pk,)).fetchone()
        return int(row[0])

    # -- groups ---------------------------------------------------------------------

    def _in_memory(self, threshold: float) -> None:
        """The groups of the links held in memory (`groups.group` over them all), sorted."""
        texts = self._texts

        def agree(a: int, b: int) -> bool:
            first, second = profiles.decode(texts[a]), profiles.decode(texts[b])
            return score(first, second, explain=False).score >= self.agree_at

        made = [
            (tuple(sorted(self._ids[pk] for pk in g.members)), g.score, g.reasons)
            for g in group(self._matches, threshold, agree)
        ]
        self._sorted = sorted(made, key=lambda row: (-row[1], row[0]))
        self.groups = len(self._sorted)
        self._matches, self._ids, self._texts = {}, {}, {}

    def make_groups(self, threshold: float) -> None:
        """Group each component's links (groups.group) and keep the groups, sorted."""
        if self.db is None:
            self._in_memory(threshold)
            return
        self._flush()
        db = self.db
        while True:
            changed = db.execute(_PROPAGATE).rowcount
            changed += db.execute(_JUMP).rowcount
            if not changed:
                break
        db.execute("UPDATE links SET comp = (SELECT m.comp FROM members m WHERE m.pk = links.a)")
        db.execute("CREATE INDEX links_by_comp ON links (comp)")
        rows = db.execute(
            "SELECT l.comp, l.a, l.b, l.score, l.reasons, ma.contact_id, mb.contact_id"
            " FROM links l JOIN members ma ON ma.pk = l.a JOIN members mb ON mb.pk = l.b"
            " ORDER BY l.comp"
        )
        current: int | None = None
        matches: dict[Pair, Match] = {}
        ids: dict[int, str] = {}
        while batch := rows.fetchmany(_BATCH):
            for comp, a, b, value, reasons, a_id, b_id in batch:
                if comp != current:
                    self._group(matches, ids, threshold)
                    matches, ids, current = {}, {}, comp
                matches[(a, b)] = Match(value, tuple(orjson.loads(reasons)))
                ids[a], ids[b] = a_id, b_id
        self._group(matches, ids, threshold)
        self._flush_found()
        db.execute("CREATE INDEX found_in_order ON found (score DESC, ids)")
        db.execute("COMMIT")

    def _group(self, matches: dict[Pair, Match], ids: dict[int, str], threshold: float) -> None:
        if not matches:
            return
        texts: dict[int, profiles.Profile] = {}
        db = self.db
        assert db is not None

        def profile_of(pk: int) -> profiles.Profile:
            if pk not in texts:
                (text,) = db.execute("SELECT profile FROM members WHERE pk = ?", (pk,)).fetchone()
                texts[pk] = profiles.decode(text)
            return texts[pk]

        def agree(a: int, b: int) -> bool:
            return score(profile_of(a), profile_of(b), explain=False).score >= self.agree_at

        for made in group(matches, threshold, agree):
            self.groups += 1
            members = SEPARATOR.join(sorted(ids[pk] for pk in made.members))
            self._found.append((made.score, members, orjson.dumps(made.reasons)))
        if len(self._found) >= _BATCH:
            self._flush_found()

    def _flush_found(self) -> None:
        if self.db is not None:
            self.db.executemany("INSERT INTO found VALUES (?, ?, ?)", self._found)
        self._found.clear()

    def read(self, offset: int = 0, limit: int = -1) -> Iterator[Row]:
        """The groups strongest first, then by their ids: (contact ids, score, reasons)."""
        if self.db is None:
            yield from self._sorted[offset : None if limit < 0 else offset + limit]
            return
        rows = self.db.execute(
            "SELECT ids, score, reasons FROM found ORDER BY score DESC, ids LIMIT ? OFFSET ?",
            (limit, offset),
        )
        while batch := rows.fetchmany(_BATCH):
            for ids, value, reasons in batch:
                yield tuple(ids.split(SEPARATOR)), value, tuple(orjson.loads(reasons))
