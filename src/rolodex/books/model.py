"""An address book and what a client may do in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rolodex.contacts.model import Contact
from rolodex.errors import NotFound

# Every owner (an account, a team) has this one book; its contacts are all the owner's.
DEFAULT_BOOK = "default"


@dataclass(frozen=True, slots=True)
class Access:
    """What the caller's credential allows, settled by the API (scopes are not known here)."""

    own_read: bool = True
    own_write: bool = True
    team_read: bool = True
    team_write: bool = True


@dataclass(frozen=True, slots=True)
class AddressBook:
    """One owner's book as one account sees it.

    `owner_id` is the account's own id or a team's; `writable` (change cards) and
    `manager` are what the account's credential and its role in the team allow.
    """

    owner_id: str
    name: str
    display_name: str
    writable: bool
    is_team: bool = False
    # May make, rename and delete the owner's books (the account itself; a team's owners
    # and admins), as far as the credential allows writing.
    manager: bool = False
    description: str = ""

    @property
    def is_default(self) -> bool:
        return self.name == DEFAULT_BOOK


@dataclass(frozen=True, slots=True)
class Member:
    """A card of a book: the contact and the resource name it is found at (`x.vcf`)."""

    name: str
    contact: Contact

    @property
    def deleted(self) -> bool:
        return self.contact.deleted_at is not None


class CardEntry(NamedTuple):
    """A card as a listing names it: no contact built, only what its response says."""

    name: str
    pk: int
    contact_id: str
    etag: str
    updated_at: int


@dataclass(frozen=True, slots=True)
class BookChanges:
    """What changed in a book after a point of its history, and the point reached.

    `truncated`: more changes remain after `reached` (RFC 6578 §3.6, a 507 for the
    book); the client asks again with the new token.
    """

    changed: list[CardEntry]
    removed: list[str]
    reached: int
    truncated: bool


class UnknownBookState(NotFound):
    """A sync token that is no point of this book's history."""

    code = "unknown_sync_token"
