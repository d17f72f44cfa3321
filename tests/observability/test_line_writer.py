"""Log lines are written in batches by a background thread, and none is lost or reordered.

What a server writes to stderr (an OS file) goes through the batching writer; an error
line goes out at once with everything before it; and a server stopped the usual way
(SIGTERM) has written the line of every request it answered.
"""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path

import httpx

from rolodex.observability.line_writer import LineWriter
from rolodex.observability.log_format import JsonLogHandler
from tests.server_process import running_server

# Seconds a queued line may take to reach its file (it is written every 0.05 s).
WITHIN = 10


def _read_until(path: Path, lines: int) -> list[str]:
    deadline = time.monotonic() + WITHIN
    while True:
        written = path.read_text().splitlines()
        if len(written) >= lines or time.monotonic() > deadline:
            return written
        time.sleep(0.02)


def test_queued_lines_reach_a_file_in_order_without_a_flush(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    with path.open("w") as stream:
        writer = LineWriter(lambda: stream)
        for i in range(1000):
            writer.write(f"line {i}\n")
        assert _read_until(path, 1000) == [f"line {i}" for i in range(1000)]


def test_an_urgent_line_is_written_at_once_after_those_queued_before_it(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    with path.open("w") as stream:
        handler = JsonLogHandler(stream)
        logger = logging.getLogger("rolodex.test_line_writer")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        try:
            logger.info("first")
            logger.info("second")
            logger.error("broken")
            # No waiting: the error line and both before it are in the file already.
            events = [json.loads(line)["event"] for line in path.read_text().splitlines()]
        finally:
            logger.removeHandler(handler)
    assert events == ["first", "second", "broken"]


def test_a_stream_that_is_not_a_file_gets_each_line_at_once() -> None:
    buffer = io.StringIO()
    writer = LineWriter(lambda: buffer)
    writer.write("one\n")
    assert buffer.getvalue() == "one\n"


def test_a_server_stopped_as_usual_has_logged_every_request_it_answered(tmp_path: Path) -> None:
    log_path = tmp_path / "stderr.log"
    env = {"ROLODEX_ACCESS_LOG": "true", "ROLODEX_WEBHOOK_WORKER": "false"}
    answered = []
    with (
        log_path.open("w") as log_file,
        running_server(tmp_path / "data", env, log_file) as base,
        httpx.Client() as client,
    ):
        for i in range(400):
            response = client.get(f"{base}/healthz", headers={"X-Request-Id": f"burst-{i}"})
            assert response.status_code == 200
            answered.append(response.headers["x-request-id"])
        # Stopped (SIGTERM) right after the last answer, before any flush interval.
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    logged = [line["request_id"] for line in lines if line["logger"] == "rolodex.access"]
    assert [rid for rid in logged if rid.startswith("burst-")] == answered
