"""SQL for `contact_cards`: a contact's file `UID` and the extras its file carried.

Only contacts imported from a file or written by a CardDAV client have a row (docs/import-export.md, "Where Rolodex
keeps a card's UID and extras"). The table knows nothing of any format: `extras` is the
JSON of `Card.extras`, owned by `rolodex.formats`. Every statement here is on the
primary key (the contact's `pk`) or on the unique index of (owner, uid).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, cast, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB

from rolodex.store.schema import contact_cards, contacts

_EXTRAS_OF = select(contact_cards.c.extras).where(contact_cards.c.contact_pk == bindparam("key"))
_SET_EXTRAS = (
    update(contact_cards)
    .where(contact_cards.c.contact_pk == bindparam("key"))
    .values(extras=bindparam("extras"))
)


@dataclass(frozen=True, slots=True)
class CardRow:
    """One contact's row: its key, owner, `UID` and extras (parsed)."""

    contact_pk: int
    owner_id: str
    uid: str
    extras: dict[str, Any]
    # The CardDAV resource name a client chose (`x.vcf`), or None (rolodex.books.names).
    resource_name: str | None = None


@dataclass(frozen=True, slots=True)
class CardName:
    """What names a contact's card (rolodex.books.names): its `UID` and a chosen name."""

    uid: str
    resource_name: str | None


@dataclass(frozen=True, slots=True)
class UidHolder:
    """The contact a `UID` belongs to, and whether that contact is deleted."""

    contact_pk: int
    contact_id: str
    deleted: bool


def _extras(text: str) -> dict[str, Any]:
    value = orjson.loads(text)
    return value if isinstance(value, dict) else {}


# Every column but the kept card text (`raw`, read only by `raw_of`).
_ROW = (
    contact_cards.c.contact_pk,
    contact_cards.c.owner_id,
    contact_cards.c.uid,
    contact_cards.c.extras,
    contact_cards.c.resource_name,
)


def _card_row(row: Any) -> CardRow:
    return CardRow(row.contact_pk, row.owner_id, row.uid, _extras(row.extras), row.resource_name)


