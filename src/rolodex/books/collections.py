"""Making, renaming and deleting address books (CardDAV extended MKCOL, PROPPATCH, DELETE).

A book beyond the default one is a row of `address_books`; naming the default book
stores a row for it too. Deleting a book is one transaction: its contacts are deleted
as every API's delete does (a tombstone, a `deleted` change and so a webhook event, a
kept version each), a page of them at a time inside that transaction so that memory
holds one page whatever the book's size, then its group cards and their tags, then the
book; a refusal or a failure anywhere leaves all of it. The mass-deletion guard is
asked once, for the whole book, before. The default book, which every other API sees
as the owner's contacts, is never deleted.
"""

from __future__ import annotations

import unicodedata

from rolodex.books.groups import GroupCards
from rolodex.books.model import DEFAULT_BOOK, AddressBook
from rolodex.books.repository import BookRepository, BookRow
from rolodex.books.service import BookService
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.errors import Conflict, DomainError, InvalidInput
from rolodex.store import Store
from rolodex.timestamps import now_ms

# A book's URL segment, decoded: whatever a client names it (vdirsyncer's own tests use
# `test @ foo ät bar-vdirsyncer-ci-<uuid>`), served back percent-encoded.
MAX_NAME = 255
MAX_TEXT = 1000
MAX_BOOKS_PER_OWNER = 1000
# Contacts deleted per statement batch when a book is deleted (one transaction for all).
DELETE_PAGE = 500


class NotManager(DomainError):
    """Only the account itself, or a team's owners and admins, manage the books."""

    code = "read_only"


class BookAdmin:
    def __init__(self, store: Store, books: BookService, contacts: ContactService) -> None:
        self.store = store
        self.books = books
        self.contacts = contacts

    def create(
        self, home: AddressBook, name: str, display_name: str | None, description: str | None
    ) -> AddressBook:
        """A new book of `home`'s owner (`home` is any book of that owner, for the rights).

        A name in use is a Conflict (RFC 4918 §9.3.1: MKCOL on an existing resource).
        """
        _check_manager(home)
        if not valid_name(name) or name == DEFAULT_BOOK:
            raise InvalidInput(
                f"a book's name is 1 to {MAX_NAME} characters, without '/' or control"
                " characters, and not '.' or '..'",
                field="href",
            )
        row = BookRow(home.owner_id, name, _text(display_name) or name, _text(description))
        with self.store.write(owner_id=home.owner_id) as conn:
            existing = BookRepository.rows_of(conn, [home.owner_id])
            if any(r.name == name for r in existing):
                raise Conflict("a book of this name exists", field="href")
            if len(existing) >= MAX_BOOKS_PER_OWNER:
                raise InvalidInput(
                    f"an owner has at most {MAX_BOOKS_PER_OWNER} books", field="href"
                )
            BookRepository.insert(conn, row, now_ms())
        return AddressBook(
            home.owner_id,
            name,
            row.display_name,
            home.writable,
            home.is_team,
            home.manager,
            row.description,
        )

    def describe(
        self, book: AddressBook, display_name: str | None, description: str | None
    ) -> None:
        """Rename the book or change its description (None leaves one as it is)."""
        _check_manager(book)
        row = BookRow(
            book.owner_id,
            book.name,
            book.display_name if display_name is None else _text(display_name),
            book.description if description is None else _text(description),
        )
        now = now_ms()
        with self.store.write(owner_id=book.owner_id) as conn:
            if not BookRepository.update(conn, row, now):
                BookRepository.insert(conn, row, now)

    def delete(self, book: AddressBook) -> int:
        """Delete a book that is not the default one, and its contacts; how many went."""
        _check_manager(book)
        if book.is_default:
            raise NotManager("the default address book is not deleted", field="href")
        owner_id = book.owner_id
        with self.store.read() as conn:
            live = BookRepository.count_live(conn, owner_id, book.name)
        self.contacts.may_delete_many(owner_id, live)
        count = 0
        with self.store.write(owner_id=owner_id) as conn:
            after = 0
            while True:
                pks = BookRepository.member_page(
                    conn, owner_id, book.name, after_pk=after, limit=DELETE_PAGE
                )
                if not pks:
                    break
                found = ContactRepository.by_pks(conn, owner_id, pks)
                self.contacts.delete_many_in(conn, found)
                count += len(found)
                after = pks[-1]
            GroupCards(self.store, self.contacts).delete_book_groups_in(conn, book)
            BookRepository.remove(conn, owner_id, book.name)
        return count


def valid_name(name: str) -> bool:
    """A path segment any client may choose: not empty, '.' or '..', no '/', no control
    character (Unicode category Cc: NUL, newline...), at most MAX_NAME characters."""
    if not name or len(name) > MAX_NAME or name in (".", ".."):
        return False
    return "/" not in name and not any(unicodedata.category(c) == "Cc" for c in name)


def _check_manager(book: AddressBook) -> None:
    if not book.manager:
        raise NotManager("this credential or role may not manage these books", field="href")


def _text(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"at most {MAX_TEXT} characters", field="displayname")
    return text
