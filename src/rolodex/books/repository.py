"""SQL for address books: `address_books` (books beyond the default, and names given)
and `book_members` (the book of each contact outside its owner's default book)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, update

from rolodex.books.model import DEFAULT_BOOK
from rolodex.store.schema import address_books, book_members, contacts


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
