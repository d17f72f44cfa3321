"""vCard 4.0, 3.0 and 2.1 in; 4.0 and 3.0 out: the one place vCard meets the contact.

Import, export and CardDAV all use this package (DESIGN.md, "Address books, vCard and
CardDAV"):
- `read_cards(text)`: a vCard file (a str, a text stream, or its lines) -> `Card`s, and a
  `CardProblem` for each card that cannot be read, without stopping at it.
- `write_card(card, "4.0" | "3.0")`: one `Card` -> its vCard text.
- `reconcile(extras, contact_data)`: the kept extras after a write through another API.
- `merged_extras(...)`: the kept extras of a merged contact (merge_extras.py).
- `group_of(card)` / `group_card(...)`: Apple and 4.0 group cards <-> tags (groups.py).

Where this goes beyond vobject (whose content-line grammar splits each line, read.py):
streaming and limits (lines.py), vCard 2.1 bare parameters and quoted-printable with
`CHARSET` (read.py), RFC 6868 parameter encoding and 4.0 dates and data URIs
(values.py), and the writer, which folds at 75 octets and writes 4.0 (vobject writes
3.0 only).
"""

from __future__ import annotations

from collections.abc import Iterator

from rolodex.formats.card import Card, CardProblem
from rolodex.formats.vcard.extras import EXTRAS_KEY, reconcile
from rolodex.formats.vcard.groups import Group, group_card, group_of
from rolodex.formats.vcard.lines import (
    MAX_CARD_CHARS,
    MAX_LINE_CHARS,
    MAX_PROPERTIES,
    Limits,
    RawCard,
    Source,
    raw_cards,
)
from rolodex.formats.vcard.merge_extras import merged_extras
from rolodex.formats.vcard.read import Property, PropertyError, parse_property
from rolodex.formats.vcard.to_contact import card_from_lines
from rolodex.formats.vcard.write import write_card

__all__ = [
    "EXTRAS_KEY",
    "MAX_CARD_CHARS",
    "MAX_LINE_CHARS",
    "MAX_PROPERTIES",
    "Group",
    "Limits",
    "Property",
    "Source",
    "group_card",
    "group_of",
    "merged_extras",
    "properties_of",
    "read_cards",
    "reconcile",
    "write_card",
]


def read_cards(source: Source, limits: Limits | None = None) -> Iterator[Card | CardProblem]:
    """Every card of a vCard file, in order; `Card.line` is where each starts (1-based).

    `source` is the decoded text: a str, a text stream, or an iterable of its lines (as
    `encodings.text_lines` yields them, the same contract as the CSV readers).
    """
    for item in raw_cards(source, limits or Limits()):
        yield card_from_lines(item) if isinstance(item, RawCard) else item


def properties_of(text: str) -> list[Property]:
    """The properties of the first card of `text`, as written (CardDAV's query filters
    compare them); lines that are no property are left out."""
    for item in raw_cards(text, Limits()):
        if isinstance(item, RawCard):
            found = []
            for number, line in item.lines:
                try:
                    found.append(parse_property(line, number))
                except PropertyError:
                    continue
            return found
        return []
    return []