class CardRepository:
    @staticmethod
    def holders(conn: Connection, owner_id: str, uids: Iterable[str]) -> dict[str, UidHolder]:
        """uid -> the owner's contact holding it, for the uids some row has (one statement)."""
        wanted = list(dict.fromkeys(uids))
        if not wanted:
            return {}
        rows = conn.execute(
            select(
                contact_cards.c.uid,
                contact_cards.c.contact_pk,
                contacts.c.contact_id,
                contacts.c.deleted_at,
            )
            .join(contacts, contacts.c.pk == contact_cards.c.contact_pk)
            .where(contact_cards.c.owner_id == owner_id, contact_cards.c.uid.in_(wanted))
        )
        return {
            row.uid: UidHolder(row.contact_pk, row.contact_id, row.deleted_at is not None)
            for row in rows
        }

    @staticmethod
    def by_pks(conn: Connection, pks: Sequence[int]) -> dict[int, CardRow]:
        """The rows of these contacts (those that have one)."""
        if not pks:
            return {}
        rows = conn.execute(select(*_ROW).where(contact_cards.c.contact_pk.in_(list(pks))))
        return {row.contact_pk: _card_row(row) for row in rows}

    @staticmethod
    def names_by_pks(conn: Connection, pks: Sequence[int]) -> dict[int, CardName]:
        """The `UID` and resource name of these contacts' rows (those that have one).

        A listing names every card of a book and needs nothing else of the row: reading
        and parsing the extras too took a quarter of a PROPFIND Depth 1's time.
        """
        if not pks:
            return {}
        rows = conn.execute(
            select(
                contact_cards.c.contact_pk, contact_cards.c.uid, contact_cards.c.resource_name
            ).where(contact_cards.c.contact_pk.in_(list(pks)))
        )
        return {row.contact_pk: CardName(row.uid, row.resource_name) for row in rows}

    @staticmethod
    def by_resource_name(conn: Connection, owner_id: str, name: str) -> CardRow | None:
        """The owner's row of this CardDAV resource name (its unique index)."""
        row = conn.execute(
            select(*_ROW).where(
                contact_cards.c.owner_id == owner_id, contact_cards.c.resource_name == name
            )
        ).first()
        return None if row is None else _card_row(row)

    @staticmethod
    def by_uid(conn: Connection, owner_id: str, uid: str) -> CardRow | None:
        """The owner's row of this `UID` (its unique index)."""
        row = conn.execute(
            select(*_ROW).where(contact_cards.c.owner_id == owner_id, contact_cards.c.uid == uid)
        ).first()
        return None if row is None else _card_row(row)

    @staticmethod
    def by_resource_names(conn: Connection, owner_id: str, names: Sequence[str]) -> list[CardRow]:
        """The owner's rows of these CardDAV resource names (a multiget's, one statement)."""
        if not names:
            return []
        rows = conn.execute(
            select(*_ROW).where(
                contact_cards.c.owner_id == owner_id,
                contact_cards.c.resource_name.in_(list(names)),
            )
        )
        return [_card_row(row) for row in rows]

    @staticmethod
    def by_uids(conn: Connection, owner_id: str, uids: Sequence[str]) -> list[CardRow]:
        """The owner's rows of these UIDs (one statement)."""
        if not uids:
            return []
        rows = conn.execute(
            select(*_ROW).where(
                contact_cards.c.owner_id == owner_id, contact_cards.c.uid.in_(list(uids))
            )
        )
        return [_card_row(row) for row in rows]

    @staticmethod
    def set_raw(conn: Connection, contact_pk: int, text: str, etag: str) -> None:
        """Keep the card as a client sent it, valid while the contact's etag is `etag`."""
        conn.execute(
            update(contact_cards)
            .where(contact_cards.c.contact_pk == contact_pk)
            .values(raw=text, raw_etag=etag)
        )

    @staticmethod
    def raw_of(conn: Connection, pks: Sequence[int]) -> dict[int, tuple[str, str]]:
        """contact pk -> (the card as sent, the etag it stands for), for those kept."""
        if not pks:
            return {}
        rows = conn.execute(
            select(contact_cards.c.contact_pk, contact_cards.c.raw, contact_cards.c.raw_etag).where(
                contact_cards.c.contact_pk.in_(list(pks)), contact_cards.c.raw.is_not(None)
            )
        )
        return {row.contact_pk: (row.raw, row.raw_etag) for row in rows}

    @staticmethod
    def remove(conn: Connection, contact_pks: Sequence[int]) -> None:
        """Drop these contacts' rows (a deleted contact giving up its UID and name)."""
        if contact_pks:
            conn.execute(
                delete(contact_cards).where(contact_cards.c.contact_pk.in_(list(contact_pks)))
            )

    @staticmethod
    def put(conn: Connection, rows: Sequence[CardRow]) -> None:
        """Write these rows, replacing any row of the same contact (delete, then insert)."""
        if not rows:
            return
        pks = [r.contact_pk for r in rows]
        # A re-import keeps the resource name a CardDAV client gave the card.
        names: dict[int, str] = {
            row.contact_pk: row.resource_name
            for row in conn.execute(
                select(contact_cards.c.contact_pk, contact_cards.c.resource_name).where(
                    contact_cards.c.contact_pk.in_(pks),
                    contact_cards.c.resource_name.is_not(None),
                )
            )
        }
        conn.execute(delete(contact_cards).where(contact_cards.c.contact_pk.in_(pks)))
        conn.execute(
            insert(contact_cards),
            [
                {
                    "contact_pk": r.contact_pk,
                    "owner_id": r.owner_id,
                    "uid": r.uid,
                    "extras": orjson.dumps(r.extras).decode(),
                    "resource_name": r.resource_name or names.get(r.contact_pk),
                }
                for r in rows
            ],
        )

    @staticmethod
    def release(conn: Connection, owner_id: str, uids: Sequence[str]) -> None:
        """Take these uids from the (deleted) contacts holding them, so a new contact may."""
        if uids:
            conn.execute(
                delete(contact_cards).where(
                    contact_cards.c.owner_id == owner_id, contact_cards.c.uid.in_(list(uids))
                )
            )

    @staticmethod
    def extras_of(conn: Connection, contact_pk: int) -> dict[str, Any] | None:
        """The contact's kept extras, or None when it has no row (one primary-key read)."""
        text = conn.execute(_EXTRAS_OF, {"key": contact_pk}).scalar()
        return None if text is None else _extras(text)

    @staticmethod
    def extras_of_many(conn: Connection, pks: Sequence[int]) -> dict[int, dict[str, Any]]:
        """`extras_of` of many contacts in one statement: those that have a row."""
        if not pks:
            return {}
        rows = conn.execute(
            select(contact_cards.c.contact_pk, contact_cards.c.extras).where(
                contact_cards.c.contact_pk.in_(list(pks))
            )
        )
        return {pk: _extras(text) for pk, text in rows if text is not None}

    @staticmethod
    def set_extras(conn: Connection, contact_pk: int, extras: dict[str, Any]) -> None:
        conn.execute(_SET_EXTRAS, {"key": contact_pk, "extras": orjson.dumps(extras).decode()})


