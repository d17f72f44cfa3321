"""Every SQL statement about duplicates: the blocking keys and profiles, and their reads.

`duplicate_keys` holds (owner, key, contact) and `duplicate_profiles` one profile per
contact; both are rewritten inside the write that saves the contact (service.py's
hooks). The reads join `contacts` for the contact's id and liveness, so deleted
contacts are never suggested. A block is every live contact under one key: the scan
reads only blocks of 2 to `cap` members, in key order, as a stream (flat memory).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import orjson
from sqlalchemy import Connection, Select, and_, delete, func, insert, select

from rolodex.duplicates.profile import Profile, decode
from rolodex.store.quick_read import QuickReads, Statement
from rolodex.store.schema import contacts, duplicate_keys, duplicate_profiles

# Rows fetched at a time from a streamed scan.
_STREAM_ROWS = 2000


class Member(NamedTuple):
    pk: int
    contact_id: str
    profile: Profile
    # The profile as stored: a tenth of the parsed profile's memory, for keeping.
    stored: str


class Indexed(NamedTuple):
    """One contact's rows to write: its key, owner, stored profile and blocking keys."""

    pk: int
    owner_id: str
    profile: str
    keys: list[str]


def _members() -> Select[str, int, str, str]:
    k, c, p = duplicate_keys.c, contacts.c, duplicate_profiles.c
    return (
        select(k.block_key, k.contact_pk, c.contact_id, p.profile)
        .join(contacts, c.pk == k.contact_pk)
        .join(duplicate_profiles, p.contact_pk == k.contact_pk)
        .where(c.deleted_at.is_(None))
    )


# Checking one contact: the live contacts under each of its keys that at most `cap`
# contacts share, in one statement on the driver (store/quick_read.py), so that the
# check that runs as a contact arrives is one round trip on PostgreSQL. Each key is an
# index lookup for its count (the primary key) and for its members.
_SMALL_KEYS = (
    "SELECT s.block_key FROM duplicate_keys s WHERE s.owner_id = ? AND s.block_key {keys}"
    " GROUP BY s.block_key HAVING count(*) <= ?"
)
_MEMBERS_OF = (
    "SELECT k.contact_pk, c.contact_id, p.profile FROM duplicate_keys k"
    " JOIN contacts c ON c.pk = k.contact_pk"
    " JOIN duplicate_profiles p ON p.contact_pk = k.contact_pk"
    " WHERE c.deleted_at IS NULL AND k.owner_id = ? AND k.block_key IN ({small})"
)
_CANDIDATES = Statement(
    _MEMBERS_OF.format(small=_SMALL_KEYS.format(keys="IN (SELECT value FROM json_each(?))")),
    _MEMBERS_OF.format(small=_SMALL_KEYS.format(keys="= ANY(?)")),
)


def _counted_members(
    owner_id: str, cap: int, touched: Select[str] | None
) -> Select[str, int, str, str]:
    """PostgreSQL's scan: each key's size counted over the key index in order (a window).

    The same rows as the `GROUP BY` form SQLite runs; but when the statistics do not
    know the owner yet (a new account, between an import's analyze and autovacuum's),
    PostgreSQL took it for one row and planned the `GROUP BY` once per row of the
    owner's keys, square in the book: this form has no plan that is.
    """
    k, c, p = duplicate_keys.c, contacts.c, duplicate_profiles.c
    counted = select(
        k.block_key, k.contact_pk, func.count().over(partition_by=k.block_key).label("n")
    ).where(k.owner_id == owner_id)
    if touched is not None:
        counted = counted.where(k.block_key.in_(touched))
    w = counted.subquery()
    return (
        select(w.c.block_key, w.c.contact_pk, c.contact_id, p.profile)
        .join(contacts, c.pk == w.c.contact_pk)
        .join(duplicate_profiles, p.contact_pk == w.c.contact_pk)
        .where(c.deleted_at.is_(None), w.c.n.between(2, cap))
        .order_by(w.c.block_key, w.c.contact_pk)
    )


