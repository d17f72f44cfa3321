"""Whatever a file holds, reading it yields cards and problems, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vobject.base import parseLine

from rolodex.formats.card import Card, CardProblem
from rolodex.formats.vcard import read_cards, write_card
from rolodex.formats.vcard.read import split_line
from tests.formats.vcard.test_round_trip import expected_data

_names = st.sampled_from(
    [
        "N", "FN", "TEL", "EMAIL", "ADR", "ORG", "TITLE", "ROLE", "URL", "IMPP", "BDAY",
        "ANNIVERSARY", "X-ANNIVERSARY", "X-ABDATE", "NOTE", "RELATED", "X-ABRELATEDNAMES",
        "PHOTO", "CATEGORIES", "UID", "NICKNAME", "X-ABLabel", "X-ROLODEX-ITEM", "VERSION",
        "GENDER", "X-FOO", "item1.TEL", "item1.X-ABLabel", "item2.ORG", "item2.TITLE",
    ]
)  # fmt: skip
_params = st.lists(
    st.sampled_from(
        [
            ";TYPE=work", ";type=CELL,pref", ";PREF=1", ";PREF=99999999999999999999", ";PREF=x",
            ";ENCODING=QUOTED-PRINTABLE", ";CHARSET=nonsense", ";ENCODING=b", ";ENCODING=BASE64",
            ";VALUE=uri", ";VALUE=text", ";LABEL=\"a^nb\"", ";X-APPLE-OMIT-YEAR=1604", ";CELL",
            ";JPEG", ";QUOTED-PRINTABLE", ";X-A=\"", ";=", ";TYPE=",
        ]
    ),
    max_size=3,
).map("".join)  # fmt: skip
_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "", "=C3=A9=", "data:image/png;base64,!!", "data:;base64,aGk=", "tel:+1", "--0412",
            "19850412", "1604-05-06", "0000-00-00", "aGVsbG8=", "\\", ";;;;;;;;", "_$!<Mobile>!$_",
            "urn:uuid:x", "2.1", "4.0", "9.9", "group",
        ]
    ),
)  # fmt: skip
_line = st.one_of(
    st.tuples(_names, _params, _values).map(lambda t: f"{t[0]}{t[1]}:{t[2]}"),
    st.text(max_size=20),
    st.sampled_from(["BEGIN:VCARD", "END:VCARD", " folded", "\tfolded", "", "VERSION:2.1"]),
)
_file = st.lists(_line, max_size=30).map(
    lambda lines: "BEGIN:VCARD\r\n" + "\r\n".join(lines) + "\r\nEND:VCARD\r\n"
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_file, st.sampled_from(["\r\n", "\n"]))
def test_any_file_reads_as_cards_and_problems_and_cards_write_and_read_back(
    text: str, newline: str
) -> None:
    for item in read_cards(text.replace("\r\n", newline)):
        assert isinstance(item, Card | CardProblem)
        if isinstance(item, Card):
            for version in ("3.0", "4.0"):
                (again,) = read_cards(write_card(item, version))
                assert isinstance(again, Card), again
                # FN is always written: a card without one gains the derived one.
                data = item.contact_data
                assert again.contact_data == (
                    data if "displayName" in data else expected_data(data)
                )
                assert (again.tags, again.uid, again.photos) == (item.tags, item.uid, item.photos)


_line_chars = st.sampled_from([*'ABCtel-_.;:,="^ \\xé', "TYPE", "item1.", "X-", ";;"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(_line_chars, max_size=20).map("".join))
def test_the_quick_line_split_agrees_with_vobject(text: str) -> None:
    quick = split_line(text)
    if quick is None:
        return
    name, params, value, group = parseLine(text)
    assert quick == (name, params, value, group)
