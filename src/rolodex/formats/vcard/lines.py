"""A vCard file as a stream of cards: physical lines -> content lines -> one card's lines.

vobject's own reader (`getLogicalLines`) reads the whole file into memory before it
splits it, and knows nothing of size limits, so this module does that part itself: it
reads the text in fixed chunks, unfolds lines (RFC 6350 §3.2: a line break followed by a
space or a tab), joins vCard 2.1 quoted-printable soft line breaks (a value ending in
`=`), and cuts cards at `BEGIN:VCARD` / `END:VCARD`. Memory stays bounded by the limits
below whatever the file holds; anything over them becomes a `CardProblem` for that card,
and reading goes on with the next one.

The limits (documented in docs/import-export.md, "vCard"):
- MAX_LINE_CHARS: one content line after unfolding. A 10 MiB photo (the photo store's
  default limit) is about 14 Mi characters of base64, so the limit leaves room for it.
- MAX_CARD_CHARS: one card, all its lines together.
- MAX_PROPERTIES: content lines in one card.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from rolodex.formats.card import CardProblem

MAX_LINE_CHARS = 16 * 1024 * 1024
MAX_CARD_CHARS = 20 * 1024 * 1024
MAX_PROPERTIES = 5_000

_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Limits:
    line_chars: int = MAX_LINE_CHARS
    card_chars: int = MAX_CARD_CHARS
    properties: int = MAX_PROPERTIES


@dataclass(slots=True)
class RawCard:
    """One card's content lines (unfolded, without BEGIN/END), each with its line number."""

    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


Source = str | TextIO | Iterable[str]
"""A file's text: all of it, a text stream, or its lines (or any chunks) in order."""


def _chunks(source: Source) -> Iterator[str]:
    """The text in pieces, CRLF and a lone CR (as text-mode files read it) turned to LF."""
    if isinstance(source, str):
        source = io.StringIO(source)
    if isinstance(source, io.TextIOBase) or hasattr(source, "read"):
        stream: TextIO = source  # type: ignore[assignment]
        pieces: Iterable[str] = iter(lambda: stream.read(_CHUNK), "")
    else:
        pieces = source
    held = ""  # a CR at the end of a piece may be the first half of a CRLF
    for piece in pieces:
        if held:
            piece, held = held + piece, ""
        if "\r" in piece:
            if piece.endswith("\r"):
                piece, held = piece[:-1], "\r"
            piece = piece.replace("\r\n", "\n").replace("\r", "\n")
        if piece:
            yield piece
    if held:
        yield "\n"


def _physical_lines(source: Source, limit: int) -> Iterator[tuple[int, str | None]]:
    """(line number, text without its line break), or None for a line over `limit`."""
    number = 0
    parts: list[str] = []  # the start of a line that began in an earlier chunk
    size = 0
    too_long = False
    for chunk in _chunks(source):
        pieces = chunk.split("\n")
        last = pieces.pop()
        for piece in pieces:
            number += 1
            if parts or too_long:
                if not too_long and size + len(piece) <= limit:
                    parts.append(piece)
                    piece = "".join(parts)
                else:
                    too_long = True
                parts, size = [], 0
                if too_long:
                    too_long = False
                    yield number, None
                    continue
            yield number, None if len(piece) > limit else piece
        if last and not too_long:
            size += len(last)
            if size > limit:
                too_long, parts, size = True, [], 0
            else:
                parts.append(last)
    if parts or too_long:
        number += 1
        yield number, None if too_long else "".join(parts)


def _is_quoted_printable(text: str) -> bool:
    semicolon = text.find(";")
    if semicolon < 0:
        return False
    colon = text.find(":")
    return semicolon < colon and "QUOTED-PRINTABLE" in text[:colon].upper()


