"""The benchmark suite runs end to end at a tiny scale (its figures are never asserted here:
speed is measured by `python -m bench.run`, recorded in docs/benchmarks.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench.generate import contacts
from bench.queries import search_queries
from bench.slowest import timings

from tests.server_process import running_server


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
        # The suite turns the access log off for the servers it starts; the runner
        # measures the defaults.
        env={k: v for k, v in os.environ.items() if k != "ROLODEX_ACCESS_LOG"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    figures = ("ceiling", "read", "write", "search", "scroll", "import", "memory", "mixed")
    for figure in (*figures, "access_log"):
        assert figure in results, figure
    assert results["scroll"]["contacts"] == 2000, "the walk visits every imported contact"
    assert results["read"]["non_2xx"] == 0
    assert results["write"]["non_2xx"] == 0
    assert results["search"]["non_2xx"] == 0
    assert results["mixed"]["errors"] == 0
    assert results["mixed"]["p99_ms"] is not None, "the mix sent open-loop below its peak"
    # The defaults: the access log on, written to a file, and its cost measured beside.
    assert results["access_log"]["on_in_main_run"]
    assert results["access_log"]["lines_written"] > results["scroll"]["contacts"] / 1000
    assert results["access_log"]["off_ceiling_rps"] > 0
    assert results["access_log"]["non_2xx"] == 0
    assert "| ceiling (GET /healthz)" in done.stdout
    assert "| access log off: contacts.get peak" in done.stdout
    assert "rate limits off: one load generator is one client address" in done.stdout


def test_the_slowest_queries_are_timed_one_by_one(tmp_path: Path) -> None:
    """`bench.slowest` times each query against a running server, and refuses to time
    answers that are not results (a wrong token would otherwise look fast)."""
    env = {"ROLODEX_DATA_DIR": str(tmp_path), "ROLODEX_WEBHOOK_WORKER": "false"}
    cli = [sys.executable, "-m", "rolodex.cli"]
    subprocess.run(
        [*cli, "accounts", "create", "--email", "t@example.com", "--password", "pw-123456"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    made = subprocess.run(
        [*cli, "tokens", "create", "--email", "t@example.com"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    )
    token = json.loads(made.stdout)["access_token"]
    with running_server(tmp_path, env) as base:
        port = int(base.rsplit(":", 1)[1])
        took = timings(port, token, ["john", "phone:0100", "a OR b"])
        assert len(took) == 3
        assert all(t > 0 for t in took)
        with pytest.raises(RuntimeError, match="401"):
            timings(port, "not-a-token", ["john"])


def test_the_transfer_bench_measures_every_format_and_both_imports(tmp_path: Path) -> None:
    """`bench.transfer` end to end at a tiny size (its figures: docs/benchmarks.md)."""
    out = tmp_path / "transfer.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.transfer",
            "--size",
            "300",
            "--import-size",
            "200",
            "--stores",
            "sqlite",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(out.read_text())["stores"]["sqlite"]
    for fmt in ("vcard", "vcard3", "google-csv", "outlook-csv", "jsonl"):
        assert found["cli_export"][fmt]["bytes"] > 300 * 50, fmt
        assert found["http_export"][fmt]["bytes"] == found["cli_export"][fmt]["bytes"], fmt
        assert found["http_export"][fmt]["server_peak_rss_mb"] > 0
    assert found["import"]["contacts"] == 200
    assert found["import"]["vcard"]["contacts_per_s"] > 0
    assert found["import"]["jsonl"]["contacts_per_s"] > 0
    assert "| sqlite | CLI export of 300 | vcard |" in done.stdout
