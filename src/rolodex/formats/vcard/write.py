"""`Property`s -> vCard text: content lines folded at 75 octets, CRLF line ends.

RFC 6350 §3.2 / RFC 2426 §2.6: lines SHOULD be no longer than 75 octets, a longer one is
folded by a CRLF and one space, never inside a UTF-8 sequence. Values arrive already in
their written (escaped) form; parameter values are quoted and caret-encoded here.
"""

from __future__ import annotations

from rolodex.formats.card import Card
from rolodex.formats.vcard.from_contact import card_properties
from rolodex.formats.vcard.read import Property
from rolodex.formats.vcard.values import encode_param

_FOLD = 75


def content_line(prop: Property) -> str:
    parts = [f"{prop.group}.{prop.name}" if prop.group else prop.name]
    for key, values in prop.params.items():
        if values:
            parts.append(f"{key}={','.join(encode_param(v) for v in values)}")
        else:
            parts.append(key)
    return ";".join(parts) + ":" + prop.value


def fold(line: str) -> str:
    """One content line as written: folded, each physical line ending in CRLF."""
    if len(line) <= _FOLD and (line.isascii() or len(line.encode()) <= _FOLD):
        return line + "\r\n"
    if line.isascii():
        chunks = [line[:_FOLD]]
        chunks += [line[i : i + _FOLD - 1] for i in range(_FOLD, len(line), _FOLD - 1)]
        return "\r\n ".join(chunks) + "\r\n"
    chunks = []
    start = 0
    size = 0
    room = _FOLD
    for index, char in enumerate(line):
        width = len(char.encode())
        if size + width > room:
            chunks.append(line[start:index])
            start, size, room = index, 0, _FOLD - 1
        size += width
    chunks.append(line[start:])
    return "\r\n ".join(chunks) + "\r\n"


def write_card(card: Card, version: str = "4.0", *, photos: bool = True) -> str:
    """One card as vCard text (`BEGIN:VCARD` to `END:VCARD`, CRLF line ends)."""
    lines = ["BEGIN:VCARD\r\n"]
    lines.extend(fold(content_line(p)) for p in card_properties(card, version, photos=photos))
    lines.append("END:VCARD\r\n")
    return "".join(lines)
