"""DuplicateService: the duplicates of a book, and the index that finds them.

The index is kept in the contact writes' own transactions: `saved` (wired as part of
`ContactService.data_saved`) and `created` (`ContactService.contacts_created`) write a
contact's profile and blocking keys next to the contact, so a scan never rebuilds them
and a book's duplicates are found from one streamed read of its shared keys
(docs/duplicates.md). Finding never writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlalchemy import Connection

from rolodex.contacts.cursors import CursorCodec
from rolodex.contacts.model import Contact
from rolodex.contacts.prepared import PreparedContact
from rolodex.duplicates import profile as profiles
from rolodex.duplicates.index import IndexEntry, index_of
from rolodex.duplicates.keys import keys_of
from rolodex.duplicates.repository import DuplicateRepository, Indexed, Member
from rolodex.duplicates.scoring import DEFAULT_MIN_SCORE, Match, may_match, score
from rolodex.duplicates.spill import MEMORY_LINKS, Spill
from rolodex.errors import InvalidInput
from rolodex.store import Store

# The most contacts one key may hold and still be compared within (keys.py).
BLOCK_CAP = 30
# Below an even chance a pair is more likely two people; and every pair of every block
# would be a link, which a scan would have to hold.
LOWEST_MIN_SCORE = 0.5
DEFAULT_PAGE = 20
MAX_PAGE = 100
CURSOR_KIND = "contacts.findDuplicates"
# Two records score this much on their own when nothing but their names speaks for
# them and nothing against: what lets a group hold a phone's record and a mail
# account's record of one person, both linked to a fuller record (groups.py).
AGREE = 0.1


class Suggestion(NamedTuple):
    """One group of likely duplicates, as the APIs show it."""

    contact_ids: tuple[str, ...]
    score: float
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "contactIds": list(self.contact_ids),
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
        }


def indexed(contact: Contact, entry: IndexEntry | None = None) -> Indexed:
    """The rows of a contact's index entry (built now unless the import prepared it)."""
    text, keys = entry if entry is not None else index_of(contact.data)
    return Indexed(contact.pk, contact.owner_id, text, keys)


def _check_score(value: float | None, field: str) -> float:
    if value is None:
        return DEFAULT_MIN_SCORE
    if not LOWEST_MIN_SCORE <= value <= 1.0:
        raise InvalidInput(f"must be a number from {LOWEST_MIN_SCORE} to 1", field=field)
    return value


