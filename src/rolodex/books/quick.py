"""The book's hot reads, on the store's driver connections (store/quick_read.py says why).

A PROPFIND Depth 1 or an initial sync of a book lists every card's name and etag, and
nothing else: building a `Contact` per card (its data parsed, its tag ids gathered) and
reading the card rows and book of each page apart cost more than the rest of the answer
(docs/benchmarks.md, "After the listing work"). Here a page of the listing is one
statement returning, per card, only what names it and what its etag is.

A book's state (its CTag and sync-token point) and its changes are the owner's change
log read through the book: a contact's change belongs to the contact's book (the default
book when it has no `book_members` row, or when the contact is gone for good), a change
of anything else (a tag, which any book's cards may show) to every book of the owner.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import orjson

from rolodex.books.model import DEFAULT_BOOK
from rolodex.contacts.repository.rows import TAG_IDS
from rolodex.store.quick_read import Reader, Statement

_CARD = "c.pk, c.contact_id, c.etag, c.updated_at, cc.uid, cc.resource_name"

# The default book: the owner's live contacts with no `book_members` row, in key order.
_DEFAULT_PAGE = Statement.same(
    f"SELECT {_CARD} FROM contacts c LEFT JOIN contact_cards cc ON cc.contact_pk = c.pk"
    " WHERE c.owner_id = ? AND c.pk > ? AND c.deleted_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM book_members bm WHERE bm.contact_pk = c.pk)"
    " ORDER BY c.pk LIMIT ?"
)
# Another book: its `book_members` rows (their index is in key order), then the contacts.
_BOOK_PAGE = Statement.same(
    f"SELECT {_CARD} FROM book_members bm JOIN contacts c ON c.pk = bm.contact_pk"
    " LEFT JOIN contact_cards cc ON cc.contact_pk = c.pk"
    " WHERE bm.owner_id = ? AND bm.book = ? AND bm.contact_pk > ? AND c.deleted_at IS NULL"
    " ORDER BY bm.contact_pk LIMIT ?"
)

# A change of the owner's log, with the book it belongs to.
_IN_BOOK = (
    "FROM changes ch LEFT JOIN contacts c ON ch.entity = 'contact'"
    " AND c.contact_id = ch.entity_id AND c.owner_id = ch.owner_id"
    " LEFT JOIN book_members bm ON bm.contact_pk = c.pk"
)
_OF_BOOK = "(ch.entity <> 'contact' OR coalesce(bm.book, ?) = ?)"

# The book's last point: the owner's log walked back from its end to the first change of
# the book (usually the last change of all; the walk is as long as the run of changes
# made in the owner's other books since).
_STATE = Statement.same(
    f"SELECT ch.seq {_IN_BOOK} WHERE ch.owner_id = ? AND {_OF_BOOK} ORDER BY ch.seq DESC LIMIT 1"
)
_LAST = Statement.same("SELECT max(seq) FROM changes WHERE owner_id = ?")
# The book's changes after a point, each with its contact as it is now (deleted or not).
_SINCE = Statement.same(
    "SELECT ch.seq, ch.entity, ch.entity_id, ch.action, c.pk, c.etag, c.updated_at,"
    f" c.deleted_at, cc.uid, cc.resource_name {_IN_BOOK}"
    " LEFT JOIN contact_cards cc ON cc.contact_pk = c.pk"
    f" WHERE ch.owner_id = ? AND ch.seq > ? AND {_OF_BOOK} ORDER BY ch.seq LIMIT ?"
)


class CardRef(NamedTuple):
    """A card as a listing reads it: the driver's row, these fields in order."""

    pk: int
    contact_id: str
    etag: str
    updated_at: int
    # The `contact_cards` row's UID and chosen resource name (None: no row, or none chosen).
    uid: str | None
    resource_name: str | None


class ChangeRow(NamedTuple):
    """A change of the book's history with its contact now (None when it is gone)."""

    seq: int
    entity: str
    entity_id: str
    action: str
    pk: int | None
    etag: str | None
    updated_at: int | None
    deleted_at: int | None
    uid: str | None
    resource_name: str | None


class QuickBookReads:
    @staticmethod
    def page(reader: Reader, owner_id: str, book: str, after_pk: int, limit: int) -> list[Any]:
        """The book's live cards after the key `after_pk`, in key order (`CardRef` rows)."""
        if book == DEFAULT_BOOK:
            return reader.rows(_DEFAULT_PAGE, owner_id, after_pk, limit)
        return reader.rows(_BOOK_PAGE, owner_id, book, after_pk, limit)

    @staticmethod
    def state(reader: Reader, owner_id: str, book: str) -> int:
        """The seq of the book's last change (0 before its first)."""
        rows = reader.rows(_STATE, owner_id, DEFAULT_BOOK, book)
        return int(rows[0][0]) if rows else 0

    @staticmethod
    def last_seq(reader: Reader, owner_id: str) -> int:
        """The owner's last point in the log, whatever book it is of."""
        rows = reader.rows(_LAST, owner_id)
        return int(rows[0][0] or 0) if rows else 0

    @staticmethod
    def since(reader: Reader, owner_id: str, book: str, seq: int, limit: int) -> list[Any]:
        """The book's changes after `seq`, oldest first (`ChangeRow` rows)."""
        return reader.rows(_SINCE, owner_id, seq, DEFAULT_BOOK, book, limit)


