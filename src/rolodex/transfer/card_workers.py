"""A vCard file read and checked in worker processes, in file order: the card path's pace.

Reading a vCard (formats/vcard) and checking each card (checks.py) is pure Python and
most of an import's cost, and the card path does it twice (the check before anything
is written, then the writing pass). As the bulk JSON-lines path does
(contacts/importer.py), worker processes do it here: this process only cuts the text
into pieces of whole cards and writes; the workers read, check and, for the writing
pass, prepare each card's rows (`prepared.prepare`, the bulk path's own step).

A piece is cut only where a line `END:VCARD` is followed by a line `BEGIN:VCARD` (and
the line before the `END` is no quoted-printable soft break that would join it): there
the reader is outside any card with nothing pending, exactly as at the start of a file,
so each piece reads as it would have in the whole file. Each piece knows how many
physical lines come before it, and its cards and problems are numbered on from there.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from rolodex.contacts.prepared import prepare
from rolodex.formats import vcard
from rolodex.formats.card import CardProblem
from rolodex.formats.encodings import EncodingProblem
from rolodex.formats.vcard import Group
from rolodex.photos.images import ImageLimits
from rolodex.transfer.checks import CheckedCard, check_card

# Cards per piece: big enough that a piece's trip to a worker costs little, small enough
# that the pieces in flight (a few per worker) hold little.
CARDS_PER_PIECE = 500
# Pieces sent ahead per worker, so that none waits.
_AHEAD = 3
_LINE_PREFIX = re.compile(r"^line (\d+):")
_FILE_ENDS = "the file ends before END:VCARD"

Checked = CheckedCard | Group | CardProblem
Submit = Callable[..., "Future[list[Checked]]"]


@dataclass(frozen=True, slots=True)
class Piece:
    """Whole cards of the file: the physical lines before them, and their text."""

    before: int
    text: str
    # The file could not be read past this piece (its last card may be cut short).
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Preparing:
    """What the writing pass's workers need to prepare a card's rows."""

    owner_id: str
    dialect: str
    region: str


def _is(line: str, word: str) -> bool:
    return len(line) < 24 and line.strip().upper() == word


def _breaks(text: str) -> int:
    # The vCard reader ends a line at LF, CRLF or a lone CR (lines.py, `_chunks`).
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def pieces(lines: Iterator[str], cards: int = CARDS_PER_PIECE) -> Iterator[Piece | CardProblem]:
    """The decoded lines of a vCard file as pieces of about `cards` cards each.

    A file that cannot be read on (`EncodingProblem`) ends with what was read as a
    truncated piece and the problem, as `reading.read_file` reports it.
    """
    parts: list[str] = []
    before = count = 0
    previous = earlier = ""
    try:
        for line in lines:
            if _is(line, "BEGIN:VCARD") and count >= cards and _is(previous, "END:VCARD"):
                if not earlier.rstrip("\r\n").endswith("="):
                    text = "".join(parts)
                    yield Piece(before, text)
                    before += _breaks(text)
                    parts, count = [], 0
            elif _is(line, "END:VCARD"):
                count += 1
            parts.append(line)
            earlier, previous = previous, line
    except EncodingProblem as exc:
        if parts:
            yield Piece(before, "".join(parts), truncated=True)
        yield CardProblem(exc.line, f"{exc.message}; the rest of the file is not read")
        return
    if parts:
        yield Piece(before, "".join(parts))


def read_piece(piece: Piece, limits: ImageLimits, preparing: Preparing | None) -> list[Checked]:
    """One piece's cards, checked (and prepared when `preparing`), numbered in the file.

    Runs in a worker process.
    """
    out: list[Checked] = []
    shift = piece.before
    for item in vcard.read_cards(piece.text):
        if isinstance(item, CardProblem):
            if piece.truncated and item.message == _FILE_ENDS:
                continue  # the whole file would have stopped before its end
            out.append(CardProblem(item.line + shift, _shifted(item.message, shift)))
            continue
        item.line += shift
        checked = check_card(item, limits)
        if preparing is not None and isinstance(checked, CheckedCard):
            checked.prepared = prepare(
                preparing.dialect, preparing.owner_id, checked.data, preparing.region
            )
        out.append(checked)
    return out


def _shifted(message: str, shift: int) -> str:
    """A problem's "line N: ..." numbered in the file rather than in its piece."""
    return _LINE_PREFIX.sub(lambda m: f"line {int(m.group(1)) + shift}:", message, count=1)


def checked_in_workers(
    submit: Submit,
    workers: int,
    lines: Iterator[str],
    limits: ImageLimits,
    preparing: Preparing | None,
    cards: int = CARDS_PER_PIECE,
) -> Iterator[Checked]:
    """Every card of the file checked by the workers, in file order; a few pieces ahead."""
    queue: deque[Future[list[Checked]] | CardProblem] = deque()

    def send(item: Piece | CardProblem) -> None:
        queue.append(
            item if isinstance(item, CardProblem) else submit(read_piece, item, limits, preparing)
        )

    source = pieces(lines, cards)
    for item in islice(source, _AHEAD * workers):
        send(item)
    while queue:
        head = queue.popleft()
        following: Any = next(source, None)
        if following is not None:
            send(following)
        if isinstance(head, CardProblem):
            yield head
        else:
            yield from head.result()


@contextmanager
def worker_pool(workers: int) -> Iterator[Submit | None]:
    """`workers` processes to read pieces in, or None for none."""
    if workers < 1:
        yield None
        return
    # spawn, not fork: this process holds database connections and threads.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool.submit
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
