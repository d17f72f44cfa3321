"""SQL for `contact_cards`: a contact's file `UID` and the extras its file carried.

Only contacts imported from a file or written by a CardDAV client have a row (docs/import-export.md, "Where Rolodex
keeps a card's UID and extras"). The table knows nothing of any format: `extras` is the
JSON of `Card.extras`, owned by `rolodex.formats`. Every statement here is on the
primary key (the contact's `pk`) or on the unique indexes of (owner, book, uid) and
(owner, book, resource name): a UID is unique per address book (revision 0029_book_uids).
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

# The book every contact made outside CardDAV is in (rolodex.books.model.DEFAULT_BOOK).
DEFAULT_BOOK = "default"

_EXTRAS_OF = select(contact_cards.c.extras).where(contact_cards.c.contact_pk == bindparam("key"))
_SET_EXTRAS = (
    update(contact_cards)
    .where(contact_cards.c.contact_pk == bindparam("key"))
    .values(extras=bindparam("extras"))
)


_PUT_CARD = (
    update(contact_cards)
    .where(contact_cards.c.contact_pk == bindparam("key"))
    .values(
        uid=bindparam("uid"),
        extras=bindparam("extras"),
        resource_name=bindparam("resource_name"),
        raw=bindparam("raw"),
        raw_etag=bindparam("raw_etag"),
    )
)
_INSERT_CARD = insert(contact_cards).values(
    contact_pk=bindparam("contact_pk"),
    owner_id=bindparam("owner_id"),
    book=bindparam("book"),
    uid=bindparam("uid"),
    extras=bindparam("extras"),
    resource_name=bindparam("resource_name"),
    raw=bindparam("raw"),
    raw_etag=bindparam("raw_etag"),
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
    # The address book of the contact: the default book for every contact made outside
    # CardDAV (an import's); a contact keeps its book when its row is written again.
    book: str = DEFAULT_BOOK


@dataclass(frozen=True, slots=True)
class CardName:
    """What names a contact's card (rolodex.books.names): its `UID` and a chosen name."""

    uid: str
    resource_name: str | None


@dataclass(frozen=True, slots=True)
class UidHolder:
    """The contact a `UID` belongs to, whether that contact is deleted, and its book."""

    contact_pk: int
    contact_id: str
    deleted: bool
    book: str = DEFAULT_BOOK


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
    contact_cards.c.book,
)


def _card_row(row: Any) -> CardRow:
    return CardRow(
        row.contact_pk, row.owner_id, row.uid, _extras(row.extras), row.resource_name, row.book
    )


class CardRepository:
    @staticmethod
    def holders(conn: Connection, owner_id: str, uids: Iterable[str]) -> dict[str, UidHolder]:
        """uid -> the owner's contact holding it, for the uids some row has (one statement).

        A UID is unique per book, so several books may hold one: a live holder comes
        before a deleted one, and the default book's before another book's.
        """
        wanted = list(dict.fromkeys(uids))
        if not wanted:
            return {}
        rows = conn.execute(
            select(
                contact_cards.c.uid,
                contact_cards.c.contact_pk,
                contact_cards.c.book,
                contacts.c.contact_id,
                contacts.c.deleted_at,
            )
            .join(contacts, contacts.c.pk == contact_cards.c.contact_pk)
            .where(contact_cards.c.owner_id == owner_id, contact_cards.c.uid.in_(wanted))
        )
        found = [
            (UidHolder(r.contact_pk, r.contact_id, r.deleted_at is not None, r.book), r.uid)
            for r in rows
        ]
        best: dict[str, UidHolder] = {}
        for holder, uid in sorted(found, key=lambda f: (f[0].deleted, f[0].book != DEFAULT_BOOK)):
            best.setdefault(uid, holder)
        return best

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
    def by_resource_name(conn: Connection, owner_id: str, book: str, name: str) -> CardRow | None:
        """The book's row of this CardDAV resource name (its unique index)."""
        row = conn.execute(
            select(*_ROW).where(
                contact_cards.c.owner_id == owner_id,
                contact_cards.c.book == book,
                contact_cards.c.resource_name == name,
            )
        ).first()
        return None if row is None else _card_row(row)

    @staticmethod
    def by_uid(conn: Connection, owner_id: str, book: str, uid: str) -> CardRow | None:
        """The book's row of this `UID` (its unique index)."""
        row = conn.execute(
            select(*_ROW).where(
                contact_cards.c.owner_id == owner_id,
                contact_cards.c.book == book,
                contact_cards.c.uid == uid,
            )
        ).first()
        return None if row is None else _card_row(row)

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
    def carry_raw(conn: Connection, moves: Sequence[tuple[int, str, str]]) -> None:
        """(pk, etag put back, new etag): a contact put back to the very version a client's
        card was sent for (an unmerge, an undo) serves that card again, byte for byte,
        under the etag the write gave it. A card sent for any other version stays stale."""
        if not moves:
            return
        wanted = {pk: (old, new) for pk, old, new in moves}
        c = contact_cards.c
        kept = conn.execute(
            select(c.contact_pk, c.raw_etag).where(
                c.contact_pk.in_(list(wanted)), c.raw.is_not(None)
            )
        ).all()
        for pk, raw_etag in kept:
            old, new = wanted[pk]
            if raw_etag == old:
                conn.execute(
                    update(contact_cards)
                    .where(c.contact_pk == pk, c.raw_etag == old)
                    .values(raw_etag=new)
                )

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
        # A re-import keeps the resource name a CardDAV client gave the card, and its book.
        kept = {
            row.contact_pk: (row.resource_name, row.book)
            for row in conn.execute(
                select(
                    contact_cards.c.contact_pk,
                    contact_cards.c.resource_name,
                    contact_cards.c.book,
                ).where(contact_cards.c.contact_pk.in_(pks))
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
                    "resource_name": r.resource_name or kept.get(r.contact_pk, (None,))[0],
                    "book": kept[r.contact_pk][1] if r.contact_pk in kept else r.book,
                }
                for r in rows
            ],
        )

    @staticmethod
    def put_card(conn: Connection, row: CardRow, raw: str, etag: str, *, new: bool) -> None:
        """A CardDAV PUT's row with the card's text: one INSERT for a new contact, one
        UPDATE (an INSERT when the contact had no row) for one already there."""
        values = {
            "uid": row.uid,
            "extras": orjson.dumps(row.extras).decode(),
            "resource_name": row.resource_name,
            "raw": raw,
            "raw_etag": etag,
        }
        if not new:
            done = conn.execute(_PUT_CARD, {"key": row.contact_pk, **values}).rowcount
            if done:
                return
        conn.execute(
            _INSERT_CARD,
            {"contact_pk": row.contact_pk, "owner_id": row.owner_id, "book": row.book, **values},
        )

    @staticmethod
    def release(conn: Connection, owner_id: str, book: str, uids: Sequence[str]) -> None:
        """Take these uids from the (deleted) contacts of the book holding them, so a new
        contact of that book may."""
        if uids:
            conn.execute(
                delete(contact_cards).where(
                    contact_cards.c.owner_id == owner_id,
                    contact_cards.c.book == book,
                    contact_cards.c.uid.in_(list(uids)),
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
