"""The cursor codec: what it accepts is exactly what this server issued, for this kind and owner."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rolodex.contacts.cursors import BOOK, SCROLL, TAGS, CursorCodec, parse_int64
from rolodex.errors import InvalidInput

CODEC = CursorCodec(lambda: "k" * 32)


@given(
    pk=st.integers(min_value=0, max_value=2**63 - 1),
    key=st.text(max_size=200),
    owner=st.text(min_size=1, max_size=64),
)
def test_a_cursor_reads_back_as_it_was_made(pk: int, key: str, owner: str) -> None:
    token = CODEC.encode(BOOK, owner, pk, key)
    assert CODEC.decode(token, BOOK, owner, field="after", shape="is") == [pk, key]
    assert token.isascii()
    assert len(token) <= 1200


def test_a_cursor_is_bound_to_its_kind_owner_and_key() -> None:
    token = CODEC.encode(SCROLL, "a_1", 7)
    assert CODEC.position(token, SCROLL, "a_1", field="f") == 7
    for kind, owner, codec in [
        (TAGS, "a_1", CODEC),
        (SCROLL, "a_2", CODEC),
        (SCROLL, "a_1", CursorCodec(lambda: "j" * 32)),
    ]:
        with pytest.raises(InvalidInput) as caught:
            codec.position(token, kind, owner, field="f")
        assert caught.value.field == "f"


def test_the_server_refuses_even_its_own_out_of_range_integers() -> None:
    for value in (2**63, -1, "\uff15", "1_0", ""):
        token = CODEC.encode(SCROLL, "a_1", value)
        with pytest.raises(InvalidInput):
            CODEC.position(token, SCROLL, "a_1", field="f")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("", None),
        ("\uff11", None),  # full-width 1
        ("\u0967", None),  # Devanagari 1
        ("1_000", None),
        ("+1", None),
        ("-1", None),
        (" 1", None),
        ("1 ", None),
        ("00000000000000000001", None),
    ],
)
def test_numbers_are_ascii_digits_within_64_bits(text: str, value: int | None) -> None:
    assert parse_int64(text) == value
