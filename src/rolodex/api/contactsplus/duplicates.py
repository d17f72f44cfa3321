"""`contacts.findDuplicates`: a Rolodex extension of the Contacts+ API (docs/duplicates.md).

The groups of likely duplicates in the caller's book, or a team's: `contacts.read`
(with `teamId`, `teams.contacts.read` and membership, as every team-aware method).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from rolodex.api.contactsplus.call import Call, Envelope

Id = Annotated[str, Field(min_length=1, max_length=64)]


class ContactsFindDuplicates(Envelope):
    teamId: Id | None = None
    # From 0 to 1; the service's default when absent (docs/duplicates.md).
    minScore: float | None = None
    size: int | None = None
    cursor: Annotated[str, Field(max_length=256)] | None = None


def find_duplicates(call: Call) -> dict[str, Any]:
    req = call.parse(ContactsFindDuplicates)
    owner = call.owner(req.teamId, scope="contacts.read", team_scope="teams.contacts.read")
    found, cursor = call.services.duplicates.find(
        owner, min_score=req.minScore, size=req.size, cursor=req.cursor
    )
    out: dict[str, Any] = {"duplicates": [s.as_json() for s in found]}
    if cursor is not None:
        out["cursor"] = cursor
    return out
