"""The fixed mix of search queries the benchmark sends: names, prefixes, phones in other
formats, field-qualified terms and boolean combinations, drawn from the generator's vocabulary."""

from __future__ import annotations

import random

from bench.generate import COMPANIES, FAMILY, GIVEN, PLACES, TITLES, ascii_fold, fill


def search_queries(count: int, seed: int) -> list[str]:
    rng = random.Random(seed * 31 + 1)
    given = [g for names in GIVEN.values() for g in names]
    family = [f for names in FAMILY.values() for f in names]
    makers = [
        lambda: rng.choice(family),
        lambda: ascii_fold(rng.choice(given)),  # accents dropped, as people type
        lambda: f"{rng.choice(given)} {rng.choice(family)[:3]}",  # prefix of the last word
        lambda: rng.choice(family)[:4],
        lambda: f"firstName:{rng.choice(given).split()[0]}",
        lambda: f"lastName:{rng.choice(family)}",
        lambda: f'company:"{rng.choice(COMPANIES)}"',
        lambda: f"title:{rng.choice(TITLES).split()[0]}",
        lambda: f"city:{rng.choice(PLACES)[1].split()[0]}",
        lambda: f"phone:{fill('####', rng)}",
        lambda: fill(rng.choice(rng.choice(PLACES)[4]), rng).replace(" ", ""),
        lambda: f"{rng.choice(given).split()[0]} OR {rng.choice(given).split()[0]}",
        lambda: f"firstName:{rng.choice(given).split()[0]} AND company:Contacts+",
        lambda: f"{rng.choice(family)} -{rng.choice(TITLES).split()[0]}",
    ]
    return [rng.choice(makers)() for _ in range(count)]
