"""The ASGI middleware that applies the rate limits to every request.

It runs before routing, so a refused request costs no database work: the limiter is
in memory or one Redis round trip. The only database read is whether an unfamiliar REST
API key is a trial key, remembered per process (tiers.py). Settings come from the app's
services, so tests and deployments configure it like everything else.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rolodex.observability.origin import client_address, header
from rolodex.ratelimit.backend import RateLimitBackend, load_backend
from rolodex.ratelimit.responses import too_many_requests
from rolodex.ratelimit.rules import REST, credential_key, dialect_of, hits_for, presented_secret
from rolodex.ratelimit.tiers import TierCache


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._backend: RateLimitBackend | None = None
        self._tiers: TierCache | None = None

    def _parts(self, services: Any) -> tuple[RateLimitBackend, TierCache]:
        # Built on the first request: the services exist only once the lifespan has run.
        if self._backend is None or self._tiers is None:
            self._backend = load_backend(services.settings)
            self._tiers = TierCache(
                services.store, services.settings.rate_limits.tier_cache_seconds
            )
        return self._backend, self._tiers

    def _closing_at_shutdown(self, send: Send) -> Send:
        # The backend's connections belong to the loop that served: closed on it, as the
        # server stops, rather than left to the collector.
        async def forward(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete" and self._backend is not None:
                await self._backend.close()
            await send(message)

        return forward

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, self._closing_at_shutdown(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        services = getattr(scope["app"].state, "services", None)
        path: str = scope["path"]
        dialect = dialect_of(path)
        if services is None or dialect is None or not services.settings.rate_limits.enabled:
            await self.app(scope, receive, send)
            return
        config = services.settings.rate_limits
        backend, tiers = self._parts(services)
        secret = presented_secret(header(scope, b"authorization"), header(scope, b"x-api-key"))
        credential = credential_key(secret) if secret is not None else None
        trial = False
        if dialect == REST and secret is not None and credential is not None:
            known = tiers.cached(credential)
            trial = (
                known
                if known is not None
                else await run_in_threadpool(tiers.lookup, credential, secret)
            )
        address = client_address(scope, services.settings.trust_proxy_headers)
        hits = hits_for(config, dialect, scope["method"], path, address, credential, trial)
        decision = await backend.hit(hits)
        if decision.allowed:
            await self.app(scope, receive, send)
            return
        response = too_many_requests(dialect, decision.retry_after)
        await response(scope, receive, send)
