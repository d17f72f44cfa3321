"""JSON lines <-> `Card`s: Rolodex's own bulk format, one contact per line.

Reading takes the three shapes the importer has always taken (`contacts/importer.py`,
`contact_data_of`): a line that is `contactData` itself, `{"contactData": {...}}`, or
`{"contact": {...}}` around either. The wrapped shapes may also carry `tags` (tag
*names*: a tag id means nothing on another server or to another owner, so
`contactMetadata.tagIds` is ignored), `uid`, `photos` and `extras`, which is what
`write_jsonl` writes, so a file this module wrote reads back as the same `Card`s.
`contactData` is not validated here: the importer does that, as for every format.
Blank lines are skipped; line numbers count every physical line.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from rolodex.formats.card import Card, CardProblem, Photo
from rolodex.formats.encodings import EncodingProblem

# The longest line read (docs/import-export.md): a contact with a photo at the photo
# store's 10 MiB limit, in base64, fits; pass it to `encodings.text_lines`.
MAX_LINE_CHARS = 16 * 1024 * 1024


def read_jsonl(lines: Iterable[str]) -> Iterator[Card | CardProblem]:
    """One `Card` per non-blank line, or a `CardProblem` naming the line and what is wrong."""
    number = 0
    iterator = iter(lines)
    while True:
        try:
            line = next(iterator)
        except StopIteration:
            return
        except EncodingProblem as exc:
            yield CardProblem(exc.line, f"{exc.message}; the rest of the file is not read")
            return
        number += 1
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            yield CardProblem(number, f"the line is over {MAX_LINE_CHARS:,} characters")
            continue
        yield card_of_line(line, number)


def card_of_line(line: str, number: int) -> Card | CardProblem:
    """One line as a `Card`: the importer's three shapes, plus tags, uid, photos and extras."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return CardProblem(number, f"not valid JSON ({exc})")
    if not isinstance(value, dict):
        return CardProblem(number, "not a JSON object")
    if isinstance(value.get("contact"), dict):
        value = value["contact"]
    if "contactData" not in value:
        return Card(contact_data=value, line=number)
    return _card_of_export(value, number)


def _card_of_export(value: dict[str, Any], number: int) -> Card | CardProblem:
    """The export's shape: `contactData`, with tags, uid, photos and extras beside it."""
    data = value["contactData"]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return CardProblem(number, "contactData: not a JSON object")
    tags = value.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        return CardProblem(number, "tags: not a list of tag names")
    uid = value.get("uid")
    if uid is not None and not isinstance(uid, str):
        return CardProblem(number, "uid: not a string")
    extras = value.get("extras", {})
    if not isinstance(extras, dict):
        return CardProblem(number, "extras: not a JSON object")
    photos = _photos(value.get("photos", []))
    if isinstance(photos, str):
        return CardProblem(number, photos)
    return Card(contact_data=data, tags=tags, uid=uid, photos=photos, extras=extras, line=number)


def _photos(value: object) -> list[Photo] | str:
    if not isinstance(value, list):
        return "photos: not a list"
    photos = []
    for index, entry in enumerate(value):
        if not isinstance(entry, dict) or not isinstance(entry.get("data"), str):
            return f"photos.{index}: needs `data`, the photo in base64"
        content_type = entry.get("contentType")
        if content_type is not None and not isinstance(content_type, str):
            return f"photos.{index}.contentType: not a string"
        try:
            data = base64.b64decode(entry["data"], validate=True)
        except (binascii.Error, ValueError):
            return f"photos.{index}.data: not valid base64"
        photos.append(Photo(data, content_type))
    return photos


def line_of_card(card: Card) -> str:
    """A card as one JSON line (`\\n`-ended); empty tags, uid, photos and extras are left out."""
    out: dict[str, Any] = {"contactData": card.contact_data}
    if card.tags:
        out["tags"] = card.tags
    if card.uid is not None:
        out["uid"] = card.uid
    if card.photos:
        out["photos"] = [
            {"contentType": photo.content_type, "data": base64.b64encode(photo.data).decode()}
            if photo.content_type is not None
            else {"data": base64.b64encode(photo.data).decode()}
            for photo in card.photos
        ]
    if card.extras:
        out["extras"] = card.extras
    return orjson.dumps(out).decode() + "\n"


def write_jsonl(cards: Iterable[Card]) -> Iterator[str]:
    """The JSON lines text of `cards`, one line at a time."""
    for card in cards:
        yield line_of_card(card)
