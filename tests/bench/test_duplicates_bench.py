"""The duplicates benchmark runs end to end at a tiny size (its figures are never asserted:
they are measured by `python -m bench.duplicates`, recorded in docs/benchmarks.md)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.duplicate_books import book, relative, rewritten_phone
from bench.generate import contacts

from rolodex.duplicates.profile import phone_digits, phones_match


def test_the_books_are_seeded_and_hold_duplicates_and_households() -> None:
    first = list(book(600, seed=3))
    assert first == list(book(600, seed=3))
    assert first != list(book(600, seed=4))
    sizes = Counter(entity for entity, _ in first)
    assert 2 in sizes.values(), "people recorded twice"
    assert 3 in sizes.values(), "and three times"


def test_a_relative_shares_the_home_but_is_someone_else() -> None:
    rng = random.Random(2)
    original = next(c for c in contacts(50, seed=1) if "addresses" in c)
    other = relative(original, rng, 99)
    assert other["name"]["familyName"] == original["name"]["familyName"]
    assert other["addresses"] == original["addresses"]
    assert other["emails"] != original["emails"]


def test_a_rewritten_phone_is_the_same_number_in_another_format() -> None:
    rng = random.Random(1)
    for data in contacts(200, seed=5):
        for phone in data["phoneNumbers"]:
            other = rewritten_phone(phone["value"], rng)
            assert phones_match(phone_digits(phone["value"]), phone_digits(other)), (phone, other)


def test_the_bench_reports_quality_and_speed_at_a_tiny_size(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.duplicates", "--count", "400", "--checks", "20"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    assert results["count"] >= 400
    assert results["quality"]["pairs_true"] > 0
    for figure in ("precision", "recall", "f1"):
        assert 0.0 <= results["quality"][figure] <= 1.0
    assert {"seconds", "peak_rss_mb", "groups"} <= results["scan"].keys()
    assert {"p50_ms", "p99_ms"} <= results["check"].keys()