# A multiget's names: the cards of the resource names a client chose, those named after
# their UID, and those named after the UID derived from their id; each part a lookup per
# name on a unique index (the list is the outer loop, as in contacts/repository/quick.py).
_NAMED_COLUMNS = f"{_CARD}, bm.book"
_NAMED_TAIL = "LEFT JOIN book_members bm ON bm.contact_pk = c.pk"
_NAMED = Statement(
    f"SELECT {_NAMED_COLUMNS} FROM json_each(?) j CROSS JOIN contact_cards cc"
    " ON cc.owner_id = ? AND cc.book = ? AND cc.resource_name = j.value"
    f" JOIN contacts c ON c.pk = cc.contact_pk {_NAMED_TAIL} WHERE c.deleted_at IS NULL"
    f" UNION ALL SELECT {_NAMED_COLUMNS} FROM json_each(?) j CROSS JOIN contact_cards cc"
    " ON cc.owner_id = ? AND cc.book = ? AND cc.uid = j.value"
    f" JOIN contacts c ON c.pk = cc.contact_pk {_NAMED_TAIL}"
    " WHERE c.deleted_at IS NULL AND cc.resource_name IS NULL"
    f" UNION ALL SELECT {_NAMED_COLUMNS} FROM json_each(?) j CROSS JOIN contacts c"
    " ON c.contact_id = j.value LEFT JOIN contact_cards cc ON cc.contact_pk = c.pk"
    f" {_NAMED_TAIL} WHERE c.owner_id = ? AND c.deleted_at IS NULL",
    f"SELECT {_NAMED_COLUMNS} FROM contact_cards cc JOIN contacts c ON c.pk = cc.contact_pk"
    f" {_NAMED_TAIL} WHERE cc.owner_id = ? AND cc.book = ? AND cc.resource_name = ANY(?)"
    " AND c.deleted_at IS NULL"
    f" UNION ALL SELECT {_NAMED_COLUMNS} FROM contact_cards cc"
    f" JOIN contacts c ON c.pk = cc.contact_pk {_NAMED_TAIL}"
    " WHERE cc.owner_id = ? AND cc.book = ? AND cc.uid = ANY(?) AND cc.resource_name IS NULL"
    " AND c.deleted_at IS NULL"
    f" UNION ALL SELECT {_NAMED_COLUMNS} FROM contacts c"
    f" LEFT JOIN contact_cards cc ON cc.contact_pk = c.pk {_NAMED_TAIL}"
    " WHERE c.contact_id = ANY(?) AND c.owner_id = ? AND c.deleted_at IS NULL",
)

# What a card's text is written from: the stored contact, its tags, its card row's UID
# and extras, and the text a client PUT with the etag it stands for.
_TEXT_COLUMNS = "c.pk, c.contact_id, c.etag, c.data, {tags}, cc.uid, cc.extras, cc.raw, cc.raw_etag"
_TEXTS = Statement(
    _TEXT_COLUMNS.format(tags=TAG_IDS["sqlite"]).join(
        ["SELECT ", " FROM json_each(?) j CROSS JOIN contacts c ON c.pk = j.value"]
    )
    + " LEFT JOIN contact_cards cc ON cc.contact_pk = c.pk WHERE c.owner_id = ?",
    _TEXT_COLUMNS.format(tags=TAG_IDS["postgresql"]).join(
        ["SELECT ", " FROM contacts c LEFT JOIN contact_cards cc ON cc.contact_pk = c.pk"]
    )
    + " WHERE c.pk = ANY(?) AND c.owner_id = ?",
)


class TextRow(NamedTuple):
    """What a card's text is written from (the driver's row, these fields in order)."""

    pk: int
    contact_id: str
    etag: str
    # `contactData` and the sorted tag ids, as stored (JSON text).
    data: str
    tag_ids: str
    uid: str | None
    extras: str | None
    raw: str | None
    raw_etag: str | None


def _listed(reader: Reader, values: list[Any]) -> Any:
    """A list as one parameter: a JSON array for SQLite's `json_each`, a list for `ANY`."""
    return values if reader.postgres else orjson.dumps(values).decode()


class QuickCardReads:
    @staticmethod
    def named(
        reader: Reader,
        owner_id: str,
        book: str,
        names: list[str],
        uids: list[str],
        ids: list[str],
    ) -> list[Any]:
        """The book's live cards that may be named so (`CardRef` rows then the book, None
        for the default one): by chosen name, by UID (both unique per book), by contact
        id (whose book the caller checks)."""
        if reader.postgres:
            params: tuple[Any, ...] = (owner_id, book, names, owner_id, book, uids, ids, owner_id)
        else:
            params = (
                _listed(reader, names),
                owner_id,
                book,
                _listed(reader, uids),
                owner_id,
                book,
                _listed(reader, ids),
                owner_id,
            )
        return reader.rows(_NAMED, *params)

    @staticmethod
    def texts(reader: Reader, owner_id: str, pks: list[int]) -> list[Any]:
        """The owner's contacts of these keys, as `TextRow`s (in no particular order)."""
        if not pks:
            return []
        return reader.rows(_TEXTS, _listed(reader, pks), owner_id)
