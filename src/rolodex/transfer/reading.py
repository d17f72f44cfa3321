"""A contact file's bytes -> its `Card`s, whatever the format, with progress by bytes read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO, TextIO, cast

from rolodex.formats import vcard
from rolodex.formats.card import Card, CardProblem
from rolodex.formats.detect import GOOGLE_CSV, JSONL, OUTLOOK_CSV, VCARD, open_text
from rolodex.formats.encodings import ByteSource, EncodingProblem
from rolodex.formats.google_csv import read_google_csv
from rolodex.formats.jsonl import read_jsonl
from rolodex.formats.outlook_csv import read_outlook_csv

Progress = Callable[[int], None]


class CountingReader:
    """A binary file that tells `progress` how many bytes each read took."""

    def __init__(self, stream: BinaryIO, progress: Progress | None) -> None:
        self._stream = stream
        self._progress = progress

    def read(self, size: int = -1, /) -> bytes:
        data = self._stream.read(size)
        if self._progress is not None and data:
            self._progress(len(data))
        return data


class _LinesAsText:
    """Text lines as the text file the vCard reader reads in chunks."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def read(self, size: int = -1, /) -> str:
        out: list[str] = []
        total = 0
        for line in self._lines:
            out.append(line)
            total += len(line)
            if total >= size > 0:
                break
        return "".join(out)


def _guarded(cards: Iterator[Card | CardProblem]) -> Iterator[Card | CardProblem]:
    """The cards, and an unreadable rest of the file as one last problem."""
    try:
        yield from cards
    except EncodingProblem as exc:
        yield CardProblem(exc.line, f"{exc.message}; the rest of the file is not read")


def read_file(stream: ByteSource, requested: str) -> tuple[str, Iterator[Card | CardProblem]]:
    """The file's format (detected, or `requested`) and its cards in order.

    Raises `formats.detect.UnknownFormat` when the format cannot be told.
    """
    sniffed, lines = open_text(stream, requested)
    return sniffed.format, cards_of_lines(sniffed.format, lines)


def cards_of_lines(fmt: str, lines: Iterator[str]) -> Iterator[Card | CardProblem]:
    """The cards of a file of this format, from its decoded lines (`detect.open_text`)."""
    if fmt == VCARD:
        cards = vcard.read_cards(cast(TextIO, _LinesAsText(lines)))
    elif fmt == GOOGLE_CSV:
        cards = read_google_csv(lines)
    elif fmt == OUTLOOK_CSV:
        cards = read_outlook_csv(lines)
    else:
        assert fmt == JSONL
        cards = read_jsonl(lines)
    return _guarded(cards)
