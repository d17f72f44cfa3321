"""An export's read: the owner's live contacts as plain rows, in big pages, on the driver.

An export of a million contacts cannot afford a `Contact` per row (rows.py's mapper,
parsed tag lists, a second query for the file `UID`s): the page is one statement on the
store's driver connection (store/quick_read.py) that also joins the contact's
`contact_cards` row, and each row stays the tuple the driver made, `ExportRow`'s
fields in order. The texts stay as stored (`data`, the tag ids and the extras are JSON
text): a JSON-lines export writes them as they are, the other formats parse what they use.

A page is cut by count and by bytes, as a scroll page is (quick.py says how each store
bounds it), so memory holds one page however large the contacts are.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rolodex.contacts.repository.rows import TAG_IDS
from rolodex.store.quick_read import QuickReads, Statement

# What a page counts for a row beyond its data and extras (its id, tags, UID).
_ROW_OVERHEAD = 128
_WHERE = "c.owner_id = ? AND c.pk > ? AND c.deleted_at IS NULL"
_JOIN = "contacts c LEFT JOIN contact_cards cc ON cc.contact_pk = c.pk"
_PG_SIZE = "octet_length(c.data) + coalesce(octet_length(cc.extras), 0)"

_EXPORT_PAGE = Statement(
    f"SELECT c.pk, c.contact_id, c.data, {TAG_IDS['sqlite']}, cc.uid, cc.extras"
    f" FROM {_JOIN} WHERE {_WHERE} ORDER BY c.pk LIMIT ?",
    # PostgreSQL's driver takes the whole result at once: the statement leaves out the
    # rows past the byte budget by a running total (as quick.py's scroll page does).
    f"SELECT c.pk, c.contact_id, c.data, {TAG_IDS['postgresql']}, c.uid, c.extras FROM"
    f" (SELECT c.pk, c.contact_id, c.data, c.deleted_at, cc.uid, cc.extras,"
    f" coalesce(sum({_PG_SIZE} + {_ROW_OVERHEAD}) OVER (ORDER BY c.pk"
    " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before"
    f" FROM {_JOIN} WHERE {_WHERE} ORDER BY c.pk LIMIT ?) c"
    " WHERE c.before < ? ORDER BY c.pk",
)


class ExportRow(NamedTuple):
    """One contact as an export reads it (the driver's tuple has these fields in order)."""

    pk: int
    contact_id: str
    # `contactData` as stored (JSON text).
    data: str
    # The contact's tag ids, sorted, as a JSON array.
    tag_ids: str
    # Its file `UID` and the JSON of its kept extras, None when it has no `contact_cards` row.
    uid: str | None
    extras: str | None


class ExportRows:
    @staticmethod
    def export_page(
        reads: QuickReads, owner_id: str, *, after_pk: int, limit: int, max_bytes: int
    ) -> list[tuple[Any, ...]]:
        """The owner's next live contacts after key `after_pk`, in key order, as `ExportRow`
        tuples: at most `limit`, and no more than `max_bytes` of stored text (but always
        one, so that a walk moves on). An empty page ends the walk."""
        params: tuple[Any, ...] = (owner_id, after_pk, limit)
        if reads.postgres:
            return reads.rows(_EXPORT_PAGE, *params, max_bytes)
        found: list[tuple[Any, ...]] = []
        append = found.append
        total = 0
        with reads.stepping(_EXPORT_PAGE, params) as rows:
            for row in rows:
                append(row)
                extras = row[5]
                total += len(row[2]) + (len(extras) if extras else 0) + _ROW_OVERHEAD
                if total >= max_bytes:
                    break
        return found
