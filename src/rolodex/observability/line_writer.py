"""Log lines written in batches by one background thread, so a request never waits on a write.

A server writing one line per request straight to stderr pays a system call for each
(stderr is line-buffered), under the logging handler's lock, on the event loop: at
/healthz that was a large share of the whole request (docs/benchmarks.md). Here a line
is appended to a queue (a deque: appending and popping are atomic under the GIL, so no
lock on the request's path) and a daemon thread writes whatever has gathered every
`FLUSH_INTERVAL` seconds, in one write.

No line is lost on a clean shutdown: the server flushes when its lifespan ends, and an
`atexit` hook flushes whatever came after. A line at WARNING or above is written at once,
with everything queued before it, so an error is never held back and lines keep their
order. A process killed outright (SIGKILL, power loss) loses at most the last
`FLUSH_INTERVAL` of lines.

Streams that are not OS files (a `StringIO`, pytest's capture) are written at once:
there is no system call to save, and readers of such streams expect the line there as
soon as it is logged.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import threading
import weakref
from collections import deque
from collections.abc import Callable
from typing import IO

# Seconds between two writes of the queued lines.
FLUSH_INTERVAL = 0.05
# Lines queued at most: past this, the line's own writer flushes (so a stalled reader of
# stderr slows the server, as a direct write would, instead of filling its memory).
MAX_PENDING = 10_000

_writers: weakref.WeakSet[LineWriter] = weakref.WeakSet()


class LineWriter:
    """Complete lines (each ending in a newline) for the stream that `target` names."""

    def __init__(self, target: Callable[[], IO[str]]) -> None:
        self._target = target
        self._pending: deque[str] = deque()
        self._lock = threading.Lock()  # one writer of the stream at a time
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._batched_stream: IO[str] | None = None  # the last stream found to be a file
        _writers.add(self)

    def write(self, line: str, urgent: bool = False) -> None:
        """Queue a line, or write it (and all queued before it) now if urgent or not a file."""
        self._pending.append(line)
        stream = self._target()
        if urgent or len(self._pending) > MAX_PENDING:
            self.flush()
        elif stream is not self._batched_stream:
            if not _is_os_file(stream):
                self.flush()
                return
            self._batched_stream = stream
        if self._thread is None:
            self._start()

    def flush(self) -> None:
        """Write every queued line, in order, in one write."""
        with self._lock:
            pending = self._pending
            if not pending:
                return
            # Only this thread pops, under the lock; appends from others go on meanwhile.
            lines = [pending.popleft() for _ in range(len(pending))]
            stream = self._target()
            stream.write("".join(lines))
            stream.flush()

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="rolodex-log", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(FLUSH_INTERVAL)
            try:
                self.flush()
            except Exception:
                self._pending.clear()

    def _after_fork(self) -> None:
        # The parent's thread does not exist in the child, and its locks may have been
        # held by it at the fork; the queue was the parent's to write.
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread = None
        self._pending.clear()


def _is_os_file(stream: IO[str]) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False
    return True


def flush_all() -> None:
    """Write what every writer has queued (at shutdown, and before exit)."""
    for writer in list(_writers):
        # Exiting: a stream already closed loses its lines, and nothing can be told.
        with contextlib.suppress(Exception):
            writer.flush()


atexit.register(flush_all)


def _after_fork_in_child() -> None:
    for writer in list(_writers):
        writer._after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)
