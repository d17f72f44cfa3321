"""An httpx transport that connects only to addresses the SSRF guard has checked.

httpx resolves and connects inside httpcore's network backend, so that is where the
check goes: the backend resolves the host itself, refuses if any address is forbidden
(`addresses.resolve_checked`), and connects to a checked address. TLS still runs with
the URL's host name (SNI and certificate checks) and the request keeps its `Host`
header, because only the socket's destination changes. Connections are never kept
alive, so every delivery resolves and checks again (DNS rebinding).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpcore
import httpx

from rolodex.webhooks.addresses import AddressRefused, resolve_checked


class GuardedBackend(httpcore.SyncBackend):
    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve_checked(host, port, allow_private=self.allow_private)
        except AddressRefused as exc:
            raise httpcore.ConnectError(f"refused: {exc}") from None
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last


class GuardedTransport(httpx.HTTPTransport):
    """`httpx.HTTPTransport` with the guarded backend, no proxies and no keep-alive."""

    def __init__(self, *, allow_private: bool, ca_bundle: Path | None = None) -> None:
        super().__init__(trust_env=False)
        context = httpx.create_ssl_context(trust_env=False)
        if ca_bundle is not None:
            context.load_verify_locations(cafile=str(ca_bundle))
        # httpx has no public hook for the network backend, so build its pool ourselves
        # with the same arguments httpx would, plus the backend.
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=10,
            max_keepalive_connections=0,
            network_backend=GuardedBackend(allow_private=allow_private),
        )


def guarded_client(
    *,
    allow_private: bool,
    connect_timeout: float,
    timeout: float,
    ca_bundle: Path | None = None,
) -> httpx.Client:
    """A client for one delivery: guarded, no redirects followed, no environment proxies."""
    return httpx.Client(
        transport=GuardedTransport(allow_private=allow_private, ca_bundle=ca_bundle),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
    )
