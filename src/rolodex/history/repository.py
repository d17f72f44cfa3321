"""The `contact_versions` rows: appended by every write, read by the history and undo.

Appends go straight to the driver with plain rows (`executemany`), as the change log's
`append_many` does: a bulk import appends a thousand per batch, and Core's per-row
parameter handling would cost more than the insert (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, and_, delete, exists, func, select

from rolodex.contacts.versions import DELETED, Snapshot
from rolodex.history.model import Change, Source
from rolodex.store.schema import contact_versions as v
from rolodex.store.schema import contacts, tags

APPEND_COLUMNS = (
    "owner_id",
    "contact_id",
    "action",
    "changed_at",
    "etag",
    "account_id",
    "credential_id",
    "source_kind",
    "source_name",
    "before_etag",
    "before_updated",
    "before_deleted",
    "data",
    "meta",
    "tag_ids",
)
_APPEND = (
    f"INSERT INTO contact_versions ({', '.join(APPEND_COLUMNS)})"
    f" VALUES ({', '.join(['?'] * len(APPEND_COLUMNS))})"
)
_APPEND_PSYCOPG = _APPEND.replace("?", "%s")

_CHANGE_COLUMNS = [v.c[name] for name in ("pk", *APPEND_COLUMNS)]


def change_from_row(row: Sequence[Any]) -> Change:
    """A `Change` from a row of `_CHANGE_COLUMNS`."""
    (pk, owner_id, contact_id, action, changed_at, etag, _account, credential_id, kind, name,
     b_etag, b_updated, b_deleted, data, meta, tag_ids) = row  # fmt: skip
    before = None
    if b_etag is not None:
        before = Snapshot(
            etag=b_etag,
            updated_at=int(b_updated),
            deleted_at=None if b_deleted is None else int(b_deleted),
            data_json=data,
            meta_json=meta,
            tag_ids=tuple(orjson.loads(tag_ids or "[]")),
        )
    return Change(
        version_id=int(pk),
        owner_id=owner_id,
        contact_id=contact_id,
        action=action,
        changed_at=int(changed_at),
        etag=etag,
        source=Source(kind, name, credential_id),
        before=before,
    )


class VersionRepository:
    """Reads and writes of `contact_versions`; always in the caller's transaction."""

    @staticmethod
    def append(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows of `APPEND_COLUMNS`, in one `executemany` on the driver."""
        if rows:
            sql = _APPEND if conn.dialect.name == "sqlite" else _APPEND_PSYCOPG
            conn.exec_driver_sql(sql, list(rows))

    @staticmethod
    def of_contact(
        conn: Connection, owner_id: str, contact_id: str, *, before_pk: int | None, limit: int
    ) -> list[Change]:
        """A contact's changes, newest first, older than `before_pk` when given."""
        query = select(*_CHANGE_COLUMNS).where(
            v.c.owner_id == owner_id, v.c.contact_id == contact_id
        )
        if before_pk is not None:
            query = query.where(v.c.pk < before_pk)
        rows = conn.execute(query.order_by(v.c.pk.desc()).limit(limit))
        return [change_from_row(row) for row in rows]

    @staticmethod
    def one(conn: Connection, owner_id: str, contact_id: str, version_id: int) -> Change | None:
        row = conn.execute(
            select(*_CHANGE_COLUMNS).where(
                v.c.owner_id == owner_id, v.c.contact_id == contact_id, v.c.pk == version_id
            )
        ).first()
        return None if row is None else change_from_row(row)

    @staticmethod
    def last_deletions(
        conn: Connection, owner_id: str, contact_ids: Sequence[str]
    ) -> dict[str, Change]:
        """The latest deletion of each of these contacts that has one kept."""
        if not contact_ids:
            return {}
        latest = (
            select(func.max(v.c.pk))
            .where(
                v.c.owner_id == owner_id,
                v.c.contact_id.in_(list(contact_ids)),
                v.c.action == DELETED,
            )
            .group_by(v.c.contact_id)
        )
        rows = conn.execute(select(*_CHANGE_COLUMNS).where(v.c.pk.in_(latest)))
        return {change.contact_id: change for change in map(change_from_row, rows)}

    @staticmethod
    def by_source(
        conn: Connection,
        owner_id: str,
        *,
        since: int,
        credential_id: str | None = None,
        name: str | None = None,
    ) -> list[Change]:
        """The changes one source made since a moment, oldest first (by credential or name)."""
        query = select(*_CHANGE_COLUMNS).where(v.c.owner_id == owner_id, v.c.changed_at >= since)
        if credential_id is not None:
            query = query.where(v.c.credential_id == credential_id)
        if name is not None:
            query = query.where(v.c.source_name == name)
        return [change_from_row(row) for row in conn.execute(query.order_by(v.c.pk))]

    @staticmethod
    def latest_of(conn: Connection, owner_id: str, contact_ids: Sequence[str]) -> dict[str, int]:
        """The key of each contact's newest change: who changed it last."""
        if not contact_ids:
            return {}
        rows = conn.execute(
            select(v.c.contact_id, func.max(v.c.pk))
            .where(v.c.owner_id == owner_id, v.c.contact_id.in_(list(contact_ids)))
            .group_by(v.c.contact_id)
        )
        return {contact_id: int(pk) for contact_id, pk in rows}

    @staticmethod
    def activity(conn: Connection, owner_id: str, since: int) -> list[Any]:
        """(kind, name, credential id, action, count of contacts, first, last) since a moment."""
        return list(
            conn.execute(
                select(
                    v.c.source_kind,
                    v.c.source_name,
                    v.c.credential_id,
                    v.c.action,
                    func.count(func.distinct(v.c.contact_id)),
                    func.min(v.c.changed_at),
                    func.max(v.c.changed_at),
                )
                .where(v.c.owner_id == owner_id, v.c.changed_at >= since)
                .group_by(v.c.source_kind, v.c.source_name, v.c.credential_id, v.c.action)
            )
        )

    @staticmethod
    def count_deletions(
        conn: Connection, owner_id: str, name: str, credential_id: str, since: int
    ) -> int:
        """How many deletions one credential made in the owner's book since a moment."""
        return int(
            conn.execute(
                select(func.count()).where(
                    v.c.owner_id == owner_id,
                    v.c.source_name == name,
                    v.c.changed_at >= since,
                    v.c.credential_id == credential_id,
                    v.c.action == DELETED,
                )
            ).scalar_one()
        )

    @staticmethod
    def tags_before(
        conn: Connection, owner_id: str, writes: Sequence[tuple[str, str]]
    ) -> dict[str, list[str]]:
        """contact id -> its tags before the write that gave it `etag`, for each (contact
        id, etag) whose version is kept (CardDAV's group cards: who was in a group at a
        sync token). A version purged, or a creation, is absent."""
        found: dict[str, list[str]] = {}
        wanted = dict(writes)
        ids = list(wanted)
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(v.c.contact_id, v.c.etag, v.c.tag_ids).where(
                    v.c.owner_id == owner_id,
                    v.c.contact_id.in_(ids[start : start + 500]),
                    v.c.etag.in_([wanted[i] for i in ids[start : start + 500]]),
                )
            )
            for row in rows:
                if wanted.get(row.contact_id) == row.etag and row.tag_ids is not None:
                    found[row.contact_id] = list(orjson.loads(row.tag_ids))
        return found

    @staticmethod
    def live_tags(conn: Connection, owner_id: str, tag_ids: Sequence[str]) -> list[str]:
        """Those of the tag ids that are the owner's and not deleted (a restore re-attaches them)."""
        if not tag_ids:
            return []
        rows = conn.execute(
            select(tags.c.tag_id).where(
                tags.c.owner_id == owner_id,
                tags.c.tag_id.in_(list(tag_ids)),
                tags.c.deleted_at.is_(None),
            )
        )
        return sorted(row[0] for row in rows)

    @staticmethod
    def trash_page(
        conn: Connection,
        owner_id: str,
        *,
        deleted_since: int,
        after: tuple[int, int] | None,
        limit: int,
    ) -> list[Any]:
        """Deleted contacts of the owner deleted since a moment, newest deletion first:
        rows of (pk, contact_id, etag, updated_at, deleted_at, data, meta)."""
        query = select(
            contacts.c.pk,
            contacts.c.contact_id,
            contacts.c.etag,
            contacts.c.updated_at,
            contacts.c.deleted_at,
            contacts.c.data,
            contacts.c.meta,
        ).where(
            contacts.c.owner_id == owner_id,
            contacts.c.deleted_at >= deleted_since,
            # In the trash only while its deletion is kept: emptying drops the versions.
            exists().where(
                v.c.owner_id == owner_id,
                v.c.contact_id == contacts.c.contact_id,
                v.c.action == DELETED,
            ),
        )
        if after is not None:
            deleted_at, pk = after
            query = query.where(
                (contacts.c.deleted_at < deleted_at)
                | and_(contacts.c.deleted_at == deleted_at, contacts.c.pk < pk)
            )
        return list(
            conn.execute(
                query.order_by(contacts.c.deleted_at.desc(), contacts.c.pk.desc()).limit(limit)
            )
        )

    @staticmethod
    def forget_contact(conn: Connection, owner_id: str, contact_id: str) -> None:
        """Drop every kept version of one contact (its trash time is over)."""
        conn.execute(delete(v).where(v.c.owner_id == owner_id, v.c.contact_id == contact_id))
