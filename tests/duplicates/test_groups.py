"""Groups: every member matches every other, so weak links never chain people together."""

from __future__ import annotations

from rolodex.duplicates.groups import group
from rolodex.duplicates.scoring import Match


def test_a_chain_of_weak_links_is_not_joined() -> None:
    # 1 ~ 2 and 2 ~ 3, but 1 and 3 never matched: two groups at most, not one of three.
    matches = {(1, 2): Match(0.97, ("a",)), (2, 3): Match(0.95, ("b",))}
    found = group(matches, 0.9)
    assert [g.members for g in found] == [(1, 2)]


def test_a_clique_is_one_group_scored_by_its_weakest_pair() -> None:
    matches = {
        (1, 2): Match(0.99, ("same email a@x.example",)),
        (1, 3): Match(0.95, ("same mobile +1 415 555 0100",)),
        (2, 3): Match(0.93, ("same email a@x.example",)),
    }
    [only] = group(matches, 0.9)
    assert only.members == (1, 2, 3)
    assert only.score == 0.93
    assert only.reasons == ("same email a@x.example", "same mobile +1 415 555 0100")


def test_two_records_that_agree_join_through_a_third() -> None:
    # A phone's record (1) and a mail account's (3), each linked to a fuller one (2).
    matches = {(1, 2): Match(0.97, ("a",)), (2, 3): Match(0.95, ("b",))}
    [only] = group(matches, 0.9, agree=lambda a, b: True)
    assert only.members == (1, 2, 3)
    assert only.score == 0.95


def test_pairs_below_the_threshold_make_no_group() -> None:
    assert group({(1, 2): Match(0.5, ())}, 0.9) == []
