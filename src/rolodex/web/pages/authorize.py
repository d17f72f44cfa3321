"""The authorization endpoint's pages: `GET /oauth/authorize` asks, `POST` records the answer.

The POST checks the whole request again from its hidden fields: nothing the browser sends
back is trusted because the GET once accepted it.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.responses import Response

from rolodex.oauth.authorization import AuthorizePageError, AuthorizeRedirectError
from rolodex.oauth.redirects import with_params
from rolodex.oauth.scopes import SCOPES
from rolodex.web.pages.context import Page, page, redirect

_PARAMS = (
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "response_type",
    "code_challenge",
    "code_challenge_method",
)


def _refusal(p: Page, exc: AuthorizePageError | AuthorizeRedirectError) -> Response:
    if isinstance(exc, AuthorizePageError):
        return p.render("error.html", 400, title="This link cannot be used", message=exc.message)
    return redirect(
        with_params(
            exc.redirect_uri,
            {"error": exc.error, "error_description": exc.description, "state": exc.state},
        )
    )


@page
def authorize(p: Page) -> Response:
    params: Mapping[str, str]
    if p.request.method == "GET":
        params = {k: v for k, v in p.request.query_params.items() if k in _PARAMS}
    else:
        params = {k: p.field(k) for k in _PARAMS if p.field(k)}
    try:
        request = p.services.authorization.check(params)
    except (AuthorizePageError, AuthorizeRedirectError) as exc:
        return _refusal(p, exc)
    account = p.account
    if account is None:
        # A session that ran out between the consent page and the answer: ask again after login.
        return p.login_redirect("/oauth/authorize?" + urlencode(params))
    if p.request.method == "GET":
        return p.render(
            "consent.html",
            title=f"Allow {request.app.name}?",
            app=request.app,
            scopes=[(name, SCOPES[name]) for name in SCOPES if name in request.scopes],
            params=params,
            redirect_host=request.redirect_uri,
        )
    if p.field("decision") != "approve":
        return redirect(
            with_params(
                request.redirect_uri,
                {
                    "error": "access_denied",
                    "error_description": "the user denied access",
                    "state": request.state,
                },
            )
        )
    code = p.services.authorization.issue_code(request, account.account_id)
    return redirect(with_params(request.redirect_uri, {"code": code, "state": request.state}))