def content_lines(source: Source, limit: int) -> Iterator[tuple[int, str | None]]:
    """Unfolded content lines with the line number each starts on; None when over `limit`."""
    start = 0
    parts: list[str] = []
    size = 0
    too_long = False
    quoted_printable = False
    for number, text in _physical_lines(source, limit):
        if parts or too_long:
            continues = text is not None and text[:1] in (" ", "\t") and text != ""
            # vCard 2.1: a quoted-printable value goes on after a line ending in "=".
            soft_break = quoted_printable and not too_long and parts[-1].endswith("=")
            if continues or soft_break:
                if text is None or too_long:
                    too_long, parts = True, []
                    continue
                if soft_break:
                    parts[-1] = parts[-1][:-1]
                    piece = text
                else:
                    piece = text[1:]
                size += len(piece)
                if size > limit:
                    too_long, parts = True, []
                else:
                    parts.append(piece)
                continue
            yield start, None if too_long else (parts[0] if len(parts) == 1 else "".join(parts))
        if text is None:
            start, parts, size, too_long, quoted_printable = number, [], 0, True, False
            continue
        start, parts, size, too_long = number, [text], len(text), False
        quoted_printable = _is_quoted_printable(text)
    if parts or too_long:
        yield start, None if too_long else "".join(parts)


class _CardCutter:
    """Cuts content lines into cards, one line at a time; each step gives back at most
    one card or problem."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.card: RawCard | None = None
        self.problem: str | None = None  # the card being skipped, and why
        self.card_size = 0
        self.outside_reported = False

    def line(self, number: int, text: str | None) -> RawCard | CardProblem | None:
        if text is None:
            return self.too_long(number)
        # Only a short line can be BEGIN or END; a photo's line is never copied here.
        word = text.strip().upper() if len(text) < 24 else "-"
        if self.card is None:
            return self.outside(number, word)
        return self.inside(self.card, number, text, word)

    def too_long(self, number: int) -> CardProblem | None:
        if self.card is None:
            return CardProblem(number, f"line {number}: a line longer than the limit")
        if self.problem is None:
            self.problem = (
                f"line {number}: a line longer than {self.limits.line_chars} characters "
                "after unfolding"
            )
        return None

    def outside(self, number: int, word: str) -> CardProblem | None:
        if word == "BEGIN:VCARD":
            self.begin(number)
            self.outside_reported = False
        elif word and not self.outside_reported:
            self.outside_reported = True
            return CardProblem(number, f"line {number}: text outside a vCard (no BEGIN:VCARD)")
        return None

    def inside(
        self, card: RawCard, number: int, text: str, word: str
    ) -> RawCard | CardProblem | None:
        if word == "END:VCARD":
            self.card = None
            return card if self.problem is None else CardProblem(card.line, self.problem)
        if word == "BEGIN:VCARD":
            self.begin(number)
            return CardProblem(card.line, f"line {number}: the card has no END:VCARD")
        if self.problem is None and word and not text.isspace():
            self.add(card, number, text)
        return None

    def begin(self, number: int) -> None:
        self.card, self.problem, self.card_size = RawCard(number), None, 0

    def add(self, card: RawCard, number: int, text: str) -> None:
        self.card_size += len(text)
        if self.card_size > self.limits.card_chars:
            self.problem = f"the card is longer than {self.limits.card_chars} characters"
            card.lines = []
        elif len(card.lines) >= self.limits.properties:
            self.problem = f"the card has more than {self.limits.properties} properties"
            card.lines = []
        else:
            card.lines.append((number, text))


def raw_cards(source: Source, limits: Limits) -> Iterator[RawCard | CardProblem]:
    """The cards of a file, in order, or a problem for each that cannot be read.

    A card over a limit, a card with no `END:VCARD`, and text outside any card are
    problems; the card after them is read as usual.
    """
    cutter = _CardCutter(limits)
    for number, text in content_lines(source, limits.line_chars):
        found = cutter.line(number, text)
        if found is not None:
            yield found
    if cutter.card is not None:
        yield CardProblem(cutter.card.line, "the file ends before END:VCARD")
