"""CSV limits and broken files: each is a `CardProblem` with its line, never an exception."""

from __future__ import annotations

import pytest

from rolodex.formats.card import Card, CardProblem
from rolodex.formats.csv_rows import MAX_COLUMNS, MAX_FIELD_CHARS
from rolodex.formats.encodings import text_lines_from_bytes
from rolodex.formats.google_csv import read_google_csv
from rolodex.formats.outlook_csv import read_outlook_csv
from tests.formats.samples import Reader, read_text

READERS = pytest.mark.parametrize("reader", [read_google_csv, read_outlook_csv])


@READERS
def test_a_field_over_the_limit_is_refused_and_the_next_row_is_read(reader: Reader) -> None:
    huge = "x" * (MAX_FIELD_CHARS + 1)
    text = f'First Name,Notes\nAda,"{huge}"\nGrace,short\n'
    problem, grace = read_text(reader, text)
    assert problem == CardProblem(
        2, f"column 'Notes': {MAX_FIELD_CHARS + 1:,} characters; at most {MAX_FIELD_CHARS:,}"
    )
    assert isinstance(grace, Card)
    assert grace.line == 3


@READERS
def test_a_field_at_the_limit_is_read(reader: Reader) -> None:
    (card,) = read_text(reader, f"First Name,Notes\nAda,{'x' * MAX_FIELD_CHARS}\n")
    assert isinstance(card, Card)
    assert len(card.contact_data["notes"]) == MAX_FIELD_CHARS


@READERS
def test_a_header_with_too_many_columns_is_refused_whole(reader: Reader) -> None:
    header = ",".join(f"C{n}" for n in range(MAX_COLUMNS + 1))
    assert read_text(reader, header + "\nrow\n") == [
        CardProblem(1, f"the header has {MAX_COLUMNS + 1:,} columns; at most {MAX_COLUMNS:,}")
    ]


@READERS
def test_an_unclosed_quote_stops_reading_at_the_row_it_opens(reader: Reader) -> None:
    # The quote swallows every line after it until the parser's own field limit.
    body = "".join(f"line {n} of a note that never ends\n" for n in range(6000))
    out = read_text(reader, f'First Name,Notes\nAda,ok\nGrace,"{body}')
    assert isinstance(out[0], Card)
    (problem,) = out[1:]
    assert isinstance(problem, CardProblem)
    assert problem.line == 3
    assert "the rest is not read" in problem.message


@READERS
def test_an_empty_file_is_one_problem(reader: Reader) -> None:
    assert read_text(reader, "") == [
        CardProblem(1, "the file is empty: a CSV file needs a header line")
    ]


@READERS
def test_blank_lines_are_skipped_and_lines_still_counted(reader: Reader) -> None:
    out = read_text(reader, "First Name,Notes\n\n,\nAda,x\n")
    assert [c.line for c in out if isinstance(c, Card)] == [4]


def test_bytes_that_turn_out_not_to_be_utf8_midway_are_a_problem_at_their_line() -> None:
    raw = "First Name,Notes\nJosé,x\n".encode() + b"M\xfcller,y\n"
    out = list(read_google_csv(text_lines_from_bytes(raw)))
    assert isinstance(out[0], Card)
    assert out[1] == CardProblem(
        3, "the bytes are not valid UTF-8, and earlier lines were; the rest of the file is not read"
    )
