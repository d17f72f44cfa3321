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
from rolodex.observability.redaction import might_hold_secret, redact_path, redact_query, scrub
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


def access_fields(
    method: str,
    path: str,
    query: bytes,
    agent: str | None,
    client: str,
    status: int,
    duration_ms: float,
) -> tuple[dict[str, Any], bool]:
    """The access record's fields, redacted, and whether every value is clean."""
    clean = is_clean(method) and is_clean(client)
    if is_clean(path) and not path.startswith("/photos/"):
        logged_path = path  # what redact_path would make of it
    else:
        logged_path, clean = redact_path(path), False
    fields: dict[str, Any] = {
        "method": method,
        "path": logged_path,
        "status": status,
        "duration_ms": duration_ms,
        "client": client,
    }
    if query:
        fields["query"] = redact_query(query.decode("latin-1"))
        clean = clean and is_clean(fields["query"])
    if agent:
        agent = agent[:200]
        if is_clean(agent):
            fields["user_agent"] = agent
        else:
            fields["user_agent"], clean = scrub(agent), False
    return fields, clean


# The line's JSON around the status and duration, by what it is made of: the method and
# path (`"method":...,"path":...`), and the client, query and user agent after them.
# Each repeats from request to request (a path with an id in it misses only the first).
_heads: dict[tuple[str, str], tuple[str, bool]] = {}
_tails: dict[tuple[str, bytes, str | None], tuple[str, bool]] = {}


def access_line(
    request_id: str,
    own_id: bool,
    method: str,
    path: str,
    query: bytes,
    agent: str | None,
    client: str,
    status: int,
    duration_ms: float,
) -> str:
    """What JsonFormatter writes for the access record of these fields, newline included.

    The same keys in the same order, each value as orjson writes it. A line whose values
    are all clean (`is_clean`; the server's own request ids are hexadecimal) would come
    out of the final `scrub` unchanged, so it skips it; any other is scrubbed whole.
    """
    head = _heads.get((method, path))
    if head is None:
        fields, clean = access_fields(method, path, b"", None, "", 0, 0.0)
        text = orjson.dumps({"method": fields["method"], "path": fields["path"]}).decode()
        head = _remember(_heads, (method, path), (text[1:-1], clean))
    tail = _tails.get((client, query, agent))
    if tail is None:
        fields, clean = access_fields("", "", query, agent, client, 0, 0.0)
        for key in ("method", "path", "status", "duration_ms"):
            del fields[key]
        text = orjson.dumps(fields).decode()
        tail = _remember(_tails, (client, query, agent), (text[1:-1], clean))
    line = (
        f'{{"ts":"{_now_iso()}","level":"info","logger":"rolodex.access","event":"request",'
        f'"request_id":{orjson.dumps(request_id).decode()},{head[0]},"status":{status},'
        f'"duration_ms":{orjson.dumps(duration_ms).decode()},{tail[0]}}}\n'
    )
    if head[1] and tail[1] and (own_id or is_clean(request_id)):
        return line
    # The last net, as JsonFormatter's: nothing credential-shaped comes out.
    return scrub(line)


def _remember(
    cache: dict[Any, tuple[str, bool]], key: Any, value: tuple[str, bool]
) -> tuple[str, bool]:
    if len(cache) >= _CLEAN_MAX:
        cache.clear()
    cache[key] = value
    return value


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
