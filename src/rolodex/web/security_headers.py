"""Security headers on every response, and Secure cookies whenever the request came over TLS.

HTML pages get a Content-Security-Policy that allows only this origin's own files (no
inline script unless it carries the request's nonce: `csp_nonce(request)`), may not be
framed (`frame-ancestors 'none'` and, for older browsers, `X-Frame-Options: DENY`), and
send no referrer. Every response, the APIs' too, gets `X-Content-Type-Options: nosniff`
and `Referrer-Policy`, and, only when it went over TLS, `Strict-Transport-Security`
(RFC 6797 §7.2: HSTS sent over plain HTTP is ignored, and would pin a site that has no
TLS yet). A header a handler set itself is kept: a page that needs a different CSP says so.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rolodex.observability.origin import came_over_tls

PAGE_CSP = (
    "default-src 'self'; script-src 'self'{nonce}; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# JSON and images are never rendered as documents; if one ever is, it runs nothing.
API_CSP = "default-src 'none'; frame-ancestors 'none'"

_COMMON = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
_PAGE_ONLY = [(b"x-frame-options", b"DENY")]
_NONCE_KEY = "csp_nonce"


def csp_nonce(request: Request) -> str:
    """The nonce this page's inline `<script nonce="...">` must carry (made on first use)."""
    state = request.scope.setdefault("state", {})
    nonce = state.get(_NONCE_KEY)
    if not isinstance(nonce, str):
        nonce = state[_NONCE_KEY] = secrets.token_urlsafe(16)
    return nonce


def _with_secure(cookie: bytes) -> bytes:
    attributes = [part.strip().lower() for part in cookie.split(b";")[1:]]
    return cookie if b"secure" in attributes else cookie + b"; Secure"


def _with_nonce(policy: bytes, nonce_source: str) -> bytes:
    if b"script-src" in policy:
        return policy.replace(b"script-src", b"script-src" + nonce_source.encode(), 1)
    return policy + f"; script-src 'self'{nonce_source}".encode()


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        services = getattr(scope["app"].state, "services", None)
        settings = services.settings if services is not None else None
        trust = bool(settings is not None and settings.trust_proxy_headers)
        tls = came_over_tls(scope, trust)
        hsts_age = settings.hsts_max_age_seconds if settings is not None else 31_536_000

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._headers(scope, message, tls, hsts_age)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _headers(
        scope: Scope, message: Message, tls: bool, hsts_age: int
    ) -> list[tuple[bytes, bytes]]:
        headers: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
        present = {k.lower() for k, _ in headers}
        content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        page = content_type.startswith(b"text/html")
        wanted = list(_COMMON)
        if page:
            wanted += _PAGE_ONLY
            nonce = scope.get("state", {}).get(_NONCE_KEY)
            extra = f" 'nonce-{nonce}'" if isinstance(nonce, str) else ""
            wanted.append((b"content-security-policy", PAGE_CSP.format(nonce=extra).encode()))
            if extra and b"content-security-policy" in present:
                # The page set its own policy and used a nonce: let that script run.
                headers = [
                    (k, _with_nonce(v, extra))
                    if k.lower() == b"content-security-policy"
                    else (k, v)
                    for k, v in headers
                ]
        else:
            wanted.append((b"content-security-policy", API_CSP.encode()))
        if tls:
            if hsts_age > 0:
                wanted.append((b"strict-transport-security", f"max-age={hsts_age}".encode()))
            # A cookie set over TLS must never travel over plain HTTP (secure cookies).
            headers = [
                (k, _with_secure(v)) if k.lower() == b"set-cookie" else (k, v) for k, v in headers
            ]
        headers.extend((k, v) for k, v in wanted if k not in present)
        return headers
