"""Reading vCard files: lines, cards, broken cards and bombs."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

from rolodex.formats.card import Card, CardProblem
from rolodex.formats.vcard import MAX_LINE_CHARS, MAX_PROPERTIES, Limits, read_cards


def only_card(text: str) -> Card:
    (card,) = list(read_cards(text))
    assert isinstance(card, Card), card
    return card


class GeneratedText:
    """A text stream made on the fly, so a test can feed gigabytes without holding them."""

    def __init__(self, parts: Iterator[str]) -> None:
        self._parts = parts
        self._buffer = ""

    def read(self, size: int = -1) -> str:
        while len(self._buffer) < size:
            part = next(self._parts, None)
            if part is None:
                break
            self._buffer += part
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def test_folded_lines_unfold_with_crlf_lf_spaces_and_tabs() -> None:
    text = "BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:one \r\n two\n\tthree\r\nFN:X\nEND:VCARD\n"
    assert only_card(text).contact_data["notes"] == "one twothree"


def test_cards_carry_the_line_they_start_on() -> None:
    text = "\n".join(
        ["BEGIN:VCARD", "VERSION:3.0", "FN:A", "END:VCARD", "", "BEGIN:VCARD", "FN:B", "END:VCARD"]
    )
    assert [c.line for c in read_cards(text)] == [1, 6]


def test_a_broken_card_is_a_problem_with_its_line_and_the_next_card_is_read() -> None:
    text = "\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "FN:Good",
            "END:VCARD",
            "BEGIN:VCARD",
            "VERSION:3.0",
            "FN:Broken",
            "this line has no colon",
            "END:VCARD",
            "BEGIN:VCARD",
            "VERSION:3.0",
            "FN:Also good",
            "END:VCARD",
        ]
    )
    first, problem, last = read_cards(text)
    assert isinstance(first, Card)
    assert isinstance(last, Card)
    assert problem == CardProblem(5, "line 8: not a vCard property (name:value)")
    assert last.contact_data["displayName"] == "Also good"


def test_a_truncated_file_is_a_problem_for_its_last_card() -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Cut sh"
    first, problem = read_cards(text)
    assert isinstance(first, Card)
    assert problem == CardProblem(5, "the file ends before END:VCARD")


def test_a_card_without_end_is_a_problem_and_the_next_begin_starts_a_card() -> None:
    text = "BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n"
    problem, card = read_cards(text)
    assert problem == CardProblem(1, "line 3: the card has no END:VCARD")
    assert isinstance(card, Card)
    assert card.line == 3


def test_text_outside_a_card_is_a_problem_once_per_run() -> None:
    text = "hello\nworld\nBEGIN:VCARD\nFN:A\nEND:VCARD\n"
    problem, card = read_cards(text)
    assert problem == CardProblem(1, "line 1: text outside a vCard (no BEGIN:VCARD)")
    assert isinstance(card, Card)


def test_an_unknown_version_is_a_problem() -> None:
    (problem,) = read_cards("BEGIN:VCARD\nVERSION:5.0\nFN:A\nEND:VCARD\n")
    assert problem == CardProblem(1, "vCard version '5.0' is not one Rolodex reads")


def test_vcard_21_bare_types_and_quoted_printable_with_charset() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\n"
        "TEL;WORK;VOICE:1\r\nTEL;CELL;PREF:2\r\n"
        "NOTE;QUOTED-PRINTABLE:a=0D=0Ab=\r\nc\r\n"
        "END:VCARD\r\n"
    )
    data = only_card(text).contact_data
    assert data["name"] == {"familyName": "Müller", "givenName": "Jürgen"}
    assert data["phoneNumbers"] == [
        {"type": "mobile", "value": "2"},
        {"type": "work", "value": "1"},
    ]
    assert data["notes"] == "a\nbc"


def test_photos_inline_data_uri_and_uri_value() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:A\n"
        "PHOTO;ENCODING=b;TYPE=PNG:aGVsbG8=\n"
        "PHOTO;VALUE=uri:data:image/gif;base64,aGk=\n"
        "PHOTO;VALUE=uri:https://example.com/a.jpg\n"
        "END:VCARD\n"
    )
    card = only_card(text)
    assert [(p.data, p.content_type) for p in card.photos] == [
        (b"hello", "image/png"),
        (b"hi", "image/gif"),
    ]
    assert card.contact_data["photos"] == [{"value": "https://example.com/a.jpg"}]


def test_a_huge_folded_line_is_refused_without_holding_it() -> None:
    def parts() -> Iterator[str]:
        yield "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:"
        for _ in range(40 * MAX_LINE_CHARS // 65_536):  # 40 times the limit
            yield "x" * 65_535 + "\r\n "
        yield "\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Next\r\nEND:VCARD\r\n"

    tracemalloc.start()
    try:
        problem, card = read_cards(GeneratedText(parts()))  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(problem, CardProblem)
    assert problem.line == 1
    assert "longer than" in problem.message
    assert isinstance(card, Card)
    assert card.contact_data["displayName"] == "Next"
    assert peak < 3 * MAX_LINE_CHARS * 4  # one line at most, not the 40 sent


def test_a_huge_physical_line_is_refused() -> None:
    limits = Limits(line_chars=1000)
    text = "BEGIN:VCARD\nNOTE:" + "y" * 5000 + "\nEND:VCARD\nBEGIN:VCARD\nFN:B\nEND:VCARD\n"
    problem, card = read_cards(text, limits)
    assert isinstance(problem, CardProblem)
    assert "longer than 1000" in problem.message
    assert isinstance(card, Card)


def test_a_million_properties_are_refused_as_a_problem() -> None:
    def parts() -> Iterator[str]:
        yield "BEGIN:VCARD\nVERSION:4.0\n"
        for _ in range(1000):
            yield "X-A:1\n" * 1000
        yield "END:VCARD\nBEGIN:VCARD\nFN:Next\nEND:VCARD\n"

    problem, card = read_cards(GeneratedText(parts()))  # type: ignore[arg-type]
    assert problem == CardProblem(1, f"the card has more than {MAX_PROPERTIES} properties")
    assert isinstance(card, Card)


def test_a_card_over_the_size_limit_is_a_problem() -> None:
    limits = Limits(card_chars=100)
    text = "BEGIN:VCARD\n" + "NOTE:" + "z" * 60 + "\n" + "TITLE:" + "z" * 60 + "\nEND:VCARD\n"
    (problem,) = read_cards(text, limits)
    assert problem == CardProblem(1, "the card is longer than 100 characters")


def test_properties_without_a_home_are_kept_verbatim() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:4.0\nFN:A\nGENDER:F\nGEO:geo:1,2\nTZ:-05:00\n"
        'item9.X-Custom;X-P="a,b":v\\,w\nEND:VCARD\n'
    )
    kept = only_card(text).extras["vcard"]["properties"]
    assert kept[-1] == {
        "group": "item9",
        "name": "X-Custom",
        "params": {"X-P": ["a,b"]},
        "value": "v\\,w",
    }
    assert [p["name"] for p in kept] == ["GENDER", "GEO", "TZ", "X-Custom"]


def test_a_file_read_as_lines_a_stream_or_a_string_gives_the_same_cards() -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:a\r\n  b\rFN:C\r\nEND:VCARD\r\n"
    lines = text.splitlines(keepends=True)
    pieces = [text[i : i + 3] for i in range(0, len(text), 3)]  # a CR and its LF apart
    expected = list(read_cards(text))
    assert isinstance(expected[0], Card)
    assert expected[0].contact_data == {"notes": "a b", "displayName": "C"}
    assert list(read_cards(iter(lines))) == expected
    assert list(read_cards(pieces)) == expected
    assert list(read_cards(io.StringIO(text))) == expected
