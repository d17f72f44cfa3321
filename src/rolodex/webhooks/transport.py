"""An httpx transport that connects only to addresses the SSRF guard has checked.

httpx resolves and connects inside httpcore's network backend, so that is where the
check goes: the backend resolves the host itself, refuses if any address is forbidden
(`addresses.resolve_checked`), and connects to a checked address. TLS still runs with
the URL's host name (SNI and certificate checks) and the request keeps its `Host`
header, because only the socket's destination changes. Connections are never kept
alive, so every delivery resolves and checks again (DNS rebinding).

The transport is asynchronous so that the delivery worker can put one deadline around
a whole attempt (`anyio.fail_after` in `attempt.py`) and have it cancel whatever the
attempt is waiting on: the resolver, the connect, a write, or a receiver trickling its
answer a byte at a time (per-read time-outs never fire on a trickle).
"""

from __future__ import annotations

import functools
import ipaddress
import ssl
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpcore
import httpx

from rolodex.webhooks.addresses import AddressRefused, resolve_checked


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class GuardedBackend(httpcore.AnyIOBackend):
    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        resolve = functools.partial(resolve_checked, host, port, allow_private=self.allow_private)
        try:
            if _is_ip_literal(host):
                addresses = resolve()  # nothing to look up: no thread needed
            else:
                # getaddrinfo blocks and cannot be interrupted: a thread, which the
                # attempt's deadline abandons (it ends when the resolver gives up).
                addresses = await anyio.to_thread.run_sync(resolve, abandon_on_cancel=True)
        except AddressRefused as exc:
            raise httpcore.ConnectError(f"refused: {exc}") from None
        last: Exception | None = None
        for address in addresses:
            try:
                return await super().connect_tcp(
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

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are delivered over TCP only")


@functools.lru_cache(maxsize=4)
def _ssl_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """The TLS settings of every delivery, made once: loading the trusted roots costs
    tens of milliseconds, which would otherwise come out of each attempt's deadline.
    A client context is safe to share between connections and threads."""
    context = httpx.create_ssl_context(trust_env=False)
    if ca_bundle is not None:
        context.load_verify_locations(cafile=str(ca_bundle))
    return context


class GuardedTransport(httpx.AsyncHTTPTransport):
    """`httpx.AsyncHTTPTransport` with the guarded backend, no proxies, no keep-alive."""

    def __init__(self, *, allow_private: bool, ca_bundle: Path | None = None) -> None:
        super().__init__(trust_env=False)
        context = _ssl_context(ca_bundle)
        # httpx has no public hook for the network backend, so build its pool ourselves
        # with the same arguments httpx would, plus the backend.
        self._pool = httpcore.AsyncConnectionPool(
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
) -> httpx.AsyncClient:
    """A client for one delivery: guarded, no redirects followed, no environment proxies.

    Only connecting has a time-out of its own; the attempt's total deadline, set around
    the whole request (`attempt.py`), bounds everything else.
    """
    return httpx.AsyncClient(
        transport=GuardedTransport(allow_private=allow_private, ca_bundle=ca_bundle),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(None, connect=min(connect_timeout, timeout)),
    )
