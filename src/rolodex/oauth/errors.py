"""OAuth 2.0 refusals (RFC 6749 §5.2), raised by the token endpoint's services.

They are domain errors like any other, but carry the RFC's error code and the status the
RFC asks for, since the OAuth endpoints answer `{"error", "error_description"}` rather
than the Contacts+ error shape.
"""

from __future__ import annotations

from rolodex.errors import DomainError


class OAuthError(DomainError):
    """An RFC 6749 error: `code` is the RFC's `error` value."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.code = error
        self.status = status


def invalid_request(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


def invalid_client(description: str = "client authentication failed") -> OAuthError:
    # RFC 6749 §5.2: invalid_client is a 401.
    return OAuthError("invalid_client", description, status=401)


def invalid_grant(description: str) -> OAuthError:
    return OAuthError("invalid_grant", description)


def invalid_scope(description: str) -> OAuthError:
    return OAuthError("invalid_scope", description)
