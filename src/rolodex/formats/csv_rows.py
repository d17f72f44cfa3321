"""CSV records with their line numbers and limits: what the Google and Outlook readers share.

The standard `csv` module parses; this module counts physical lines (a quoted field may
span several, and an error must point at the line where its record starts), refuses
fields and rows over the documented limits as `CardProblem`s, and turns an unreadable
byte sequence or an endless line into a problem instead of an exception. Limits are in
docs/import-export.md, "Google CSV" and "Outlook CSV".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rolodex.contacts.model import MAX_NOTES
from rolodex.formats.card import CardProblem
from rolodex.formats.encodings import EncodingProblem

# The longest value the canonical contact holds (notes); a field over it cannot be stored.
MAX_FIELD_CHARS = MAX_NOTES
# Google's widest export has a few hundred columns; a thousand leaves room and no more.
MAX_COLUMNS = 1000


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV record: the line it starts on and its non-empty values by column name.

    When a header names a column twice, the first non-empty value is kept.
    """

    line: int
    values: dict[str, str]


def read_rows(lines: Iterable[str]) -> Iterator[Row | CardProblem]:
    """The records after the header, as `Row`s, or `CardProblem`s for those that cannot be read.

    A problem with the header, the encoding, or a record the parser cannot get past (an
    unclosed quote that swallows the rest) ends the reading: nothing after it can be
    trusted to line up. A record with too many fields or a field too long is one problem
    and reading goes on.
    """
    # The `csv` module's own field limit (process-wide, 128 KiB by default) is above ours,
    # so our check speaks first; it is left alone and only stops a runaway quoted field.
    reader = csv.reader(iter(lines), strict=False)
    try:
        _, header = _next_record(reader)
    except StopIteration:
        yield CardProblem(1, "the file is empty: a CSV file needs a header line")
        return
    except _Unreadable as exc:
        yield _fatal(exc.cause, exc.line)
        return
    if len(header) > MAX_COLUMNS:
        yield CardProblem(1, f"the header has {len(header):,} columns; at most {MAX_COLUMNS:,}")
        return
    names = [name.strip() for name in header]
    # The common header names each column once: a dict comprehension reads its rows.
    plain = "" not in names and len(set(names)) == len(names)
    while True:
        try:
            start, record = _next_record(reader)
        except StopIteration:
            return
        except _Unreadable as exc:
            yield _fatal(exc.cause, exc.line)
            return
        problem = _record_problem(record, names, start)
        if problem:
            yield problem
            continue
        yield Row(start, _values(names, record, plain))


def _values(names: Sequence[str], record: Sequence[str], plain: bool) -> dict[str, str]:
    """A record's non-empty values by column name (`plain`: the header names each column once)."""
    if plain:
        return {name: value for name, value in zip(names, record, strict=False) if value}
    values: dict[str, str] = {}
    for name, value in zip(names, record, strict=False):
        if value and name and name not in values:
            values[name] = value
    return values


class _Unreadable(Exception):
    def __init__(self, line: int, cause: Exception) -> None:
        self.line = line
        self.cause = cause


def _next_record(reader: Any) -> tuple[int, list[str]]:
    """The next record that is not blank, with the physical line it starts on."""
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except (EncodingProblem, csv.Error) as exc:
            raise _Unreadable(start, exc) from None
        if "".join(record).strip():
            return start, record


def _record_problem(record: Sequence[str], names: Sequence[str], line: int) -> CardProblem | None:
    if len(record) > len(names) and "".join(record[len(names) :]).strip():
        return CardProblem(
            line, f"the row has {len(record):,} fields and the header {len(names):,} columns"
        )
    # No field can be over the limit when all of them together are not (the common case).
    if len("".join(record)) <= MAX_FIELD_CHARS:
        return None
    for name, value in zip(names, record, strict=False):
        if len(value) > MAX_FIELD_CHARS:
            return CardProblem(
                line,
                f"column {name!r}: {len(value):,} characters; at most {MAX_FIELD_CHARS:,}",
            )
    return None


def _fatal(exc: Exception, line: int) -> CardProblem:
    if isinstance(exc, EncodingProblem):
        return CardProblem(exc.line, f"{exc.message}; the rest of the file is not read")
    return CardProblem(line, f"the CSV cannot be read from here ({exc}); the rest is not read")


class RowWriter:
    """CSV records as text, CRLF-ended (RFC 4180, and what Google and Outlook write).

    Outlook quotes every field; Google only those that need it. Cells are given by
    column name; the writer puts them in the header's order. One buffer for all rows.
    """

    def __init__(self, header: Sequence[str], *, quote_all: bool = False) -> None:
        self.header = list(header)
        self._index = {name: i for i, name in enumerate(self.header)}
        self._out = io.StringIO()
        self._writer = (
            csv.writer(self._out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            if quote_all
            else csv.writer(self._out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        )

    def header_line(self) -> str:
        return self._line(self.header)

    def row(self, cells: dict[str, str]) -> str:
        """One record from `{column: value}`; columns not in the header are not written."""
        values = [""] * len(self.header)
        index = self._index
        for column, value in cells.items():
            position = index.get(column)
            if position is not None and value:
                values[position] = value
        return self._line(values)

    def rows(self, rows: Iterable[dict[str, str]]) -> str:
        """Many records at once (an export's page): the same text as `row` on each, joined."""
        self._out.seek(0)
        self._out.truncate()
        width = len(self.header)
        index = self._index
        records = []
        for cells in rows:
            values = [""] * width
            for column, value in cells.items():
                position = index.get(column)
                if position is not None and value:
                    values[position] = value
            records.append(values)
        self._writer.writerows(records)
        return self._out.getvalue()

    def _line(self, values: Sequence[str]) -> str:
        self._out.seek(0)
        self._out.truncate()
        self._writer.writerow(values)
        return self._out.getvalue()
