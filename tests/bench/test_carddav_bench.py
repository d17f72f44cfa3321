"""The CardDAV benchmark (bench/carddav.py) runs end to end at a tiny size against Radicale;
its figures are never asserted here, only that every request was answered in full.
Rolodex joins this run once its CardDAV server exists (issue 23)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import vobject
from bench.carddav_requests import cards

FIGURES = ("propfind", "multiget", "initial_sync", "put", "incremental_sync", "query")


def test_the_cards_are_vcards_a_parser_reads_back() -> None:
    for uid, card, data in cards(50, seed=3):
        parsed = vobject.readOne(card)
        assert parsed.uid.value == uid
        assert parsed.fn.value == data["displayName"]
        assert [e.value for e in parsed.contents["email"]] == [e["value"] for e in data["emails"]]
        if "notes" in data:
            assert parsed.note.value == data["notes"]


def test_the_carddav_bench_runs_against_radicale(tmp_path: Path) -> None:
    out = tmp_path / "carddav.json"
    tiny = ["--size", "60", "--repeat", "1", "--puts", "2", "--rounds", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "bench.carddav", "--only", "radicale", *tiny, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    radicale = results["radicale"]
    assert radicale["cards"] == 60, "the PROPFIND listed the whole book filled on disk"
    assert radicale["query_matches"] >= 1, f"some card's FN holds {results['surname']}"
    for figure in FIGURES:
        assert radicale[figure] > 0, figure
    assert radicale["rss_mb_peak"] >= radicale["rss_mb_at_rest"] > 0
    assert "| PUT a new card into the full book |" in done.stdout
    assert "rolodex" not in results
