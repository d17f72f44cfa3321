"""Redirect URIs: the one check of what may be a redirect URI, matching what a request
names against what an app registered, and adding the authorization response's parameters.

Registration (the developer page, `rolodex apps create`) and the authorization endpoint
both go through `check_redirect_uri`, so a URI refused today is never redirected to,
even if an older release stored it. What passes (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700
§4.1.1), in brief:

- `https://host/...`;
- `http://` only on a loopback host (`127.0.0.1`, `[::1]`, `localhost`), for native apps
  listening on the machine itself (RFC 8252 §7.3);
- a private-use scheme in reverse-DNS form, `com.example.app:/callback` (RFC 8252 §7.1).

Everything else is refused: `javascript:`, `data:`, `vbscript:`, `file:` and any other
scheme, userinfo (`user@host`), a fragment, a port that is not 1 to 65535, spaces,
control characters, backslashes and non-ASCII characters.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rolodex.errors import InvalidInput

MAX_REDIRECT_URI_LENGTH = 2000
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "[::1]", "localhost"})

# RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
# RFC 8252 §7.1: a reverse domain name, at least two labels ("com.example.app").
_PRIVATE_USE_SCHEME = re.compile(r"^[a-z][a-z0-9+-]*(\.[a-z0-9][a-z0-9+-]*)+$")
# A DNS name or IPv4 address, or a bracketed IPv6 literal; then an optional port.
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$")
_PORT = re.compile(r"^[0-9]{1,5}$")
# What a browser may turn into something else: `\` read as `/`, tabs and newlines dropped.
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\]")


def _split_authority(netloc: str) -> tuple[str, str | None]:
    """The host and the port text (None without a `:`) of an authority with no userinfo."""
    if netloc.startswith("["):
        end = netloc.find("]")
        if end == -1:
            return netloc, None
        host, rest = netloc[: end + 1], netloc[end + 1 :]
        if not rest:
            return host, None
        if not rest.startswith(":"):
            return netloc, None
        return host, rest[1:]
    host, sep, port = netloc.partition(":")
    return host, port if sep else None


def check_redirect_uri(uri: str, *, field: str = "redirect_uri") -> str:
    """A redirect URI fit to register and to redirect to, or InvalidInput saying why not.

    Surrounding spaces are dropped; nothing else is changed, since requests must then
    name the URI exactly as registered (RFC 6749 §3.1.2.3).
    """
    uri = uri.strip()
    if not uri:
        raise InvalidInput("a redirect URI is required", field=field)
    if len(uri) > MAX_REDIRECT_URI_LENGTH:
        raise InvalidInput(f"must be at most {MAX_REDIRECT_URI_LENGTH} characters", field=field)
    if not uri.isascii():
        raise InvalidInput(
            "a redirect URI must be ASCII: percent-encode other characters", field=field
        )
    if _FORBIDDEN.search(uri):
        raise InvalidInput(
            "a redirect URI may not contain spaces, control characters or backslashes",
            field=field,
        )
    if "#" in uri:
        # RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component."
        raise InvalidInput("a redirect URI may not contain a fragment (#)", field=field)
    scheme, sep, _rest = uri.partition(":")
    if not sep or not _SCHEME.match(scheme):
        raise InvalidInput(f"'{uri}' is not an absolute URI (it needs a scheme)", field=field)
    scheme = scheme.lower()
    parts = urlsplit(uri)
    if scheme in ("https", "http"):
        _check_web_uri(uri, scheme, parts.netloc, field)
    elif _PRIVATE_USE_SCHEME.match(scheme):
        # RFC 8252 §7.1: no naming authority, so one slash only ("com.example.app:/cb").
        if parts.netloc or uri[len(scheme) + 1 :].startswith("//"):
            raise InvalidInput(
                f"a private-use URI has no host: write {scheme}:/path, with one slash",
                field=field,
            )
    else:
        raise InvalidInput(
            f"the scheme '{scheme}:' is not allowed: use https://, http:// on a loopback "
            "address (127.0.0.1, [::1], localhost) or a reverse-DNS private-use scheme "
            "such as com.example.app:/callback",
            field=field,
        )
    return uri


def _check_web_uri(uri: str, scheme: str, netloc: str, field: str) -> None:
    if not uri[len(scheme) + 1 :].startswith("//") or not netloc:
        raise InvalidInput(f"'{uri}' names no host", field=field)
    if "@" in netloc:
        raise InvalidInput("a redirect URI may not contain a user name or password", field=field)
    host, port = _split_authority(netloc)
    if not host or not _HOST.match(host):
        raise InvalidInput(f"'{host}' is not a valid host name", field=field)
    if port is not None and (not _PORT.match(port) or not 1 <= int(port) <= 65535):
        raise InvalidInput(f"'{port}' is not a valid port (1 to 65535)", field=field)
    if scheme == "http" and host.lower() not in LOOPBACK_HOSTS:
        raise InvalidInput(
            "http:// is allowed only on a loopback address (127.0.0.1, [::1], localhost); "
            "use https://",
            field=field,
        )


def is_valid_redirect_uri(uri: str) -> bool:
    """Whether `uri` passes `check_redirect_uri` unchanged (no surrounding spaces either)."""
    try:
        return check_redirect_uri(uri) == uri
    except InvalidInput:
        return False


def _without_loopback_port(uri: str) -> str | None:
    """The URI with its port removed if it is an http loopback URI, else None."""
    parts = urlsplit(uri)
    if parts.scheme != "http" or "@" in parts.netloc:
        return None
    host, _port = _split_authority(parts.netloc)
    if host.lower() not in LOOPBACK_HOSTS:
        return None
    return urlunsplit((parts.scheme, host.lower(), parts.path, parts.query, ""))


def redirect_uri_matches(requested: str, registered: list[str]) -> bool:
    """Whether `requested` is a valid redirect URI and one of the registered ones.

    Exact string comparison (RFC 6749 §3.1.2.3), except that a loopback URI matches with
    any (valid) port: native apps listen on whatever port is free (RFC 8252 §7.3). A
    registered URI that the rules of `check_redirect_uri` now refuse matches nothing.
    """
    if not is_valid_redirect_uri(requested):
        return False
    valid = [uri for uri in registered if is_valid_redirect_uri(uri)]
    if requested in valid:
        return True
    loose = _without_loopback_port(requested)
    if loose is None:
        return False
    return any(_without_loopback_port(uri) == loose for uri in valid)


def with_params(uri: str, params: dict[str, str | None]) -> str:
    """The redirect URI with the response parameters added to its query (RFC 6749 §4.1.2)."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((k, v) for k, v in params.items() if v is not None)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
