"""The sample corpus (`tests/formats/samples/`): files in the shapes real exporters write."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import orjson

from rolodex.contacts.model import clean_contact_data
from rolodex.formats.card import Card, CardProblem
from rolodex.formats.detect import sniff
from rolodex.formats.encodings import text_lines_from_bytes
from rolodex.formats.google_csv import read_google_csv
from rolodex.formats.jsonl import read_jsonl
from rolodex.formats.outlook_csv import read_outlook_csv
from rolodex.formats.vcard import read_cards

SAMPLES = Path(__file__).parent / "samples"
_CARD = re.compile(r"BEGIN:VCARD.*?END:VCARD\r?\n", re.S | re.I)

Reader = Callable[[Iterable[str]], Iterator[Card | CardProblem]]
READERS: dict[str, Reader] = {
    "google-csv": read_google_csv,
    "outlook-csv": read_outlook_csv,
    "jsonl": read_jsonl,
}


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def read_sample(name: str) -> list[Card]:
    """Every card of a sample, detected as the importer will; each must be valid canonically,
    with extras that are plain JSON."""
    raw = sample_bytes(name)
    sniffed = sniff(raw)
    if sniffed.format == "vcard":
        with (SAMPLES / name).open(encoding="utf-8", newline="") as stream:
            cards = list(read_cards(stream))
    else:
        cards = list(READERS[sniffed.format](text_lines_from_bytes(raw)))
    assert all(isinstance(card, Card) for card in cards), cards
    for card in cards:
        assert isinstance(card, Card)
        assert clean_contact_data(card.contact_data) == card.contact_data
        assert orjson.loads(orjson.dumps(card.extras)) == card.extras
    return [card for card in cards if isinstance(card, Card)]


def card_texts(text: str) -> list[str]:
    """Each `BEGIN:VCARD` ... `END:VCARD` of a vCard file's text, as written."""
    return _CARD.findall(text)


def sample_card_texts(name: str) -> list[str]:
    return card_texts((SAMPLES / name).read_text(encoding="utf-8"))


def read_text(reader: Reader, text: str) -> list[Card | CardProblem]:
    return list(reader(text_lines_from_bytes(text.encode())))
