"""The export's writer (fast.py) gives byte for byte the text of `write_card`, for any card.

Random canonical contacts (the round-trip generator's, with any type text), tags, UIDs
and kept whole properties (whose groups the writer's own `itemN` groups must skip), and
every card of the sample files, as read (with their value details, which fast.py hands
to `write_card`), in both versions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolodex.formats.card import Card
from rolodex.formats.vcard import read_cards, write_card
from rolodex.formats.vcard.extras import value_key
from rolodex.formats.vcard.fast import FastWriter
from rolodex.formats.vcard.shown_as import derived
from tests.formats.vcard.test_round_trip import _text, _visible, card_strategy, contact_data

SAMPLES = Path(__file__).parent.parent / "samples"
_WRITERS = {version: FastWriter(version) for version in ("3.0", "4.0")}

_kept_property = st.fixed_dictionaries(
    {"name": st.sampled_from(["X-FOO", "GENDER", "TZ", "X-ABLabel"]), "value": _text},
    optional={
        "group": st.sampled_from(["item1", "ITEM2", "item3", "other", ""]),
        "params": st.dictionaries(
            st.sampled_from(["TYPE", "X-P", "VALUE"]), st.lists(_text, max_size=2), max_size=2
        ),
    },
)
_extras: st.SearchStrategy[dict[str, Any]] = st.one_of(
    st.just({}),
    st.fixed_dictionaries(
        {"vcard": st.fixed_dictionaries({"properties": st.lists(_kept_property, max_size=3)})}
    ),
    st.just({"google": {"x": 1}}),
)
# Any type text a contact may hold, and the words each field's writer knows.
_any_type = st.one_of(
    st.sampled_from(
        ["", "cell", "mobile", "iPhone", "workFax", "spouse", "anniversary", "nickname"]
    ),
    _visible,
)


def _retyped(data: dict[str, Any], types: list[str]) -> dict[str, Any]:
    """The contact with its list entries' types taken in turn from `types` (if any)."""
    if not types:
        return data
    out = dict(data)
    for field, entries in data.items():
        if isinstance(entries, list) and field != "organizations":
            out[field] = [
                {**entry, "type": types[i % len(types)]} for i, entry in enumerate(entries)
            ]
    return out


_cards = st.builds(
    lambda card, types, extras: Card(
        _retyped(card.contact_data, types), card.tags, card.uid, card.photos, extras
    ),
    card_strategy,
    st.lists(_any_type, max_size=4),
    _extras,
)


@settings(max_examples=400, deadline=None)
@given(_cards, st.sampled_from(["3.0", "4.0"]))
def test_the_fast_writer_writes_the_same_bytes_as_write_card(card: Card, version: str) -> None:
    assert _WRITERS[version].write(card) == write_card(card, version)
    assert _WRITERS[version].write(card, photos=False) == write_card(card, version, photos=False)


@settings(max_examples=200, deadline=None)
@given(contact_data, st.sampled_from(["3.0", "4.0"]))
def test_contacts_without_photos_take_the_fast_path(data: dict[str, Any], version: str) -> None:
    data = {k: v for k, v in data.items() if k != "photos"}
    fast = _WRITERS[version].text(data, "u-1", ["a"], {})
    if not data.get("displayName") and derived(data)[1] is not None:
        # An FN made from the organisation or email carries its mark: the full writer's.
        assert fast is None
        return
    assert fast is not None
    assert fast == write_card(Card(data, ["a"], "u-1"), version)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@pytest.mark.parametrize(
    "name",
    [
        "google-3.0.vcf",
        "apple-3.0.vcf",
        "nextcloud-4.0.vcf",
        "thunderbird-4.0.vcf",
        "android-2.1.vcf",
    ],
)
def test_every_sample_card_writes_the_same_bytes(name: str, version: str) -> None:
    with (SAMPLES / name).open(encoding="utf-8", newline="") as stream:
        cards = [card for card in read_cards(stream) if isinstance(card, Card)]
    assert cards
    for card in cards:
        assert _WRITERS[version].write(card) == write_card(card, version)


def _with_type_lists(card: Card, picks: list[tuple[int, list[str]]]) -> Card:
    """The card with kept TYPE lists (an import's commonest value detail) for some of its
    list entries, keyed to those entries as extras.py keys them."""
    entries = [
        (field, entry)
        for field, values in card.contact_data.items()
        if isinstance(values, list) and field not in ("organizations", "photos")
        for entry in values
    ]
    values = [
        {"field": field, "key": value_key(entry), "types": types}
        for index, types in picks
        if entries
        for field, entry in [entries[index % len(entries)]]
    ]
    kept = dict(card.extras.get("vcard") or {})
    if values:
        kept["values"] = values
    return Card(card.contact_data, card.tags, card.uid, card.photos, {**card.extras, "vcard": kept})


_type_lists = st.lists(
    st.tuples(
        st.integers(0, 20),
        st.lists(st.sampled_from(["mobile", "WORK", "x-odd", "pref"]), max_size=3),
    ),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(_cards, _type_lists, st.sampled_from(["3.0", "4.0"]))
def test_kept_type_lists_take_the_fast_path_with_the_same_bytes(
    card: Card, picks: list[tuple[int, list[str]]], version: str
) -> None:
    card = _with_type_lists(card, picks)
    assert _WRITERS[version].write(card) == write_card(card, version)
    data = card.contact_data
    if data.get("photos") or (not data.get("displayName") and derived(data)[1] is not None):
        return  # write_card's, whatever the details
    # Only TYPE lists kept: the fast writer writes the card itself.
    assert _WRITERS[version].text(data, card.uid, card.tags, card.extras) is not None
