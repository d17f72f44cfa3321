"""The benchmark suite runs end to end at a tiny scale (its figures are never asserted here:
speed is measured by `python -m bench.run`, recorded in docs/benchmarks.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.generate import contacts
from bench.queries import search_queries


def test_the_generator_is_seeded_and_realistic() -> None:
    first = list(contacts(200, seed=3))
    assert first == list(contacts(200, seed=3))
    assert first != list(contacts(200, seed=4))
    assert any(any(ord(ch) > 127 for ch in c["displayName"]) for c in first), "accented names"
    assert all(c["emails"] and c["phoneNumbers"] for c in first)
    assert any(p["value"].startswith("+") for c in first for p in c["phoneNumbers"])
    assert any(not p["value"].startswith("+") for c in first for p in c["phoneNumbers"])
    assert len(set(search_queries(1000, 7))) > 300


def test_the_runner_measures_every_figure_at_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "tiny.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--scale",
            "tiny",
            "--duration",
            "0.3",
            "--mixed-duration",
            "0.5",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    for figure in ("ceiling", "read", "write", "search", "scroll", "import", "memory", "mixed"):
        assert figure in results, figure
    assert results["scroll"]["contacts"] == 2000, "the walk visits every imported contact"
    assert results["read"]["non_2xx"] == 0
    assert results["write"]["non_2xx"] == 0
    assert results["search"]["non_2xx"] == 0
    assert results["mixed"]["errors"] == 0
    assert "| ceiling (GET /healthz)" in done.stdout
