"""Domain errors: what a service can refuse, independent of any wire dialect.

Each API package maps these onto its own status codes and error shapes, so a
service never speaks HTTP and a handler never invents its own failure kinds.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal a service can make."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The request names a field with a value the service cannot accept."""

    code = "invalid_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        details: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.details = details or ([{"field": field, "problem": message}] if field else [])


class NotFound(DomainError):
    """The object does not exist for this caller (another account's objects included)."""

    code = "not_found"


class EtagConflict(DomainError):
    """Optimistic concurrency: the caller's etag is not the object's current one."""

    code = "etag_conflict"


class Conflict(DomainError):
    """The write would break a uniqueness rule (a name already taken, say)."""

    code = "conflict"


class DeletionsHeld(Conflict):
    """The mass-deletion guard holds this credential's deletions until a person confirms
    on the web page (docs/history.md): every API answers it as its 409."""

    code = "deletions_held"


class LimitExceeded(DomainError):
    """The request would grow something past a documented limit."""

    code = "limit_exceeded"


class Unauthenticated(DomainError):
    """No credential, or one that is unknown, expired or revoked."""

    code = "unauthorized"


class MissingScope(DomainError):
    """The credential is valid but was not granted the scope the call needs."""

    code = "insufficient_scope"

    def __init__(self, scope: str) -> None:
        super().__init__(f"this call needs the scope '{scope}'", field=None)
        self.scope = scope
