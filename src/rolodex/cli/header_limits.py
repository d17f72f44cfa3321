"""Bounds on what a client may hold open before its request headers are complete.

Without a proxy in front, uvicorn with httptools takes headers of any size (so unfinished
headers hold the server's memory, docs/reliability.md "Slow and huge headers") for as long
as the client likes (its keep-alive timer is reset by every byte, and not armed at all before
the first request), so a slow client keeps its connection forever. uvicorn offers a
size limit only for h11 (`h11_max_incomplete_event_size`) and no header timeout.

`HeaderLimitedProtocol` is uvicorn's httptools protocol with two more rules, per request
on a connection (docs/limits.md, "Serving"):

- more than `max_bytes` received before the headers are complete: answered 431
  (RFC 6585 §5) and closed;
- headers not complete `timeout` seconds after the connection opened, or after the
  first byte of a later request on it: closed.

The cost per request is a counter, a comparison and one timer (measured in
docs/reliability.md).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_REFUSAL_BODY = b"Request header fields too large.\n"
_REFUSAL = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: " + str(len(_REFUSAL_BODY)).encode() + b"\r\n"
    b"connection: close\r\n"
    b"\r\n" + _REFUSAL_BODY
)


@dataclass(frozen=True, slots=True)
class HeaderLimits:
    """The two limits; picklable, so `rolodex serve --workers N` hands them to each worker."""

    max_bytes: int = 64 * 1024
    timeout: float = 10.0


class HeaderLimitedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing huge headers and closing slow ones.

    Built by uvicorn for each connection as `functools.partial(HeaderLimitedProtocol,
    limits=...)` (see `protocol_for`), with uvicorn's own keyword arguments.
    """

    def __init__(self, *args: Any, limits: HeaderLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limits = limits
        # Bytes received since the current request began, while its headers are awaited
        # (an upper bound: the chunk that completes them may carry body bytes too).
        self._header_bytes = 0
        self._awaiting_headers = True
        self._refused = False
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._awaiting_headers:
            self._header_bytes += len(data)
            if self._header_timer is None:  # the first byte of a later request
                self._arm_header_timer()
        super().data_received(data)
        if (
            self._awaiting_headers
            and self._header_bytes > self._limits.max_bytes
            and not self._refused
        ):
            self._refuse()

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._awaiting_headers = False
        self._disarm_header_timer()
        if self._header_bytes > self._limits.max_bytes and self._headers_size() > (
            self._limits.max_bytes
        ):
            # Complete within the chunk that crossed the limit: counted exactly here.
            self._refuse()
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        super().on_message_complete()
        # The next bytes on this connection begin the next request's headers.
        self._awaiting_headers = True
        self._header_bytes = 0

    def _headers_size(self) -> int:
        """The request line's target and every header line, as sent (give or take spaces)."""
        return len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)

    def _refuse(self) -> None:
        self._refused = True
        self._disarm_header_timer()
        if not self.transport.is_closing():
            self.transport.write(_REFUSAL)
            self.transport.close()

    def _arm_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(self._limits.timeout, self._headers_too_slow)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._awaiting_headers and not self.transport.is_closing():
            # Like nginx's client_header_timeout: nothing more is read, the line is cut.
            self.transport.close()


def protocol_for(limits: HeaderLimits) -> type[asyncio.Protocol]:
    """What `uvicorn.run(http=...)` takes: a factory of protocols bound to `limits`.

    uvicorn calls it with its own keyword arguments for every connection; a partial of a
    module-level class pickles, which `--workers` needs (each worker is spawned).
    """
    factory: Any = partial(HeaderLimitedProtocol, limits=limits)
    return factory  # type: ignore[no-any-return]
