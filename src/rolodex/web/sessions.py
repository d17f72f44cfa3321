"""Web sessions in a signed cookie, and the CSRF token that goes with them.

The cookie holds the account id and the session's CSRF token, signed (itsdangerous,
HMAC-SHA1 over a key from `SecretKeyService`) so it cannot be forged; it is HttpOnly and
SameSite=Lax, and Secure when the page came over HTTPS (directly, or through a proxy
trusted with ROLODEX_TRUST_PROXY_HEADERS). Every form carries the
CSRF token and every POST must present it (synchroniser token pattern): SameSite alone
does not cover older browsers or same-site attackers.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from rolodex.observability.origin import came_over_tls

COOKIE_NAME = "rolodex_session"
MAX_AGE_SECONDS = 14 * 24 * 3600
_SALT = "rolodex.web.session"


@dataclass(slots=True)
class WebSession:
    account_id: str | None
    csrf_token: str
    changed: bool = False

    @classmethod
    def anonymous(cls) -> WebSession:
        return cls(None, secrets.token_urlsafe(32), changed=True)

    @classmethod
    def logged_in(cls, account_id: str) -> WebSession:
        # A fresh CSRF token at every log-in: nothing from before carries over.
        return cls(account_id, secrets.token_urlsafe(32), changed=True)

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(self.csrf_token, presented or "")


def _serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=_SALT)


def load_session(request: Request, key: str) -> WebSession:
    """The session the request's cookie carries, or a new anonymous one."""
    value = request.cookies.get(COOKIE_NAME)
    if value:
        try:
            data = _serializer(key).loads(value, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            data = None
        if isinstance(data, dict) and isinstance(data.get("c"), str):
            account_id = data.get("a")
            return WebSession(account_id if isinstance(account_id, str) else None, data["c"])
    return WebSession.anonymous()


def save_session(
    request: Request,
    response: Response,
    session: WebSession,
    key: str,
    *,
    trust_proxy: bool = False,
) -> None:
    """Set the cookie if the session changed (Secure when the request came over TLS)."""
    if not session.changed:
        return
    value = _serializer(key).dumps({"a": session.account_id, "c": session.csrf_token})
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=MAX_AGE_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=came_over_tls(request.scope, trust_proxy),
    )
