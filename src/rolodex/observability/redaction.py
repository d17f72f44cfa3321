"""Keeping secrets out of log lines.

Two layers: what Rolodex logs on purpose is built redacted (query strings with the
values of secret-looking parameters replaced, photo ids cut short, never a header or a
body), and every line any logger writes through our handlers is scrubbed again for
anything that looks like a credential (`Bearer ...`, Rolodex's `rdx_*` secrets,
`password=...`, `"client_secret": "..."`), whoever wrote it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

REDACTED = "[redacted]"

# Parameter and field names whose values are secrets: passwords, tokens, keys, codes,
# cookies, signatures. Matched on the whole name or its last `_`/`-`/`.` part, so
# `client_secret` and `refresh_token` are caught but `countryCode` is not.
_SECRET_NAME = re.compile(
    r"(?i)(?:^|[_.\-])(?:pass(?:word|wd|phrase)?|pwd|secret|token|code|verifier|key|apikey"
    r"|auth|authorization|cookie|session|signature|sig|credentials?|otp)s?$"
)

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization header values, wherever they turn up.
    (re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=:-]{4,}"), r"\1\2" + REDACTED),
    # Every secret Rolodex mints starts rdx_<kind>_ (tokens, keys, codes, client secrets).
    (re.compile(r"\b(rdx_[a-z]+_)[A-Za-z0-9_-]{4,}"), r"\1" + REDACTED),
    # name=value (query strings, form bodies, headers written as text).
    (
        re.compile(
            r"(?i)\b([\w.-]*(?:password|passwd|secret|token|api[_-]?key|code|cookie|session)"
            r"[\w.-]*)(\s*[=:]\s*)(?!\[redacted\])[^\s&;,\"']+"
        ),
        r"\1\2" + REDACTED,
    ),
    # "name": "value" (JSON).
    (
        re.compile(
            r"(?i)(\"[\w.-]*(?:password|passwd|secret|token|api[_-]?key|code|cookie)[\w.-]*\""
            r"\s*:\s*\")[^\"]*\""
        ),
        r"\1" + REDACTED + '"',
    ),
]


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


def redact_query(query: str) -> str:
    """A query string with the value of every secret-looking parameter replaced."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, REDACTED if is_secret_name(k) else v) for k, v in pairs], safe="[]")


def redact_path(path: str) -> str:
    """A path fit to log: photo ids are capabilities (docs/photos.md), so cut short."""
    if path.startswith("/photos/") and len(path) > 16:
        return path[:16] + "..."
    return scrub(path)


# Every pattern above needs one of these words (in any case) to match: text without any
# of them comes back unchanged, so it is looked at once instead of four times. The
# patterns' word runs (`[\w.-]*` before and after the name) backtrack over every long
# word, and an access line is mostly long words (request ids, timestamps): scrubbing
# them all cost more than the rest of a /healthz request (docs/benchmarks.md).
_TRIGGER = re.compile(r"bearer|basic|rdx_|passw|secret|token|api[_-]?key|code|cookie|session")


def might_hold_secret(text: str) -> bool:
    """False only when no pattern of `scrub` can match anywhere in `text`."""
    # For ASCII text, lower case is exactly what the patterns' (?i) matching compares;
    # beyond ASCII, case folding has surprises (the long s matches "s"), so say maybe.
    return not text.isascii() or _TRIGGER.search(text.lower()) is not None


def scrub(text: str) -> str:
    """Text with anything that looks like a credential replaced by [redacted]."""
    if not might_hold_secret(text):
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
