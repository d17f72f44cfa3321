"""Sync tokens (RFC 6578 §3.2): a URI naming the book and a point of its owner's log.

`urn:x-rolodex:sync:<owner_id>:<book>:<seq>`. The point is a change-log sequence
number, so a token never expires; naming the book, a token of another book is refused
(403 valid-sync-token) rather than read against the wrong history.
"""

from __future__ import annotations

from rolodex.books.model import AddressBook

PREFIX = "urn:x-rolodex:sync:"


def token_of(book: AddressBook, seq: int) -> str:
    return f"{PREFIX}{book.owner_id}:{book.name}:{seq}"


def seq_of(book: AddressBook, token: str) -> int | None:
    """The point a token of this book names, or None when it is not one."""
    rest = token.strip()
    expected = f"{PREFIX}{book.owner_id}:{book.name}:"
    if not rest.startswith(expected):
        return None
    number = rest[len(expected) :]
    if not number.isascii() or not number.isdigit() or len(number) > 19:
        return None
    return int(number)
