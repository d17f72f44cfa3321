"""The scan streams its links and groups through a scratch file: the same groups as
grouping every link in memory at once (groups.group), in the same order, on both stores."""

from __future__ import annotations

import json
from itertools import islice, pairwise
from typing import Any

from bench.duplicate_books import book
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rolodex.cli import app
from rolodex.duplicates import profile as profiles
from rolodex.duplicates.groups import Pair, group
from rolodex.duplicates.scoring import DEFAULT_MIN_SCORE, Match, may_match, score
from rolodex.duplicates.service import AGREE, DuplicateService, Suggestion
from rolodex.duplicates.spill import Spill
from rolodex.ids import new_id
from rolodex.services import Services

NAMES = [("Ann", "Lee"), ("Anne", "Lee"), ("Annie", "Lee"), ("Bob", "Smith"), ("Robert", "Smith")]


def stored(given_name: str, family: str) -> str:
    made = profiles.build({"name": {"givenName": given_name, "familyName": family}})
    return profiles.encode(made)


def in_memory(
    matches: dict[Pair, Match], ids: dict[int, str], texts: dict[int, str], threshold: float
) -> list[Suggestion]:
    """How the scan grouped before it streamed: every link at once (the reference)."""

    def agree(a: int, b: int) -> bool:
        first, second = profiles.decode(texts[a]), profiles.decode(texts[b])
        return score(first, second, explain=False).score >= AGREE

    made = [
        Suggestion(tuple(sorted(ids[m] for m in g.members)), g.score, g.reasons)
        for g in group(matches, threshold, agree)
    ]
    return sorted(made, key=lambda s: (-s.score, s.contact_ids))


links_strategy = st.dictionaries(
    st.tuples(st.integers(1, 40), st.integers(1, 40))
    .filter(lambda p: p[0] != p[1])
    .map(lambda p: (min(p), max(p))),
    st.tuples(st.sampled_from([0.86, 0.9, 0.95, 0.99, 0.6]), st.sampled_from(["a", "b", "c"])),
    max_size=80,
)


@settings(max_examples=80, deadline=None)
@given(
    links=links_strategy,
    names=st.lists(st.sampled_from(NAMES), min_size=41, max_size=41),
    memory_links=st.sampled_from([0, 10, 1000]),
)
def test_a_spill_groups_exactly_as_all_links_at_once(
    links: dict[Pair, tuple[float, str]], names: list[tuple[str, str]], memory_links: int
) -> None:
    # Any graph of links: chains, cliques, long paths through many components.
    ids = {pk: f"c_{pk:03d}" for pk in range(1, 41)}
    texts = {pk: stored(*names[pk]) for pk in range(1, 41)}
    matches = {
        pair: Match(value, (reason, f"r{pair[0]}")) for pair, (value, reason) in links.items()
    }
    with Spill(AGREE, memory_links=memory_links) as spill:
        for pair, match in matches.items():
            assert not spill.known(*pair)
            spill.add(pair, match, tuple((pk, ids[pk], texts[pk]) for pk in pair))
            assert spill.known(*pair)
        assert spill.spilled == (len(matches) > memory_links)
        spill.make_groups(0.85)
        streamed = [Suggestion(*row) for row in spill.read()]
        assert spill.groups == len(streamed)
        assert [Suggestion(*row) for row in spill.read(1, 2)] == streamed[1:3]
    assert streamed == in_memory(matches, ids, texts, 0.85)


def test_a_long_chain_of_agreeing_records_is_one_group() -> None:
    # 100 records of one name, each linked to the next only: many rounds to find the
    # component, whose first member's key is the largest.
    pks = list(range(300, 100, -2))
    text = stored("Ann", "Lee")
    with Spill(AGREE, memory_links=0) as spill:
        for a, b in pairwise(pks):
            pair = (min(a, b), max(a, b))
            spill.add(pair, Match(0.9, ("same",)), ((a, f"c{a}", text), (b, f"c{b}", text)))
        spill.make_groups(0.85)
        [(members, value, reasons)] = list(spill.read())
    assert sorted(members) == sorted(f"c{pk}" for pk in pks)
    assert (value, reasons) == (0.9, ("same",))


def reference(services: Services, owner: str, threshold: float) -> list[Suggestion]:
    """Every link of the book held in memory, then grouped at once (the old scan)."""
    matches: dict[Pair, Match] = {}
    ids: dict[int, str] = {}
    texts: dict[int, str] = {}
    repo = services.duplicates.repo
    with services.store.read() as conn:
        for block in repo.blocks(conn, owner, services.duplicates.block_cap):
            for i, first in enumerate(block):
                for second in block[i + 1 :]:
                    pair = (min(first.pk, second.pk), max(first.pk, second.pk))
                    if pair in matches or not may_match(first.profile, second.profile, threshold):
                        continue
                    match = score(first.profile, second.profile)
                    if match.score >= threshold:
                        matches[pair] = match
                        for m in (first, second):
                            ids[m.pk], texts[m.pk] = m.contact_id, m.stored
    return in_memory(matches, ids, texts, threshold)


def test_a_generated_book_streams_the_groups_it_always_had(services: Services) -> None:
    email = f"stream-{new_id('x')}@example.com"
    owner = services.accounts.create(email, "a long password", "S").account_id
    datas: list[dict[str, Any]] = [data for _, data in islice(book(700, seed=5), 700)]
    for data in datas:
        services.contacts.create(owner, data)
    want = reference(services, owner, DEFAULT_MIN_SCORE)
    assert len(want) > 20, "the generated book holds duplicates"
    assert services.duplicates.suggestions(owner) == want
    # The same through the scratch file, as a book with more duplicates than fit.
    spilling = DuplicateService(services.store, services.contacts.cursors, memory_links=3)
    assert spilling.suggestions(owner) == want
    assert spilling.find(owner, size=5)[0] == want[:5]
    since = services.duplicates.high_water() - len(datas) // 2
    with (
        spilling.scan(owner, DEFAULT_MIN_SCORE) as spilled,
        services.duplicates.scan(owner, DEFAULT_MIN_SCORE) as kept,
    ):
        assert spilled.spilled
        assert not kept.spilled
        assert spilled.arrivals(since) == kept.arrivals(since)
    paged: list[Suggestion] = []
    cursor: str | None = None
    while True:
        page, cursor = services.duplicates.find(owner, size=7, cursor=cursor)
        paged.extend(page)
        if cursor is None:
            break
    assert paged == want
    assert services.duplicates.suggestions(owner, 0.5) == reference(services, owner, 0.5)
    settings_ = services.settings
    store = (
        ["--database-url", settings_.database_url]
        if settings_.database_url
        else ["--data-dir", str(settings_.data_dir)]
    )
    printed = CliRunner().invoke(app, ["duplicates", "--email", email, *store])
    assert printed.exit_code == 0, printed.output
    assert (
        printed.output == json.dumps({"duplicates": [s.as_json() for s in want]}, indent=2) + "\n"
    )
