"""Where a request came from: the client's address, and whether it came over TLS.

Behind a reverse proxy the connection is the proxy's, so the proxy's `X-Forwarded-For`
and `X-Forwarded-Proto` tell the truth, but only if the proxy is trusted: anyone can send
those headers. `ROLODEX_TRUST_PROXY_HEADERS=true` says every connection comes through a
proxy that sets them. Then the rightmost `X-Forwarded-For` entry (the address the proxy
itself saw; entries to its left are whatever the client claimed) is the client.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import Scope


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (`name` in lower case), or None."""
    headers: Iterable[tuple[bytes, bytes]] = scope.get("headers") or ()
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def client_address(scope: Scope, trust_proxy: bool) -> str:
    if trust_proxy:
        forwarded = header(scope, b"x-forwarded-for")
        if forwarded:
            last = forwarded.rsplit(",", 1)[-1].strip()
            if last:
                return last[:64]
    client = scope.get("client")
    return str(client[0])[:64] if client else "unknown"


def came_over_tls(scope: Scope, trust_proxy: bool) -> bool:
    if scope.get("scheme") in ("https", "wss"):
        return True
    if trust_proxy:
        proto = header(scope, b"x-forwarded-proto")
        # A chain of proxies lists one scheme each; the first is the client's own.
        return proto is not None and proto.split(",", 1)[0].strip().lower() == "https"
    return False
