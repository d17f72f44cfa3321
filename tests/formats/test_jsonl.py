"""JSON lines: the importer's three shapes, tags and uid, and writing back identically."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rolodex.formats.card import Card, CardProblem, Photo
from rolodex.formats.encodings import text_lines_from_bytes
from rolodex.formats.jsonl import line_of_card, read_jsonl, write_jsonl
from tests.formats.samples import read_sample, read_text


def test_sample_reads_each_shape_with_its_line() -> None:
    plain, once, contact, photo = read_sample("jsonl-contacts.jsonl")
    assert plain.line == 1
    assert plain.contact_data == {
        "name": {"givenName": "Plain", "familyName": "Data"},
        "emails": [{"type": "work", "value": "plain@example.org"}],
    }
    assert (once.line, once.tags, once.uid) == (
        3,
        ["Team A", "Team B"],
        "urn:uuid:0b5e7a8e-0000-4000-8000-000000000001",
    )
    assert once.contact_data == {"displayName": "Wrapped Once", "notes": "ünïcödé"}
    # `contactMetadata.tagIds` are another server's ids: not tags here.
    assert contact.line == 4
    assert contact.tags == []
    assert contact.contact_data["phoneNumbers"] == [{"type": "mobile", "value": "+1 555 0100"}]
    assert photo.photos == [Photo(b"\x89PNG\r\n\x1a\n", "image/png")]
    assert photo.extras == {"vcard": {"props": ["X-FOO:bar"]}}


def test_sample_written_back_reads_as_the_same_cards() -> None:
    cards = read_sample("jsonl-contacts.jsonl")
    text = "".join(write_jsonl(cards))
    again = read_text(read_jsonl, text)
    assert [
        (c.contact_data, c.tags, c.uid, c.photos, c.extras) for c in again if isinstance(c, Card)
    ] == [(c.contact_data, c.tags, c.uid, c.photos, c.extras) for c in cards]


def test_bad_lines_are_problems_with_their_line_and_the_rest_is_read() -> None:
    text = '{"displayName": "ok"}\nnot json\n[1]\n{"contactData": 3}\n{"contactData": {}, "tags": [1]}\n{"contactData": {}, "photos": [{"data": "!!"}]}\n{"displayName": "last"}\n'
    out = read_text(read_jsonl, text)
    problems = [o for o in out if isinstance(o, CardProblem)]
    assert [p.line for p in problems] == [2, 3, 4, 5, 6]
    assert problems[0].message.startswith("not valid JSON")
    assert problems[1].message == "not a JSON object"
    assert problems[2].message == "contactData: not a JSON object"
    assert problems[3].message == "tags: not a list of tag names"
    assert problems[4].message == "photos.0.data: not valid base64"
    assert [o.line for o in out if isinstance(o, Card)] == [1, 7]


def test_utf16_json_lines_read_like_utf8() -> None:
    raw = '{"displayName": "Zoë"}\r\n'.encode("utf-16")
    (card,) = read_jsonl(text_lines_from_bytes(raw))
    assert isinstance(card, Card)
    assert card.contact_data == {"displayName": "Zoë"}


_json_text = st.text(max_size=10)
_cards = st.builds(
    Card,
    contact_data=st.dictionaries(st.sampled_from(["displayName", "notes"]), _json_text, max_size=2),
    tags=st.lists(_json_text, max_size=3),
    uid=st.one_of(st.none(), _json_text),
    photos=st.lists(
        st.builds(Photo, st.binary(max_size=20), st.one_of(st.none(), _json_text)), max_size=2
    ),
    extras=st.dictionaries(_json_text, _json_text, max_size=2),
)


@settings(max_examples=100, deadline=None)
@given(_cards)
def test_any_card_written_reads_back_identically(card: Card) -> None:
    line = line_of_card(card)
    assert line.endswith("\n")
    assert line.count("\n") == 1
    (back,) = read_text(read_jsonl, line)
    assert isinstance(back, Card)
    assert (back.contact_data, back.tags, back.uid, back.photos, back.extras) == (
        card.contact_data,
        card.tags,
        card.uid,
        card.photos,
        card.extras,
    )
