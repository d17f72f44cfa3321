"""Groups of duplicates that a chain of weak links cannot make.

Pairs that scored at least the threshold ("links") are taken strongest first; two
groups join only when every member of one, with every member of the other, either is
linked or at least agrees (`agree`: nothing speaks against it being one person, such
as a record from a phone and one from a mail account of the same name, each linked
to a third, fuller record). A pair that disagrees (another given name, another
birthday) keeps the groups apart, so Ann ~ Anne (same phone) and Anne ~ Annie (same
email) never make Ann and Annie one group when Ann and Annie are two people. A group's
score is its weakest link's; its reasons are its links' reasons, strongest first, each
said once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rolodex.duplicates.scoring import Match

Pair = tuple[int, int]  # (smaller key, larger key)
Agree = Callable[[int, int], bool]


@dataclass(frozen=True, slots=True)
class Group:
    """Members by their keys (contact pk), ascending; the weakest link's score; reasons."""

    members: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def _never(a: int, b: int) -> bool:
    return False


def group(matches: Mapping[Pair, Match], threshold: float, agree: Agree = _never) -> list[Group]:
    """The groups the links at or above `threshold` make (see the module docstring)."""
    links = {pair: m for pair, m in matches.items() if m.score >= threshold}
    home: dict[int, list[int]] = {}
    for _, (a, b) in sorted(((m.score, pair) for pair, m in links.items()), reverse=True):
        left, right = home.setdefault(a, [a]), home.setdefault(b, [b])
        if left is right:
            continue
        if all(_pair(x, y) in links or agree(x, y) for x in left for y in right):
            left.extend(right)
            for member in right:
                home[member] = left
    found: list[Group] = []
    seen: set[int] = set()
    for members in home.values():
        if id(members) in seen or len(members) < 2:
            continue
        seen.add(id(members))
        found.append(_described(sorted(members), links))
    return found


def _described(members: list[int], links: Mapping[Pair, Match]) -> Group:
    inside = sorted(
        (links[(a, b)] for i, a in enumerate(members) for b in members[i + 1 :] if (a, b) in links),
        key=lambda m: -m.score,
    )
    reasons = dict.fromkeys(r for m in inside for r in m.reasons)
    return Group(tuple(members), min(m.score for m in inside), tuple(reasons))
