"""The 429 answer, in the error shape of the API the request belongs to.

Each API keeps its own error shape (DESIGN.md), so a client's error handling sees a
refusal it already knows how to read. Every answer carries `Retry-After` in seconds
(RFC 9110 §10.2.3, RFC 6585 §4).
"""

from __future__ import annotations

import orjson
from starlette.responses import HTMLResponse, Response

from rolodex.api.contactsplus import errors as contactsplus
from rolodex.api.personal import errors as personal
from rolodex.api.rest import errors as rest
from rolodex.ratelimit.rules import OAUTH, PERSONAL, REST, WEB

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Too many requests - Rolodex</title>
<link rel="stylesheet" href="/static/rolodex.css">
</head>
<body>
<main>
<h1>Too many requests</h1>
<p class="error" role="alert">Too many requests came from here in a short time.
Wait {seconds} seconds, then try again.</p>
<p><a href="/">Go to the start page</a></p>
</main>
</body>
</html>
"""


def too_many_requests(dialect: str, retry_after: int) -> Response:
    message = f"too many requests; retry after {retry_after} seconds"
    response: Response
    if dialect == REST:
        response = rest.error_response(429, "rate_limited", "Too Many Requests", None)
    elif dialect == PERSONAL:
        response = personal.error_response(429, "RATE_LIMITED", message, None)
    elif dialect == OAUTH:
        # RFC 8628 §3.5's `slow_down`, the OAuth word for "poll less often".
        body = {"error": "slow_down", "error_description": message}
        response = Response(
            orjson.dumps(body),
            status_code=429,
            media_type="application/json",
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )
    elif dialect == WEB:
        response = HTMLResponse(
            _PAGE.format(seconds=int(retry_after)),
            status_code=429,
            headers={"Cache-Control": "no-store"},
        )
    else:
        response = contactsplus.error_response(429, "rate_limited", message)
    response.headers["Retry-After"] = str(int(retry_after))
    return response
