"""The token endpoints, in the Contacts+ wire shape (specs/contactsplus-api.txt, Authentication).

Requests are form-encoded (`client_id`, `client_secret`, `code`, `redirect_uri`,
`refresh_token`); answers are JSON with the spec's millisecond and ISO 8601 expirations,
plus RFC 6749's `token_type` and `expires_in` so that standard OAuth 2.0 client libraries
work unchanged. Those libraries also send `grant_type`, may authenticate with HTTP Basic
(`client_secret_basic`) and use one URL for both grants: all of that is accepted.
Errors are RFC 6749 §5.2's `{"error", "error_description"}`.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qsl, unquote

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from rolodex.api.json_body import BodyError, is_json_content_type, read_limited
from rolodex.oauth.errors import OAuthError, invalid_request
from rolodex.oauth.scopes import format_scopes
from rolodex.oauth.tokens import TokenSet
from rolodex.services import Services
from rolodex.timestamps import iso, now_ms

# RFC 6749 §5.1: token responses must not be cached.
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _json(
    body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/json",
        headers={**_NO_STORE, **(headers or {})},
    )


def oauth_error_response(exc: OAuthError) -> Response:
    headers = None
    if exc.status == 401:
        # RFC 6749 §5.2: a 401 invalid_client names the scheme the client may use.
        headers = {"WWW-Authenticate": 'Basic realm="rolodex"'}
    return _json({"error": exc.code, "error_description": exc.message}, exc.status, headers)


def render_token_set(tokens: TokenSet) -> dict[str, Any]:
    access = tokens.access
    assert access.expires_at is not None
    body: dict[str, Any] = {
        "access_token": access.secret,
        "access_token_expiration": access.expires_at,
        "access_token_expiration_date": iso(access.expires_at),
    }
    if tokens.refresh is not None:
        refresh = tokens.refresh
        assert refresh.expires_at is not None
        body["refresh_token"] = refresh.secret
        body["refresh_token_expiration"] = refresh.expires_at
        body["refresh_token_expiration_date"] = iso(refresh.expires_at)
    body["scope"] = format_scopes(tokens.scopes)
    body["token_type"] = "Bearer"
    body["expires_in"] = max(0, (access.expires_at - now_ms()) // 1000)
    return body


async def _form(request: Request, services: Services) -> dict[str, str]:
    """The request's parameters: form-encoded as the spec says, or a JSON object."""
    raw = await read_limited(request, min(services.settings.max_body_bytes, 65_536))
    content_type = request.headers.get("content-type")
    if is_json_content_type(content_type):
        try:
            parsed = orjson.loads(raw) if raw.strip() else {}
        except orjson.JSONDecodeError:
            raise invalid_request("the body is not valid JSON") from None
        if not isinstance(parsed, dict):
            raise invalid_request("the body must be a JSON object")
        return {str(k): v for k, v in parsed.items() if isinstance(v, str)}
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise invalid_request("the body is not UTF-8 form data") from None
    form: dict[str, str] = {}
    for key, value in pairs:
        if key in form and form[key] != value:
            # RFC 6749 §3.1: parameters must not be repeated.
            raise invalid_request(f"{key} is given more than once")
        form[key] = value
    return form


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str | None, str | None]:
    """client_id and client_secret from HTTP Basic (RFC 6749 §2.3.1) or the form."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client", "malformed Basic credentials", status=401) from None
        client_id, sep, secret = decoded.partition(":")
        if not sep:
            raise OAuthError("invalid_client", "malformed Basic credentials", status=401)
        return unquote(client_id), unquote(secret)
    return form.get("client_id") or None, form.get("client_secret") or None


def _grant(form: dict[str, str], default: str) -> str:
    grant_type = form.get("grant_type") or default
    if grant_type not in ("authorization_code", "refresh_token"):
        raise OAuthError(
            "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"
        )
    return grant_type


def _token_endpoint(default_grant: str) -> Any:
    async def endpoint(request: Request) -> Response:
        services: Services = request.app.state.services
        try:
            form = await _form(request, services)
            client_id, client_secret = _client_credentials(request, form)
            if _grant(form, default_grant) == "authorization_code":
                tokens = await run_in_threadpool(
                    services.tokens.exchange_code,
                    client_id,
                    client_secret,
                    form.get("code") or None,
                    form.get("redirect_uri") or None,
                    form.get("code_verifier") or None,
                )
            else:
                tokens = await run_in_threadpool(
                    services.tokens.refresh,
                    client_id,
                    client_secret,
                    form.get("refresh_token") or None,
                    form.get("scope") or None,
                )
        except BodyError as exc:
            return _json({"error": "invalid_request", "error_description": exc.message}, exc.status)
        except OAuthError as exc:
            return oauth_error_response(exc)
        return _json(render_token_set(tokens))

    return endpoint


async def verify_access_token(request: Request) -> Response:
    """Whether an access token is live, and what it grants (form field `access_token`)."""
    services: Services = request.app.state.services
    try:
        form = await _form(request, services)
    except BodyError as exc:
        return _json({"error": "invalid_request", "error_description": exc.message}, exc.status)
    except OAuthError as exc:
        return oauth_error_response(exc)
    token = form.get("access_token")
    if not token:
        return oauth_error_response(invalid_request("access_token is required"))
    info = await run_in_threadpool(services.tokens.verify_access_token, token)
    if info is None:
        return _json(
            {
                "error": "invalid_token",
                "error_description": "the access token is unknown, expired or revoked",
            },
            401,
        )
    body: dict[str, Any] = {
        "valid": True,
        "accountId": info.account_id,
        "clientId": info.client_id,
        "scope": format_scopes(info.scopes),
    }
    if info.expires_at is not None:
        body["access_token_expiration"] = info.expires_at
        body["access_token_expiration_date"] = iso(info.expires_at)
    return _json(body)


async def _method_not_allowed(request: Request) -> Response:
    return _json(
        {"error": "invalid_request", "error_description": "use POST with a form-encoded body"},
        405,
        {"Allow": "POST"},
    )


def _routes() -> list[Route]:
    exchange = _token_endpoint("authorization_code")
    refresh = _token_endpoint("refresh_token")
    table = {
        "oauth.exchangeAuthCode": exchange,
        "oauth.refreshToken": refresh,
        "oauth.verifyAccessToken": verify_access_token,
    }
    found: list[Route] = []
    for prefix in ("/v3/", "/api/v1/"):
        for name, endpoint in table.items():
            found.append(Route(prefix + name, endpoint, methods=["POST"]))
            found.append(
                Route(
                    prefix + name,
                    _method_not_allowed,
                    methods=["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"],
                )
            )
    return found


routes = _routes()
