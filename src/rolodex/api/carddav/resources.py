"""The resources of the CardDAV tree and their URLs (docs/carddav.md, URLs).

```
/dav/                                  the root (also `/` for PROPFIND: discovery)
/dav/principals/<account_id>/          the caller's principal
/dav/books/<owner_id>/                 an address book home (the account's, a team's)
/dav/books/<owner_id>/<book>/          an address book
/dav/books/<owner_id>/<book>/<name>    a card (`<name>` usually ends in `.vcf`)
```
Another account's principal, home, book or card is a 404, exactly like one that does not
exist (no cross-account leak).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from rolodex.api.carddav.auth import Caller
from rolodex.books.group_listing import GroupView
from rolodex.books.model import Access, AddressBook, Member
from rolodex.errors import NotFound
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services

ROOT = "root"
PRINCIPALS = "principals"
PRINCIPAL = "principal"
HOME = "home"
BOOK = "book"
CARD = "card"

DAV_ROOT = "/dav/"
PRINCIPALS_PATH = "/dav/principals/"
BOOKS_PATH = "/dav/books/"


def principal_href(account_id: str) -> str:
    return f"{PRINCIPALS_PATH}{quote(account_id, safe='')}/"


def home_href(owner_id: str) -> str:
    return f"{BOOKS_PATH}{quote(owner_id, safe='')}/"


def book_href(book: AddressBook) -> str:
    return f"{home_href(book.owner_id)}{quote(book.name, safe='')}/"


def card_href(book: AddressBook, name: str) -> str:
    return book_href(book) + quote(name, safe="@+:=,;!$&'()*~")


@dataclass
class Dav:
    """One authenticated CardDAV request: who calls and the services, with a few reads
    remembered for the length of the request (a book's state is read once per answer)."""

    services: Services
    caller: Caller
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def account_id(self) -> str:
        return self.caller.principal.account_id

    @property
    def access(self) -> Access:
        scopes = self.caller.principal.scopes
        if scopes >= ALL_SCOPES:
            return Access()
        return Access(
            own_read="contacts.read" in scopes or "contacts.write" in scopes,
            own_write="contacts.write" in scopes,
            team_read="teams.contacts.read" in scopes or "teams.contacts.write" in scopes,
            team_write="teams.contacts.write" in scopes,
        )

    def books(self) -> list[AddressBook]:
        if "books" not in self.memo:
            self.memo["books"] = self.services.books.books_for(self.account_id, self.access)
        found: list[AddressBook] = self.memo["books"]
        return found

    def book(self, owner_id: str, name: str) -> AddressBook:
        return self.services.books.book(self.account_id, owner_id, name, self.access)

    def home(self, owner_id: str) -> list[AddressBook]:
        """The books of one home; NotFound unless the account reaches that owner."""
        found = [b for b in self.books() if b.owner_id == owner_id]
        if not found:
            raise NotFound("no such address book home", field="href")
        return found

    def state(self, book: AddressBook) -> int:
        key = f"state:{book.owner_id}/{book.name}"
        if key not in self.memo:
            self.memo[key] = self.services.books.state(book)
        value: int = self.memo[key]
        return value


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource of the tree, as a property or a response names it."""

    kind: str
    href: str
    book: AddressBook | None = None
    member: Member | None = None
    owner_id: str | None = None
    # A card's resource name, decoded (`x.vcf`).
    name: str | None = None
    # A group card (books/group_listing.py) instead of a contact's.
    group: GroupView | None = None
