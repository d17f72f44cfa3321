"""The access log's JSON line, built straight from the request's fields.

The logging module's way (a LogRecord, the redacting filter rendering the message, the
formatter, the handler's lock) cost more than the rest of a /healthz request
(docs/benchmarks.md). When the access record would reach Rolodex's JSON handler and
nothing else, the line is built here instead and handed to that handler's writer: the
same keys in the same order, the same final scrubbing, the same line.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson

from rolodex.observability.log_format import JsonLogHandler, RedactingFilter
from rolodex.observability.redaction import might_hold_secret, scrub
from rolodex.timestamps import iso

_access_log = logging.getLogger("rolodex.access")
_rolodex_log = logging.getLogger("rolodex")

# Values that pass through `scrub` unchanged and that JSON writes as they are: paths,
# methods, client addresses and user agents repeat from request to request, so each is
# looked at once. At most this many are remembered (then the memory starts over).
_CLEAN_MAX = 4096
_clean: dict[str, bool] = {}


def is_clean(text: str) -> bool:
    """True when `text` holds no word a `scrub` pattern needs, and nothing JSON escapes.

    A line whose every value is clean passes through `scrub` unchanged: its other parts
    are fixed keys, digits and punctuation, and no pattern's word can run from one value
    into the next across the quotes between them.
    """
    known = _clean.get(text)
    if known is None:
        if len(_clean) >= _CLEAN_MAX:
            _clean.clear()
        # ASCII (might_hold_secret says maybe otherwise), no control character, no `"`
        # or `\`: JSON adds no escape that could spell a word with the letters after it.
        known = not might_hold_secret(text) and text.isprintable()
        known = _clean[text] = known and '"' not in text and "\\" not in text
    return known


def access_line(request_id: str, fields: dict[str, Any], clean: bool = False) -> str:
    """What JsonFormatter writes for the access record, newline included.

    `clean` says every value is clean (`is_clean`), and own request ids (hexadecimal)
    are: then scrubbing the line would change nothing, and is skipped.
    """
    line = {
        "ts": _now_iso(),
        "level": "info",
        "logger": "rolodex.access",
        "event": "request",
        "request_id": request_id,
        **fields,
    }
    text = orjson.dumps(line, default=str, option=orjson.OPT_APPEND_NEWLINE).decode("utf-8")
    # The last net, as JsonFormatter's: nothing credential-shaped comes out.
    return text if clean else scrub(text)


_second = -1
_second_iso = ""


def _now_iso() -> str:
    """`iso(now)`, its date and time of day remembered for the current second."""
    global _second, _second_iso
    second, millis = divmod(time.time_ns() // 1_000_000, 1000)
    if second != _second:
        _second_iso, _second = iso(second * 1000)[:-4], second
    return f"{_second_iso}{millis:03d}Z"


def direct_handler() -> JsonLogHandler | None:
    """Rolodex's JSON handler, when the access record would reach it and nothing else.

    Anything else listening (a handler or filter added to these loggers, a test's log
    capture) gets the record through the logging module, as before.
    """
    access = _access_log
    if access.handlers or access.filters or not access.propagate:
        return None
    handlers = _rolodex_log.handlers
    if len(handlers) != 1 or _rolodex_log.filters or _rolodex_log.propagate:
        return None
    handler = handlers[0]
    if type(handler) is not JsonLogHandler or handler.level > logging.INFO:
        return None
    if len(handler.filters) != 1 or type(handler.filters[0]) is not RedactingFilter:
        return None
    return handler
