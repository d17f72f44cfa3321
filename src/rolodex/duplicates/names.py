"""Names compared the way people write them: accents folded, short forms, initials, the
given and family name swapped, and typos (rapidfuzz's Jaro-Winkler)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from rapidfuzz.distance import OSA, JaroWinkler

from rolodex.duplicates.nicknames import same_given

# Letters NFKD does not take apart.
_LETTERS = str.maketrans(
    {"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "đ": "d", "\u0131": "i", "þ": "th", "œ": "oe"}
)
_NOT_NAME = re.compile(r"[\W\d_]+")
_SPACES = re.compile(r" +")
# What one typo makes of a name's likeness.
TYPO = 0.92


@cache
def fold(text: str) -> str:
    """Lower case, accents and punctuation gone: "Núñez-Pérez" -> "nunez perez"; other scripts stay."""
    lowered = text.casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NOT_NAME.sub(" ", plain)).strip()


def given_similarity(a: str, b: str) -> float:
    """1 for one name (or a short form), 0.9 for an initial that fits, else Jaro-Winkler."""
    if not a or not b:
        return 0.5
    if same_given(a, b):
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return 0.9 if a[0] == b[0] else 0.0
    if (" " in a or " " in b) and (a.split()[0] == b.split()[0]):
        return 0.95  # "maria" and "maria jose"
    return _typed(a, b)


def _typed(a: str, b: str) -> float:
    """Jaro-Winkler, but one slip (a letter dropped, added, changed or two swapped) in a
    name of four letters or more counts as a typo, however short the name."""
    similarity = float(JaroWinkler.normalized_similarity(a, b))
    if similarity < TYPO and min(len(a), len(b)) >= 4 and OSA.distance(a, b, score_cutoff=1) <= 1:
        return TYPO
    return similarity


def family_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.5
    if a == b:
        return 1.0
    if a.replace(" ", "") == b.replace(" ", ""):
        return 1.0
    return _typed(a, b)


def name_similarity(first: tuple[str, str], second: tuple[str, str]) -> tuple[float, bool]:
    """How alike two (given, family) folded names are, in [0, 1], and whether swapped.

    The lower of the given and the family name's likeness, so that two people who share
    only a family name (a household) stay apart; the swapped reading counts too.
    """
    straight = min(given_similarity(first[0], second[0]), family_similarity(first[1], second[1]))
    if straight >= 0.97 or not (first[0] and first[1] and second[0] and second[1]):
        return straight, False
    swapped = min(given_similarity(first[0], second[1]), family_similarity(first[1], second[0]))
    if swapped > straight + 0.02:
        return swapped - 0.02, True
    return straight, False
