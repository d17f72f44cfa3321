"""The scopes of the Contacts+ API (specs/contactsplus-api.txt, section Scopes)."""

from __future__ import annotations

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


def parse_scopes(value: str | None, *, field: str = "scopes") -> frozenset[str]:
    """Scopes from the comma-separated form the spec uses (spaces tolerated); None means all."""
    if value is None or not value.strip():
        return ALL_SCOPES
    names = {part.strip() for part in value.replace(" ", ",").split(",") if part.strip()}
    unknown = sorted(names - ALL_SCOPES)
    if unknown:
        raise InvalidInput(f"unknown scope(s): {', '.join(unknown)}", field=field)
    return frozenset(names)


def format_scopes(scopes: frozenset[str]) -> str:
    return ",".join(sorted(scopes))
