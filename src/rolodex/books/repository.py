"""SQL for address books: `address_books` (books beyond the default, and names given)
and `book_members` (the book of each contact outside its owner's default book), and the
one read a CardDAV PUT needs before it writes (`met_by_put`, its fast path)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, text, update

from rolodex.books.model import DEFAULT_BOOK
from rolodex.store.quick_read import Reader, Statement
from rolodex.store.schema import address_books, book_members, contacts

_ROWS_OF_OWNER = Statement.same(
    "SELECT owner_id, name, display_name, description FROM address_books"
    " WHERE owner_id = ? ORDER BY created_at, name"
)


@dataclass(frozen=True, slots=True)
class BookRow:
    owner_id: str
    name: str
    display_name: str
    description: str


class BookRepository:
    @staticmethod
    def rows_of(conn: Connection, owner_ids: Sequence[str]) -> list[BookRow]:
        """The stored books of these owners, by owner and name."""
        if not owner_ids:
            return []
        rows = conn.execute(
            select(address_books)
            .where(address_books.c.owner_id.in_(list(owner_ids)))
            .order_by(address_books.c.owner_id, address_books.c.created_at, address_books.c.name)
        )
        return [BookRow(r.owner_id, r.name, r.display_name, r.description) for r in rows]

    @staticmethod
    def rows_of_owner(reader: Reader, owner_id: str) -> list[BookRow]:
        """`rows_of` one owner, straight on the driver (store/quick_read.py): every
        CardDAV request reads its book's owner's books."""
        return [BookRow(*row) for row in reader.rows(_ROWS_OF_OWNER, owner_id)]

    @staticmethod
    def insert(conn: Connection, row: BookRow, now: int) -> None:
        conn.execute(
            insert(address_books).values(
                owner_id=row.owner_id,
                name=row.name,
                display_name=row.display_name,
                description=row.description,
                created_at=now,
                updated_at=now,
            )
        )

    @staticmethod
    def update(conn: Connection, row: BookRow, now: int) -> bool:
        result = conn.execute(
            update(address_books)
            .where(address_books.c.owner_id == row.owner_id, address_books.c.name == row.name)
            .values(display_name=row.display_name, description=row.description, updated_at=now)
        )
        return bool(result.rowcount)

    @staticmethod
    def remove(conn: Connection, owner_id: str, name: str) -> None:
        conn.execute(
            delete(address_books).where(
                address_books.c.owner_id == owner_id, address_books.c.name == name
            )
        )

    # -- members -----------------------------------------------------------------------

    @staticmethod
    def books_of(conn: Connection, pks: Sequence[int]) -> dict[int, str]:
        """contact pk -> its book, for these contacts (the default book when absent)."""
        if not pks:
            return {}
        rows = conn.execute(
            select(book_members.c.contact_pk, book_members.c.book).where(
                book_members.c.contact_pk.in_(list(pks))
            )
        )
        found = {row.contact_pk: row.book for row in rows}
        return {pk: found.get(pk, DEFAULT_BOOK) for pk in pks}

    @staticmethod
    def member_page(
        conn: Connection, owner_id: str, book: str, *, after_pk: int, limit: int
    ) -> list[int]:
        """The keys of a (non-default) book's contacts after `after_pk`, in key order."""
        rows = conn.execute(
            select(book_members.c.contact_pk)
            .where(
                book_members.c.owner_id == owner_id,
                book_members.c.book == book,
                book_members.c.contact_pk > after_pk,
            )
            .order_by(book_members.c.contact_pk)
            .limit(limit)
        )
        return [row.contact_pk for row in rows]

    @staticmethod
    def place(conn: Connection, owner_id: str, contact_pk: int, book: str) -> None:
        """Put a new contact in a book (the default book needs no row)."""
        if book != DEFAULT_BOOK:
            conn.execute(
                insert(book_members).values(contact_pk=contact_pk, owner_id=owner_id, book=book)
            )

    @staticmethod
    def count_live(conn: Connection, owner_id: str, book: str) -> int:
        """How many live contacts a (non-default) book holds."""
        value = conn.execute(
            select(func.count())
            .select_from(book_members)
            .join(contacts, contacts.c.pk == book_members.c.contact_pk)
            .where(
                book_members.c.owner_id == owner_id,
                book_members.c.book == book,
                contacts.c.deleted_at.is_(None),
            )
        ).scalar()
        return int(value or 0)


@dataclass(frozen=True, slots=True)
class Met:
    """A card a PUT meets in its book (`BookRepository.met_by_put`).

    `kind`: "card" (a contact with a card row), "derived" (a contact without one, named
    and identified by its derived UID) or "group" (a group card at the name).
    """

    kind: str
    contact_pk: int
    contact_id: str
    deleted: bool
    uid: str | None
    resource_name: str | None


# Every card of the book a PUT of `:uid` at `:name` meets, in one statement: the rows at
# that name (chosen, or named after their UID), the rows holding that UID (deleted
# contacts' too), the contacts without a row named or identified by a derived UID, and a
# group card at the name. Each branch is a lookup on a unique index or a primary key.
_MET_BY_PUT = text(
    "SELECT 'card' AS kind, c.pk, c.contact_id, c.deleted_at, cc.uid, cc.resource_name"
    " FROM contact_cards cc JOIN contacts c ON c.pk = cc.contact_pk"
    " WHERE cc.owner_id = :owner AND cc.book = :book AND cc.resource_name = :name"
    " UNION ALL"
    " SELECT 'card', c.pk, c.contact_id, c.deleted_at, cc.uid, cc.resource_name"
    " FROM contact_cards cc JOIN contacts c ON c.pk = cc.contact_pk"
    " WHERE cc.owner_id = :owner AND cc.book = :book AND cc.uid IN (:uid, :base, :urn_base)"
    " UNION ALL"
    " SELECT 'derived', c.pk, c.contact_id, c.deleted_at, NULL, NULL FROM contacts c"
    " WHERE c.owner_id = :owner AND c.contact_id IN (:name_id, :uid_id)"
    " AND NOT EXISTS (SELECT 1 FROM contact_cards x WHERE x.contact_pk = c.pk)"
    " UNION ALL"
    " SELECT 'group', 0, '', NULL, NULL, g.resource_name FROM group_cards g"
    " WHERE g.owner_id = :owner AND g.resource_name = :name AND g.book = :book"
)


def met_by_put(
    conn: Connection,
    owner_id: str,
    book: str,
    name: str,
    uid: str,
    *,
    base: str | None,
    urn_base: str | None,
    name_id: str | None,
    uid_id: str | None,
) -> list[Met]:
    """The cards of the book a PUT meets (see `_MET_BY_PUT`), for books/writes.py to judge.

    `base`, `urn_base`: the UIDs a card named `name` would have if named after its UID;
    `name_id`, `uid_id`: the contact ids the derived UIDs of the name and of `uid` stand
    for (None when they are none, or the book is not the default one: only the default
    book holds contacts without a row).
    """
    rows = conn.execute(
        _MET_BY_PUT,
        {
            "owner": owner_id,
            "book": book,
            "name": name,
            "uid": uid,
            "base": base,
            "urn_base": urn_base,
            "name_id": name_id,
            "uid_id": uid_id,
        },
    )
    return [Met(r[0], int(r[1]), r[2], r[3] is not None, r[4], r[5]) for r in rows]
