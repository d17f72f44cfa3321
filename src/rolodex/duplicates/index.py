"""What the duplicate index stores for a contact's data: its profile text and its keys.

One function for every path that writes a contact, so that a contact made by the bulk
import (whose worker processes build this with the rest of the contact's stored forms,
`contacts.prepared`) is indexed exactly as one made or changed through an API.
"""

from __future__ import annotations

from typing import Any

from rolodex.duplicates.keys import keys_of
from rolodex.duplicates.profile import build, encode

# (the profile as stored, the blocking keys)
IndexEntry = tuple[str, list[str]]


def index_of(data: dict[str, Any]) -> IndexEntry:
    made = build(data)
    return encode(made), keys_of(made)
