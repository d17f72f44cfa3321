"""Redirect URIs: checking what an app registers, matching what a request names, and
adding the authorization response's parameters."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rolodex.errors import InvalidInput

MAX_REDIRECT_URI_LENGTH = 2000
_LOOPBACK_HOSTS = {"127.0.0.1", "[::1]", "localhost"}


def check_redirect_uri(uri: str, *, field: str = "redirect_uri") -> str:
    """A redirect URI fit to register: absolute, no fragment (RFC 6749 §3.1.2), not too long."""
    uri = uri.strip()
    if not uri:
        raise InvalidInput("a redirect URI is required", field=field)
    if len(uri) > MAX_REDIRECT_URI_LENGTH:
        raise InvalidInput(f"must be at most {MAX_REDIRECT_URI_LENGTH} characters", field=field)
    parts = urlsplit(uri)
    if not parts.scheme or (parts.scheme in ("http", "https") and not parts.netloc):
        raise InvalidInput(f"'{uri}' is not an absolute URI", field=field)
    if parts.fragment or "#" in uri:
        raise InvalidInput("a redirect URI may not contain a fragment (#)", field=field)
    if any(c.isspace() for c in uri):
        raise InvalidInput("a redirect URI may not contain spaces", field=field)
    return uri


def _without_loopback_port(uri: str) -> str | None:
    """The URI with its port removed if it is an http loopback URI, else None."""
    parts = urlsplit(uri)
    if parts.scheme != "http" or parts.hostname is None or "@" in parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    host = host[: host.rindex("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
    if host.lower() not in _LOOPBACK_HOSTS:
        return None
    return urlunsplit((parts.scheme, host.lower(), parts.path, parts.query, ""))


def redirect_uri_matches(requested: str, registered: list[str]) -> bool:
    """Whether `requested` is one of the registered URIs.

    Exact string comparison (RFC 6749 §3.1.2.3), except that a loopback URI matches with
    any port: native apps listen on whatever port is free (RFC 8252 §7.3).
    """
    if requested in registered:
        return True
    loose = _without_loopback_port(requested)
    if loose is None:
        return False
    return any(_without_loopback_port(uri) == loose for uri in registered)


def with_params(uri: str, params: dict[str, str | None]) -> str:
    """The redirect URI with the response parameters added to its query (RFC 6749 §4.1.2)."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((k, v) for k, v in params.items() if v is not None)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