def max_list_lengths(conn: Connection, owner_id: str, fields: Sequence[str]) -> dict[str, int]:
    """field -> the most entries any live contact of the owner has in that list field.

    One statement over the owner's contacts (a CSV export's header must name every
    repeated column before its first row).
    """
    if not fields:
        return {}
    if conn.dialect.name == "sqlite":
        lengths = [
            func.max(func.coalesce(func.json_array_length(contacts.c.data, f"$.{name}"), 0))
            for name in fields
        ]
    else:
        data = cast(contacts.c.data, JSONB)
        lengths = [
            func.max(func.coalesce(func.jsonb_array_length(data[name]), 0)) for name in fields
        ]
    row = conn.execute(
        select(*lengths).where(contacts.c.owner_id == owner_id, contacts.c.deleted_at.is_(None))
    ).one()
    return {name: int(value or 0) for name, value in zip(fields, row, strict=True)}


# Up to this many live contacts quota-used-bytes is their exact sum; above, an estimate
# from `BYTES_PROBES` contacts spread over the owner's keys: the sum read every card, and
# iOS asks it of every book at every refresh (25 s at a million cards, docs/benchmarks.md).
EXACT_BYTES_UP_TO = 10_000
BYTES_PROBES = 200


def stored_bytes(conn: Connection, owner_id: str, live: int) -> int:
    """The bytes of the owner's `live` live contacts' stored data (CardDAV's quota-used-bytes).

    Exact for a book of up to `EXACT_BYTES_UP_TO` cards; above, `live` times the mean
    size of `BYTES_PROBES` contacts found at evenly spaced keys (each one index seek),
    so that the answer costs the same at a million cards. The same store answers the
    same estimate: it moves only when contacts change.
    """
    if live <= EXACT_BYTES_UP_TO:
        total = conn.execute(
            select(func.sum(func.length(contacts.c.data))).where(
                contacts.c.owner_id == owner_id, contacts.c.deleted_at.is_(None)
            )
        ).scalar()
        return int(total or 0)
    owned = contacts.c.owner_id == owner_id
    low = conn.execute(select(func.min(contacts.c.pk)).where(owned)).scalar()
    high = conn.execute(select(func.max(contacts.c.pk)).where(owned)).scalar()
    if low is None or high is None:
        return 0
    starts = {f"p{i}": low + (high - low) * i // BYTES_PROBES for i in range(BYTES_PROBES)}
    sizes = [
        size
        for size in conn.execute(_probes(), {"owner": owner_id, **starts}).one()
        if size is not None
    ]
    return round(live * sum(sizes) / len(sizes)) if sizes else 0


@lru_cache(maxsize=1)
def _probes() -> Any:
    """One SELECT of `BYTES_PROBES` sizes: each the first live contact at or after a key."""
    return select(
        *(
            select(func.length(contacts.c.data))
            .where(
                contacts.c.owner_id == bindparam("owner"),
                contacts.c.pk >= bindparam(f"p{i}"),
                contacts.c.deleted_at.is_(None),
            )
            .order_by(contacts.c.pk)
            .limit(1)
            .scalar_subquery()
            for i in range(BYTES_PROBES)
        )
    )
