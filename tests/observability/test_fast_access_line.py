"""The access line built straight from the request is the line the logging module wrote.

`RequestLogMiddleware` hands its line to Rolodex's JSON handler directly when nothing
else would see the record (access_line.py); with anything else listening it goes through
the logging module, as it always did. Both ways must write the same line, and `scrub`'s
shortcut (text without any of its patterns' words comes back as it is) must change
nothing.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolodex.observability import redaction
from rolodex.observability.access_line import access_line, direct_handler, is_clean
from rolodex.observability.access_log import RequestLogMiddleware
from rolodex.observability.log_format import REQUEST_ID, JsonLogHandler, configure_logging
from rolodex.observability.redaction import scrub

# Text as it reaches the middleware: mostly URL-ish, with the words the patterns look
# for, quotes, backslashes, control characters and letters beyond ASCII mixed in.
_PIECES = st.sampled_from(
    [
        "/api/v1/contacts.get",
        "/v1/contacts/",
        "/photos/p_ABCDEFGHIJKLMNOP",
        "token",
        "Bearer ",
        "basic\t",
        "rdx_at_",
        "password=",
        "code:",
        "api-key",
        '"',
        "\\",
        "\x08",
        "\t",
        "\n",
        "session",
        "\u017fecret",  # the long s, which (?i) matches as "s"
        "KEY",
        "=",
        "&",
        " ",
        "é",
        "ā",
        "x",
        "1234",
        "Mozilla/5.0",
        "%2F",
        "COOKIE",
        "Secret",
        "PASSWD",
    ]
)
_TEXT = st.lists(_PIECES | st.text(max_size=6), max_size=8).map("".join)


def _raw_scrub(text: str) -> str:
    for pattern, replacement in redaction._PATTERNS:
        text = pattern.sub(replacement, text)
    return text


@given(_TEXT)
def test_scrub_shortcut_changes_nothing(text: str) -> None:
    assert scrub(text) == _raw_scrub(text)
    if is_clean(text):
        assert _raw_scrub(json.dumps(text)) == json.dumps(text)


class _State:
    def __init__(self, trust: bool) -> None:
        settings = type("Settings", (), {"trust_proxy_headers": trust})()
        self.services = type("Services", (), {"settings": settings})()


class _App:
    def __init__(self, trust: bool) -> None:
        self.state = _State(trust)


@pytest.fixture
def rolodex_log() -> Iterator[io.StringIO]:
    logger = logging.getLogger("rolodex")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    buffer = io.StringIO()
    configure_logging(buffer)
    yield buffer
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    for handler in saved[0]:
        logger.addHandler(handler)
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


@contextmanager
def _only_rolodex_handler() -> Iterator[None]:
    """Without pytest's log capture, which it adds to the "rolodex" logger for each test
    (its records would go through the logging module, as any other listener's do)."""
    logger = logging.getLogger("rolodex")
    others = [h for h in logger.handlers if not isinstance(h, JsonLogHandler)]
    for handler in others:
        logger.removeHandler(handler)
    try:
        yield
    finally:
        for handler in others:
            logger.addHandler(handler)


def _line(buffer: io.StringIO) -> str:
    """The one line written, its time and duration blanked (scrubbing may leave it
    unparseable when a value holds quotes: the same line either way is the point)."""
    written = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    line, end = written.split("\n")
    assert end == ""
    assert line.startswith('{"ts":"')
    line = re.sub(r'"duration_ms":[0-9.e+-]+', '"duration_ms":0', line[31:])
    assert line.startswith('","level":"info","logger":"rolodex.access","event":"request"')
    return line


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=_TEXT.map(lambda p: "/" + p),
    query=_TEXT,
    agent=_TEXT,
    # (id, whether the server made it): its own are hexadecimal, a client's anything sane.
    made_id=st.sampled_from(
        [
            ("0123456789abcdef0123456789abcdef", True),
            ("0123456789abcdef0123456789abcdef", False),
            ("lb-7f3a.42", False),
            ("token=abc1", False),
        ]
    ),
    forwarded=_TEXT,
    trust=st.booleans(),
)
def test_the_direct_line_is_the_line_the_logging_module_writes(
    rolodex_log: io.StringIO,
    path: str,
    query: str,
    agent: str,
    made_id: tuple[str, bool],
    forwarded: str,
    trust: bool,
) -> None:
    headers = [(b"user-agent", agent.encode("utf-8")), (b"x-forwarded-for", forwarded.encode())]
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query.encode("utf-8"),
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "app": _App(trust),
    }
    request_id, own_id = made_id
    token = REQUEST_ID.set(request_id)  # as the middleware does while serving
    try:
        with _only_rolodex_handler():
            assert direct_handler() is not None
            RequestLogMiddleware._log(scope, request_id, own_id, 200, time.perf_counter())
        direct = _line(rolodex_log)
        # Any filter on the access logger sends its record through the logging module.
        access = logging.getLogger("rolodex.access")
        passing = logging.Filter()
        access.addFilter(passing)
        try:
            assert direct_handler() is None
            RequestLogMiddleware._log(scope, request_id, own_id, 200, time.perf_counter())
        finally:
            access.removeFilter(passing)
    finally:
        REQUEST_ID.reset(token)
    assert direct == _line(rolodex_log)


@pytest.mark.parametrize("duration_ms", [0.0, 0.01, 0.5, 12.34, 1234.5, 86_400_000.0, 1e16])
@pytest.mark.parametrize("status", [200, 404, 500])
def test_the_direct_line_writes_numbers_as_orjson_does(duration_ms: float, status: int) -> None:
    line = access_line(
        "0123456789abcdef0123456789abcdef",
        True,
        "GET",
        "/x",
        b"",
        None,
        "1.2.3.4",
        status,
        duration_ms,
    )
    fields = {"method": "GET", "path": "/x", "status": status, "duration_ms": duration_ms}
    expected = orjson.dumps({**fields, "client": "1.2.3.4"}).decode()[1:]
    assert line.endswith(expected + "\n")
    assert json.loads(line)["duration_ms"] == duration_ms
