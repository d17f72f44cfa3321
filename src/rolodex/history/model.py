"""A kept version of a contact, and who made a change, as the history shows them."""

from __future__ import annotations

from dataclasses import dataclass

from rolodex.contacts.versions import Snapshot


@dataclass(frozen=True, slots=True)
class Source:
    """Who made a change: the kind of actor (rolodex.actors) and the name a person reads."""

    kind: str
    name: str
    credential_id: str | None = None


UNKNOWN = Source("unknown", "")


@dataclass(frozen=True, slots=True)
class Change:
    """One row of `contact_versions`: a write to a contact and the version it replaced.

    `before` is None for a creation, which replaced nothing.
    """

    version_id: int
    owner_id: str
    contact_id: str
    action: str
    changed_at: int
    etag: str
    source: Source
    before: Snapshot | None


@dataclass(frozen=True, slots=True)
class Version:
    """A version of a contact that a later write replaced, with who made it (its `source`)."""

    version_id: int
    contact_id: str
    state: Snapshot
    source: Source
    replaced_at: int
    replaced_by: Source


@dataclass(frozen=True, slots=True)
class Trashed:
    """A deleted contact still in the trash, with who deleted it and the tags it had."""

    contact_id: str
    deleted_at: int
    state: Snapshot
    source: Source


@dataclass(frozen=True, slots=True)
class Activity:
    """What one source did since a moment: how many contacts it created, changed, deleted."""

    source: Source
    created: int
    changed: int
    deleted: int
    first_at: int
    last_at: int
