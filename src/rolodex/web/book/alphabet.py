"""The address book's A-Z index: which letters to link, and where a letter starts.

Sort keys are case-folded and accent-free (`contacts.sort_names.sort_key`), so "Émile"
sits under E and a letter is the key prefix `a`...`z`. Names that start with a digit
or a symbol sort before `a`: "#" opens the book at its top, where they are. Names in
other scripts sort after `z` (reached from Z by scrolling on).
"""

from __future__ import annotations

from dataclasses import dataclass

from rolodex.errors import InvalidInput

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OTHERS = "#"
LETTER_PARAM = "letter"


@dataclass(frozen=True, slots=True)
class Jump:
    """One entry of the index: its label, and whether any name starts there."""

    label: str
    present: bool
    current: bool


def start_key(letter: str) -> str | None:
    """The sort key a letter's jump starts at ("" for "#": the top); None for no letter.

    Anything else is refused (a 400 page naming the parameter), never guessed at.
    """
    if not letter:
        return None
    if letter == OTHERS:
        return ""
    if len(letter) == 1 and letter.upper() in LETTERS:
        return letter.lower()
    raise InvalidInput(f"choose a letter A to Z or {OTHERS}", field=LETTER_PARAM)


def jumps(present_starts: set[str], current: str, total: int) -> list[Jump]:
    """The index: "#", then A to Z; a letter no live name starts with is not a link."""
    out = [Jump(OTHERS, total > 0, current == OTHERS)]
    out.extend(Jump(c, c.lower() in present_starts, current.upper() == c) for c in LETTERS)
    return out


def key_starts() -> list[str]:
    """The one-character key prefixes to ask the contact service about."""
    return [c.lower() for c in LETTERS]
