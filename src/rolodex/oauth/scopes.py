"""The scopes of the Contacts+ API (specs/contactsplus-api.txt, section Scopes), and the
one reader of scope lists: a request's (checked against the known names) and a stored
one (written by `format_scopes`, so trusted), split the same way.
"""

from __future__ import annotations

from functools import lru_cache

from rolodex.errors import InvalidInput

SCOPES: dict[str, str] = {
    "account.read": "Read your account information",
    "contacts.read": "Read your contacts",
    "contacts.write": "Create, update and delete your contacts",
    "tags.read": "Read your tags",
    "tags.write": "Create, update and delete your tags",
    "teams.read": "Read your teams",
    "teams.contacts.read": "Read your teams' contacts",
    "teams.contacts.write": "Create, update and delete your teams' contacts",
    "teams.tags.read": "Read your teams' tags",
    "teams.tags.write": "Create, update and delete your teams' tags",
}

ALL_SCOPES: frozenset[str] = frozenset(SCOPES)

# What an app password grants (rolodex.oauth.app_passwords, docs/carddav.md): a CardDAV
# client reads the account, its books and its teams' books, and a card's CATEGORIES are
# tags, so the tag scopes go with the contact scopes. A read-only password gets the
# reads alone; a read-write one the writes too.
APP_PASSWORD_READ_SCOPES: frozenset[str] = frozenset(
    {"account.read", "contacts.read", "tags.read", "teams.read"}
    | {"teams.contacts.read", "teams.tags.read"}
)
APP_PASSWORD_WRITE_SCOPES: frozenset[str] = APP_PASSWORD_READ_SCOPES | frozenset(
    {"contacts.write", "tags.write", "teams.contacts.write", "teams.tags.write"}
)


def _names(value: str) -> frozenset[str]:
    """The names in a list: comma-separated as the spec writes it, spaces tolerated."""
    return frozenset(part.strip() for part in value.replace(" ", ",").split(",") if part.strip())


def no_scope_named(value: str | None) -> bool:
    """Whether a request's `scope` names nothing: missing, or only commas and spaces."""
    return value is None or not value.replace(",", " ").strip()


def parse_scopes(value: str | None, *, field: str = "scopes") -> frozenset[str]:
    """Scopes from the comma-separated form the spec uses (spaces tolerated); None means all."""
    if value is None or not value.strip():
        return ALL_SCOPES
    names = _names(value)
    unknown = sorted(names - ALL_SCOPES)
    if unknown:
        raise InvalidInput(f"unknown scope(s): {', '.join(unknown)}", field=field)
    return frozenset(names)


@lru_cache(maxsize=256)
def stored_scopes(value: str) -> frozenset[str]:
    """A stored scope list as a set (cached: the same few lists recur on every request)."""
    return _names(value)


def format_scopes(scopes: frozenset[str]) -> str:
    """The stored (and answered) form: names in order, comma-separated."""
    return ",".join(sorted(scopes))
