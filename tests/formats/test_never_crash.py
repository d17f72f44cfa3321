"""Whatever a file holds, reading it gives cards and problems, never an exception."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from rolodex.formats.card import Card, CardProblem
from rolodex.formats.detect import UnknownFormat, sniff
from rolodex.formats.encodings import EncodingProblem, text_lines_from_bytes
from tests.formats.samples import READERS

_CSVISH = st.text(st.sampled_from(list('ab,"\n\r :*-1Eé\x00{}[]')), max_size=300)
_HEADERS = st.sampled_from(
    [
        "First Name,E-mail 1 - Label,E-mail 1 - Value,Labels,Birthday,Event 1 - Value,IM 1 - Service\n",
        "First Name,E-mail Address,Business Phone,Categories,Birthday,Home Street\n",
        "",
    ]
)


@settings(max_examples=200, deadline=None)
@given(_HEADERS, _CSVISH)
def test_any_text_reads_as_cards_and_problems(header: str, body: str) -> None:
    for reader in READERS.values():
        for out in reader(text_lines_from_bytes((header + body).encode())):
            assert isinstance(out, Card | CardProblem)
            assert out.line >= 1 or isinstance(out, Card)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_text_or_an_encoding_problem(raw: bytes) -> None:
    lines = _lines_or_problem(raw)
    if isinstance(lines, EncodingProblem):
        assert lines.line >= 1
    else:
        assert all(isinstance(line, str) for line in lines)
    with contextlib.suppress(UnknownFormat):
        sniff(raw)
    for reader in READERS.values():
        assert all(isinstance(o, Card | CardProblem) for o in reader(text_lines_from_bytes(raw)))


def _lines_or_problem(raw: bytes) -> list[str] | EncodingProblem:
    """The text lines of `raw`, or the `EncodingProblem` reading them raised."""
    try:
        return list(text_lines_from_bytes(raw))
    except EncodingProblem as exc:
        return exc
