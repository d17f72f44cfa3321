"""The web session's cookie, and the CSRF token that goes with it.

The cookie holds the secret of a server-side session (`rolodex.accounts.sessions`: the
row says which account is logged in, and deleting it logs that browser out everywhere)
and the CSRF token, signed (itsdangerous,
HMAC-SHA1 over a key from `SecretKeyService`) so it cannot be forged; it is HttpOnly and
SameSite=Lax, and Secure when the page came over HTTPS (directly, or through a proxy
trusted with ROLODEX_TRUST_PROXY_HEADERS). Every form carries the
CSRF token and every POST must present it (synchroniser token pattern): SameSite alone
does not cover older browsers or same-site attackers.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from rolodex.accounts.sessions import SESSION_SECONDS, SessionInfo, StartedSession
from rolodex.observability.origin import came_over_tls

COOKIE_NAME = "rolodex_session"
MAX_AGE_SECONDS = SESSION_SECONDS
_SALT = "rolodex.web.session"


Resolver = Callable[[str], SessionInfo | None]


@dataclass(slots=True)
class WebSession:
    """One browser's session: its CSRF token and, when logged in, its server-side session.

    Which account is logged in is read from the store on first use (in the handler's
    worker thread, not on the event loop), so an ended session is logged out at once.
    """

    csrf_token: str
    secret: str | None = None
    changed: bool = False
    resolver: Resolver | None = None
    _resolved: bool = field(default=False, repr=False)
    _info: SessionInfo | None = field(default=None, repr=False)

    @classmethod
    def anonymous(cls) -> WebSession:
        return cls(secrets.token_urlsafe(32), changed=True, _resolved=True)

    @classmethod
    def logged_in(cls, started: StartedSession) -> WebSession:
        # A fresh CSRF token at every log-in: nothing from before carries over.
        return cls(
            secrets.token_urlsafe(32),
            started.secret,
            changed=True,
            _resolved=True,
            _info=started.info,
        )

    @property
    def info(self) -> SessionInfo | None:
        """The live server-side session, or None when logged out (or it was ended)."""
        if not self._resolved:
            self._resolved = True
            if self.secret is not None and self.resolver is not None:
                self._info = self.resolver(self.secret)
        return self._info

    @property
    def account_id(self) -> str | None:
        info = self.info
        return None if info is None else info.account_id

    @property
    def session_id(self) -> str | None:
        info = self.info
        return None if info is None else info.session_id

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(self.csrf_token, presented or "")


def _serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=_SALT)


def load_session(request: Request, key: str) -> WebSession:
    """The session the request's cookie carries, or a new anonymous one.

    Nothing is read from the store here (this runs on the event loop): the session's
    secret is resolved, through the app's `SessionService`, when a handler first asks
    who is logged in.
    """
    value = request.cookies.get(COOKIE_NAME)
    if value:
        try:
            data = _serializer(key).loads(value, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            data = None
        if isinstance(data, dict) and isinstance(data.get("c"), str):
            secret = data.get("s")
            return WebSession(
                data["c"],
                secret if isinstance(secret, str) else None,
                resolver=request.app.state.services.sessions.resolve,
            )
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
    value = _serializer(key).dumps({"s": session.secret, "c": session.csrf_token})
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=MAX_AGE_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=came_over_tls(request.scope, trust_proxy),
    )
