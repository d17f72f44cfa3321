"""How much one call may ask of the contacts: page sizes, byte budgets, ids, contacts per owner.

Documented in docs/limits.md; `ContactService` enforces them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rolodex.contacts.model import Contact


@dataclass(frozen=True, slots=True)
class ContactLimits:
    """Paging and batch limits, documented in docs/limits.md."""

    default_page_size: int = 100
    max_page_size: int = 1000
    # A page stops before its contacts' stored data passes this many bytes (but always
    # holds one contact) and hands out a cursor for the rest; a page by number over it
    # is refused (docs/limits.md, Pages).
    page_max_bytes: int = 8 * 1024 * 1024
    max_ids_per_get: int = 1000
    # Contacts one account or team may store, deleted ones (tombstones) included.
    max_contacts_per_owner: int = 2_000_000


def fitting(found: Sequence[Contact], max_bytes: int) -> int:
    """How many of the first contacts fit in `max_bytes` (`Contact.stored_size`); one at least."""
    total = 0
    for count, contact in enumerate(found):
        total += contact.stored_size()
        if total > max_bytes:
            return max(count, 1)
    return len(found)
