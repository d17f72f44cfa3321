"""The authorization endpoint's rules (RFC 6749 §4.1.1-4.1.2, RFC 7636): checking a request
and issuing the code once the user approves.

Two kinds of refusal, as §4.1.2.1 demands: while the client or its redirect URI is in
doubt the user sees an error page and is never redirected (`AuthorizePageError`); once
both are known good, every other problem goes back to the app as `error=` on its redirect
URI (`AuthorizeRedirectError`).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import insert

from rolodex.errors import InvalidInput
from rolodex.ids import new_id
from rolodex.oauth.apps import App, AppService
from rolodex.oauth.credentials import hash_secret
from rolodex.oauth.redirects import check_redirect_uri, redirect_uri_matches
from rolodex.oauth.scopes import format_scopes, no_scope_named, parse_scopes
from rolodex.store import Store
from rolodex.store.schema import oauth_codes
from rolodex.timestamps import now_ms

# RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED."
CODE_TTL_SECONDS = 600
MAX_STATE_LENGTH = 2000
# RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters; allow the unreserved set.
_CHALLENGE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


class AuthorizePageError(Exception):
    """The request cannot be trusted to redirect anywhere: show the user this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AuthorizeRedirectError(Exception):
    """An error to send back to the app on its (verified) redirect URI."""

    def __init__(self, redirect_uri: str, error: str, description: str, state: str | None) -> None:
        super().__init__(description)
        self.redirect_uri = redirect_uri
        self.error = error
        self.description = description
        self.state = state


@dataclass(frozen=True, slots=True)
class AuthorizeRequest:
    """A checked authorization request: the app, where to send the answer, what it asks for."""

    app: App
    redirect_uri: str
    # The redirect_uri exactly as the request named it (None when it named none); the
    # exchange must repeat it (RFC 6749 §4.1.3).
    requested_redirect_uri: str | None
    scopes: frozenset[str]
    state: str | None
    code_challenge: str | None


def _unsafe_redirect(uri: str) -> None:
    """Refuse, with an error page, a redirect URI that is not safe to send anyone to."""
    try:
        check_redirect_uri(uri)
    except InvalidInput as exc:
        raise AuthorizePageError(
            f"The link asks to send you to an address that cannot be used: {exc.message}."
        ) from None


def _param(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    return value if value else None


def _redirect_uri(app: App, requested: str | None) -> str:
    """Where the answer goes: the URI the request named, if the app registered it, else
    the app's only one; an error page (never a redirect) otherwise."""
    if requested is None:
        # RFC 6749 §3.1.2.3: optional when exactly one URI is registered.
        if len(app.redirect_uris) != 1:
            raise AuthorizePageError(
                f"The link is missing redirect_uri, and {app.name} registered several."
            )
        redirect_uri = app.redirect_uris[0]
        # An app registered before the rules of check_redirect_uri may hold a URI
        # they refuse (javascript:, a fragment...): it is never redirected to.
        _unsafe_redirect(redirect_uri)
        return redirect_uri
    _unsafe_redirect(requested)
    if not redirect_uri_matches(requested, app.redirect_uris):
        raise AuthorizePageError(
            f"The link asks to send you to an address that {app.name} did not register."
        )
    return requested


_Refuse = Callable[[str, str], AuthorizeRedirectError]


def _requested_scopes(raw_scope: str | None, refuse: _Refuse) -> frozenset[str]:
    if no_scope_named(raw_scope):
        raise refuse("invalid_scope", "scope is required: a comma-separated list of scopes")
    try:
        return parse_scopes(raw_scope, field="scope")
    except InvalidInput as exc:
        raise refuse("invalid_scope", exc.message) from None


def _code_challenge(params: Mapping[str, str], refuse: _Refuse) -> str | None:
    """The PKCE challenge (RFC 7636 §4.3), if the request carries one."""
    challenge = _param(params, "code_challenge")
    method = _param(params, "code_challenge_method")
    if challenge is None and method is not None:
        raise refuse("invalid_request", "code_challenge_method given without code_challenge")
    if challenge is not None:
        # Only S256: "plain" protects nothing that S256 does not (RFC 7636 §4.2, §7.2).
        if method != "S256":
            raise refuse("invalid_request", "code_challenge_method must be S256")
        if not _CHALLENGE.match(challenge):
            raise refuse("invalid_request", "code_challenge is not a valid S256 challenge")
    return challenge


class AuthorizationService:
    def __init__(self, store: Store, apps: AppService) -> None:
        self.store = store
        self.apps = apps

    def check(self, params: Mapping[str, str]) -> AuthorizeRequest:
        """Check an authorization request's parameters; raise one of the two refusals above."""
        client_id = _param(params, "client_id")
        if client_id is None:
            raise AuthorizePageError("The link is missing client_id: it does not name an app.")
        app = self.apps.find(client_id)
        if app is None:
            raise AuthorizePageError("The link names an app that is not registered here.")
        requested = _param(params, "redirect_uri")
        redirect_uri = _redirect_uri(app, requested)
        state = _param(params, "state")

        def refuse(error: str, description: str) -> AuthorizeRedirectError:
            return AuthorizeRedirectError(redirect_uri, error, description, state)

        if state is not None and len(state) > MAX_STATE_LENGTH:
            raise refuse("invalid_request", f"state is longer than {MAX_STATE_LENGTH} characters")
        response_type = _param(params, "response_type")
        if response_type is not None and response_type != "code":
            # The spec's links carry no response_type; the code flow is the only one.
            raise refuse("unsupported_response_type", "only response_type=code is supported")
        scopes = _requested_scopes(_param(params, "scope"), refuse)
        challenge = _code_challenge(params, refuse)
        return AuthorizeRequest(app, redirect_uri, requested, scopes, state, challenge)

    def issue_code(self, request: AuthorizeRequest, account_id: str) -> str:
        """Record the user's approval as a code: hashed, bound to client and redirect URI,
        valid for ten minutes, good for one exchange."""
        code = "rdx_code_" + secrets.token_urlsafe(32)
        now = now_ms()
        with self.store.write() as conn:
            conn.execute(
                insert(oauth_codes).values(
                    code_hash=hash_secret(code),
                    grant_id=new_id("g_"),
                    client_id=request.app.client_id,
                    account_id=account_id,
                    redirect_uri=request.requested_redirect_uri,
                    scopes=format_scopes(request.scopes),
                    code_challenge=request.code_challenge,
                    created_at=now,
                    expires_at=now + CODE_TTL_SECONDS * 1000,
                )
            )
        return code
