"""Groups of duplicates in which every member matches every other: no chains.

Pairs are taken strongest first; two groups join only when each member of one scored
at least the threshold with each member of the other (complete linkage). So Ann ~ Anne
(same phone) and Anne ~ Annie (same email) do not make Ann and Annie one group unless
Ann and Annie match too. A group's score is its weakest pair's; its reasons are its
pairs' reasons, strongest pair first, each said once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rolodex.duplicates.scoring import Match

Pair = tuple[int, int]  # (smaller key, larger key)


@dataclass(frozen=True, slots=True)
class Group:
    """Members by their keys (contact pk), ascending; the weakest pair's score; reasons."""

    members: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def group(matches: Mapping[Pair, Match], threshold: float) -> list[Group]:
    """The groups the matches at or above `threshold` make (see the module docstring)."""
    strong = sorted(
        ((m.score, pair) for pair, m in matches.items() if m.score >= threshold), reverse=True
    )
    home: dict[int, list[int]] = {}
    for _, (a, b) in strong:
        left, right = home.setdefault(a, [a]), home.setdefault(b, [b])
        if left is right:
            continue
        if all(
            (m := matches.get(_pair(x, y))) is not None and m.score >= threshold
            for x in left
            for y in right
        ):
            left.extend(right)
            for member in right:
                home[member] = left
    found: list[Group] = []
    seen: set[int] = set()
    for members in home.values():
        if id(members) in seen or len(members) < 2:
            continue
        seen.add(id(members))
        found.append(_described(sorted(members), matches))
    return found


def _described(members: list[int], matches: Mapping[Pair, Match]) -> Group:
    pairs = sorted(
        (matches[(a, b)] for i, a in enumerate(members) for b in members[i + 1 :]),
        key=lambda m: -m.score,
    )
    reasons = dict.fromkeys(r for m in pairs for r in m.reasons)
    return Group(tuple(members), min(m.score for m in pairs), tuple(reasons))
