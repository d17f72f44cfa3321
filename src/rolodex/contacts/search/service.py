"""`SearchService`: contact search for every API (Contacts+ `contacts.search`, REST `searchText`, ...).

A search is one read transaction: the query is parsed and planned (planner.py: the
rank buckets and what each holds), the pages are walked bucket by bucket (pages.py),
and every statement is the search repository's (repository.py) over the database's
index (backend.py). Results come by rank bucket, then by key: a total, stable order
that a cursor resumes exactly (cursor.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection

from rolodex.contacts import phones
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactFilters, ContactRepository
from rolodex.contacts.search.backend import SearchBackend, backend_for
from rolodex.contacts.search.cursor import SearchCursor
from rolodex.contacts.search.pages import PageWalk, Tuning, offset_page
from rolodex.contacts.search.planner import Plan, narrows_to_owner
from rolodex.contacts.search.query import parse
from rolodex.contacts.search.repository import SearchRepository, owner_share
from rolodex.contacts.service import ContactService, ScrollPage, fitting
from rolodex.errors import InvalidInput
from rolodex.store import Store

MAX_TAG_IDS = 100


class SearchService:
    """Ranked pages of an owner's contacts.

    `backend`: the index of the store's database (default: its usual backend, by
    dialect); `tuning`: how pages are walked (pages.Tuning). Neither changes a result.
    """

    def __init__(
        self,
        store: Store,
        contacts: ContactService,
        *,
        backend: SearchBackend | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        self.store = store
        self.contacts = contacts
        self.backend = backend or backend_for(store.engine.dialect.name)
        self.tuning = tuning or Tuning()

    def search(
        self,
        owner_id: str,
        query: str,
        *,
        size: int | None = None,
        cursor: str | None = None,
        tag_ids: Sequence[str] | None = None,
    ) -> ScrollPage:
        """One page of the owner's live contacts matching `query`, best first.

        `tag_ids`: only contacts carrying all of them. The cursor is present while more
        results remain; a walk with it sees each contact whose text is unchanged during
        the walk exactly once (docs/search.md). An empty query matches every contact.
        Bad queries are `InvalidInput` on `searchQuery` naming the character at fault.
        """
        limit = self.contacts.page_size(size)
        wanted_tags = _tag_ids(tag_ids)
        plan = Plan(parse(query, region=phones.default_region()))
        fingerprint = SearchCursor.fingerprint(query, wanted_tags)
        codec = self.contacts.cursors
        bucket, after = (
            (0, 0) if cursor is None else SearchCursor.decode(codec, owner_id, cursor, fingerprint)
        )
        with self.store.read() as conn:
            self.backend.begin(conn)
            repo = self._repository(conn, owner_id, plan, wanted_tags)
            walk = PageWalk(repo, conn, self.tuning, limit)
            if cursor is None and self.tuning.leave_out_better:
                walk.better = set()
            rows = walk.run(plan.buckets(), bucket=bucket, after=after)
            found = ContactRepository.by_pks(conn, owner_id, [pk for _, pk in rows[:limit]])
        # The byte budget (docs/limits.md): a page ends early, with a cursor after its last.
        fits = fitting(found, self.contacts.limits.page_max_bytes)
        if fits < len(found):
            found = found[:fits]
            last_bucket, last_pk = next((r, pk) for r, pk in rows if pk == found[-1].pk)
            return ScrollPage(
                found, SearchCursor.encode(codec, owner_id, last_bucket, last_pk, fingerprint)
            )
        if len(rows) <= limit:
            return ScrollPage(found, None)
        last_bucket, last_pk = rows[limit - 1]
        return ScrollPage(
            found, SearchCursor.encode(codec, owner_id, last_bucket, last_pk, fingerprint)
        )

    def search_offset(
        self,
        owner_id: str,
        query: str,
        *,
        offset: int,
        limit: int,
        filters: ContactFilters | None = None,
    ) -> tuple[list[Contact], int]:
        """A page by position of the same ranked results, and how many match in all.

        For APIs that page by number. Pages are consistent while the matching contacts
        do not change; a change between two requests can shift later pages by one.
        `filters` narrow the matches in SQL, as they narrow a listing (REST `tags`,
        `locationId`, `channel` beside `searchText`).
        """
        if offset < 0:
            raise InvalidInput("must not be negative", field="offset")
        if not 1 <= limit <= self.contacts.limits.max_page_size:
            raise InvalidInput(
                f"must be between 1 and {self.contacts.limits.max_page_size}", field="limit"
            )
        plan = Plan(parse(query, region=phones.default_region()))
        _tag_ids(None if filters is None else filters.tag_ids)  # as many as `search` takes
        with self.store.read() as conn:
            self.backend.begin(conn)
            narrowed = () if filters is None else ContactRepository.filter_conditions(conn, filters)
            repo = self._repository(conn, owner_id, plan, [], tuple(narrowed))
            pks, total = offset_page(repo, conn, plan, offset=offset, limit=limit)
            found = ContactRepository.by_pks(conn, owner_id, pks)
        return found, total

    def _repository(
        self,
        conn: Connection,
        owner_id: str,
        plan: Plan,
        tag_ids: Sequence[str],
        narrowed: tuple[ColumnElement[bool], ...] = (),
    ) -> SearchRepository:
        """The statements of this search, narrowing to the owner first or not (`Tuning`)."""
        by_owner = self.tuning.narrow_to_owner
        if by_owner is None:
            by_owner = narrows_to_owner(*owner_share(conn, owner_id))
        return SearchRepository(self.backend, owner_id, plan, tag_ids, by_owner, narrowed)


def _tag_ids(tag_ids: Sequence[str] | None) -> list[str]:
    wanted = sorted(set(tag_ids or ()))
    if len(wanted) > MAX_TAG_IDS:
        raise InvalidInput(f"at most {MAX_TAG_IDS} tag ids", field="tagIds")
    return wanted