class DuplicateService:
    def __init__(
        self,
        store: Store,
        cursors: CursorCodec | None = None,
        *,
        block_cap: int = BLOCK_CAP,
        memory_links: int = MEMORY_LINKS,
    ) -> None:
        self.store = store
        self.cursors = cursors or CursorCodec()
        self.block_cap = block_cap
        # Links a scan holds in memory before it spills them to a scratch file (spill.py).
        self.memory_links = memory_links
        self.repo = DuplicateRepository

    # -- the index, in the contact writes' transactions ------------------------------

    def saved(self, conn: Connection, contact: Contact) -> None:
        """In the write's transaction: the contact's data changed, so do its keys.

        A write that left what the score reads alone (its tags, say) costs one read.
        """
        row = indexed(contact)
        if self.repo.profile_of(conn, contact.pk) != row.profile:
            self.repo.put(conn, [row], fresh=False)

    def created(
        self,
        conn: Connection,
        contacts: Sequence[Contact],
        prepared: Sequence[PreparedContact] | None = None,
    ) -> None:
        """In the write's transaction: new contacts, indexed with one insert per table.

        The bulk import's contacts come with their entries built in its worker processes.
        """
        if prepared is None:
            rows = [indexed(c) for c in contacts]
        else:
            rows = [indexed(c, p.duplicate_entry) for c, p in zip(contacts, prepared, strict=True)]
        self.repo.put(conn, rows, fresh=True)

    # -- finding -------------------------------------------------------------------

    def scan(self, owner_id: str, min_score: float, *, since_pk: int | None = None) -> Spill:
        """Every pair of the owner's live contacts sharing a key and scoring >= min_score,
        kept as the blocks stream by (spill.py: past a bound, in a scratch file).

        With `since_pk`, only pairs with a contact made after it (an import's arrivals).
        The caller closes the spill.
        """
        spill = Spill(AGREE, memory_links=self.memory_links)
        try:
            with self.store.read() as conn:
                for block in self.repo.blocks(conn, owner_id, self.block_cap, since_pk=since_pk):
                    self._score_block(block, min_score, since_pk, spill)
        except BaseException:
            spill.close()
            raise
        return spill

    @staticmethod
    def _score_block(
        block: list[Member], min_score: float, since_pk: int | None, spill: Spill
    ) -> None:
        for i, first in enumerate(block):
            for second in block[i + 1 :]:
                if first.pk == second.pk:
                    continue
                pair = (first.pk, second.pk) if first.pk < second.pk else (second.pk, first.pk)
                if since_pk is not None and pair[1] <= since_pk:
                    continue
                if not may_match(first.profile, second.profile, min_score):
                    continue
                if spill.known(*pair):
                    continue
                match = score(first.profile, second.profile, explain=False)
                if match.score >= min_score:
                    spill.add(
                        pair,
                        score(first.profile, second.profile),
                        (
                            (first.pk, first.contact_id, first.stored),
                            (second.pk, second.contact_id, second.stored),
                        ),
                    )

    @contextmanager
    def grouped(self, owner_id: str, min_score: float | None = None) -> Iterator[Spill]:
        """Every group of the owner's book, kept in order in a scratch file while open.

        `Spill.read` streams them strongest first (then by their ids), so neither the
        links nor the groups are ever all in memory (docs/duplicates.md, "Groups").
        """
        threshold = _check_score(min_score, "minScore")
        with self.scan(owner_id, threshold) as spill:
            spill.make_groups(threshold)
            yield spill

    def stream(self, owner_id: str, min_score: float | None = None) -> Iterator[Suggestion]:
        """Every group of the owner's book, strongest first, read as it is needed."""
        with self.grouped(owner_id, min_score) as spill:
            for ids, value, reasons in spill.read():
                yield Suggestion(ids, value, reasons)

    def suggestions(self, owner_id: str, min_score: float | None = None) -> list[Suggestion]:
        """Every group of the owner's book at once, strongest first."""
        return list(self.stream(owner_id, min_score))

    def find(
        self,
        owner_id: str,
        *,
        min_score: float | None = None,
        size: int | None = None,
        cursor: str | None = None,
    ) -> tuple[list[Suggestion], str | None]:
        """A page of the owner's groups and the cursor to the next (None at the end).

        The cursor is signed and bound to the owner and to `minScore` (a cursor of
        another score is a 400). Each page reads the book again, so a page after a
        write reflects it; positions are offsets into the groups strongest first.
        """
        threshold = _check_score(min_score, "minScore")
        if size is not None and not 1 <= size <= MAX_PAGE:
            raise InvalidInput(f"must be from 1 to {MAX_PAGE}", field="size")
        page = size or DEFAULT_PAGE
        offset = 0
        if cursor is not None:
            offset, permille = self.cursors.decode(
                cursor, CURSOR_KIND, owner_id, field="cursor", shape="ii"
            )
            if permille != round(threshold * 1000):
                raise InvalidInput("this cursor was issued for another minScore", field="cursor")
        with self.grouped(owner_id, threshold) as spill:
            shown = [Suggestion(*row) for row in spill.read(offset, page)]
            total = spill.groups
        following = offset + len(shown)
        if following >= total:
            return shown, None
        token = self.cursors.encode(CURSOR_KIND, owner_id, following, round(threshold * 1000))
        return shown, token

    def check(
        self, owner_id: str, data: dict[str, Any], *, min_score: float | None = None
    ) -> list[tuple[str, Match]]:
        """The owner's contacts that a contact with `data` likely duplicates, best first."""
        threshold = _check_score(min_score, "minScore")
        made = profiles.build(data)
        members = self.repo.candidates(self.store.quick, owner_id, keys_of(made), self.block_cap)
        # The scan's cheap bound first: a common name brings dozens of namesakes.
        scored = [
            (m.contact_id, score(made, m.profile))
            for m in members
            if may_match(made, m.profile, threshold)
        ]
        return sorted(
            ((cid, m) for cid, m in scored if m.score >= threshold), key=lambda x: -x[1].score
        )

    def high_water(self) -> int:
        """A mark before an import: `count_arrivals` looks at contacts made after it."""
        with self.store.read() as conn:
            return self.repo.high_water(conn)

    def count_arrivals(self, owner_id: str, since_pk: int) -> int:
        """How many of the owner's contacts made after `since_pk` likely duplicate another."""
        with self.scan(owner_id, DEFAULT_MIN_SCORE, since_pk=since_pk) as spill:
            return spill.arrivals(since_pk)
