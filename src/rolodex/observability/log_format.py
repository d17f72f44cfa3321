"""Structured logs: one JSON object per line, with the request id, secrets scrubbed.

Rolodex's own logger ("rolodex" and its children) gets a handler that writes JSON lines
to stderr; the handlers uvicorn installed get the same scrubbing filter, so even its
access lines (when turned on) carry no secret from a query string.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import IO, Any

import orjson

from rolodex.observability.redaction import scrub
from rolodex.timestamps import iso

# The id of the request being served, for every line logged while serving it (anyio
# copies context into worker threads, so service code logging in a thread has it too).
REQUEST_ID: ContextVar[str | None] = ContextVar("rolodex_request_id", default=None)


class RedactingFilter(logging.Filter):
    """Scrubs each record's message and arguments, so no handler ever writes a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: scrub(v) if isinstance(v, str) else v for k, v in record.args.items()}
        try:
            rendered = record.getMessage()
        except (TypeError, ValueError):
            return True  # the logging module reports a broken format itself
        cleaned = scrub(rendered)
        # uvicorn's access formatter reads the five arguments themselves (scrubbed above).
        if cleaned != rendered and record.name != "uvicorn.access":
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "event", "request_id", ...fields, "exc"}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": iso(int(record.created * 1000)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            line["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        # The last net: whatever went into the line, nothing credential-shaped comes out.
        return scrub(orjson.dumps(line, default=str).decode("utf-8"))


class JsonLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A JSON-lines handler; without a stream, whatever sys.stderr is when a line is written."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self._fixed = stream is not None
        self.setFormatter(JsonFormatter())
        self.addFilter(RedactingFilter())

    def emit(self, record: logging.LogRecord) -> None:
        if not self._fixed:
            self.stream = sys.stderr
        super().emit(record)


def configure_logging(stream: IO[str] | None = None) -> JsonLogHandler:
    """Send Rolodex's logs (INFO and up) as JSON lines to stderr; idempotent.

    Also scrubs what uvicorn's handlers write. Returns the handler (tests read from it).
    """
    logger = logging.getLogger("rolodex")
    handler = next((h for h in logger.handlers if isinstance(h, JsonLogHandler)), None)
    if handler is None:
        handler = JsonLogHandler(stream)
        logger.addHandler(handler)
    elif stream is not None:
        handler.setStream(stream)
        handler._fixed = True
    logger.setLevel(logging.INFO)
    # Our handler writes these lines; the root logger's would write them twice.
    logger.propagate = False
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        for other in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactingFilter) for f in other.filters):
                other.addFilter(RedactingFilter())
    return handler
