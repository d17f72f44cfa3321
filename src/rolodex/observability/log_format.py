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

from rolodex.observability.line_writer import LineWriter
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
    """A JSON-lines handler; without a stream, whatever sys.stderr is when a line is written.

    Lines go through a `LineWriter`: to an OS file (stderr, a file it is redirected to)
    they are written in batches by a background thread, and a line at WARNING or above
    at once, with all before it (line_writer.py).
    """

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self._fixed = stream is not None
        self.setFormatter(JsonFormatter())
        self.addFilter(RedactingFilter())
        self.lines = LineWriter(self._stream_now)

    def _stream_now(self) -> IO[str]:
        return self.stream if self._fixed else sys.stderr

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + "\n"
            self.lines.write(line, urgent=record.levelno >= logging.WARNING)
        except RecursionError:  # as logging.StreamHandler does
            raise
        except Exception:
            self.handleError(record)

    def flush(self) -> None:
        """Write every queued line now (logging.shutdown and setStream call this)."""
        lines = getattr(self, "lines", None)  # StreamHandler.__init__ may flush before it exists
        if lines is not None:
            lines.flush()
        super().flush()


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
        handler.setStream(stream)  # writes what was queued for the old stream first
        handler._fixed = True
    logger.setLevel(logging.INFO)
    # Our handler writes these lines; the root logger's would write them twice.
    logger.propagate = False
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        for other in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactingFilter) for f in other.filters):
                other.addFilter(RedactingFilter())
    return handler