class DuplicateRepository:
    @staticmethod
    def put(conn: Connection, rows: Sequence[Indexed], *, fresh: bool) -> None:
        """Write these contacts' keys and profiles; `fresh`: they have none yet (creates)."""
        if not rows:
            return
        if not fresh:
            pks = [r.pk for r in rows]
            conn.execute(delete(duplicate_keys).where(duplicate_keys.c.contact_pk.in_(pks)))
            conn.execute(delete(duplicate_profiles).where(duplicate_profiles.c.contact_pk.in_(pks)))
        conn.execute(
            insert(duplicate_profiles),
            [{"contact_pk": r.pk, "owner_id": r.owner_id, "profile": r.profile} for r in rows],
        )
        keys = [
            {"owner_id": r.owner_id, "block_key": key, "contact_pk": r.pk}
            for r in rows
            for key in r.keys
        ]
        if keys:
            conn.execute(insert(duplicate_keys), keys)

    @staticmethod
    def profile_of(conn: Connection, pk: int) -> str | None:
        """A contact's stored profile text (to skip rewriting an unchanged one)."""
        p = duplicate_profiles.c
        found = conn.execute(select(p.profile).where(p.contact_pk == pk)).scalar()
        return None if found is None else str(found)

    @staticmethod
    def forget_owner(conn: Connection, owner_id: str) -> None:
        """Every row of an owner (deleting an account or team)."""
        conn.execute(delete(duplicate_keys).where(duplicate_keys.c.owner_id == owner_id))
        conn.execute(delete(duplicate_profiles).where(duplicate_profiles.c.owner_id == owner_id))

    @staticmethod
    def blocks(
        conn: Connection, owner_id: str, cap: int, *, since_pk: int | None = None
    ) -> Iterator[list[Member]]:
        """Each block of 2 to `cap` rows of the owner, streamed in key order, each block's
        contacts in the order they were made (a pair's reasons name the older first).

        With `since_pk`, only the blocks holding a contact whose key is above it (the
        contacts an import just made), each still whole.
        """
        k = duplicate_keys.c
        touched = None
        if since_pk is not None:
            touched = select(k.block_key).where(k.owner_id == owner_id, k.contact_pk > since_pk)
        if conn.dialect.name == "postgresql":
            statement = _counted_members(owner_id, cap, touched)
        else:
            sizes = select(k.block_key).where(k.owner_id == owner_id)
            if touched is not None:
                sizes = sizes.where(k.block_key.in_(touched))
            multi = sizes.group_by(k.block_key).having(func.count().between(2, cap))
            statement = (
                _members()
                .where(k.owner_id == owner_id, k.block_key.in_(multi))
                .order_by(k.block_key, k.contact_pk)
            )
        rows = conn.execution_options(stream_results=True, yield_per=_STREAM_ROWS).execute(
            statement
        )
        block: list[Member] = []
        current: str | None = None
        for key, pk, contact_id, text in rows:
            if key != current:
                if len(block) > 1:
                    yield block
                block, current = [], key
            block.append(Member(pk, contact_id, decode(text), text))
        if len(block) > 1:
            yield block

    @staticmethod
    def candidates(reads: QuickReads, owner_id: str, keys: Sequence[str], cap: int) -> list[Member]:
        """The live contacts sharing one of `keys` with at most `cap` members, each once."""
        if not keys:
            return []
        unique = list(dict.fromkeys(keys))
        listed = unique if reads.postgres else orjson.dumps(unique).decode()
        found: dict[int, Member] = {}
        for pk, contact_id, text in reads.rows(_CANDIDATES, owner_id, owner_id, listed, cap):
            if pk not in found:
                found[pk] = Member(pk, contact_id, decode(text), text)
        return list(found.values())

    @staticmethod
    def high_water(conn: Connection) -> int:
        """The largest contact key so far: contacts made later have larger ones."""
        return int(conn.execute(select(func.coalesce(func.max(contacts.c.pk), 0))).scalar_one())

    @staticmethod
    def unindexed(conn: Connection, after_pk: int, limit: int) -> list[tuple[int, str, str]]:
        """(pk, owner, data) of contacts without a profile, by key (the migration's backfill)."""
        p = duplicate_profiles.c
        rows = conn.execute(
            select(contacts.c.pk, contacts.c.owner_id, contacts.c.data)
            .outerjoin(duplicate_profiles, and_(p.contact_pk == contacts.c.pk))
            .where(contacts.c.pk > after_pk, p.contact_pk.is_(None))
            .order_by(contacts.c.pk)
            .limit(limit)
        )
        return [(int(pk), str(owner), str(data)) for pk, owner, data in rows]
