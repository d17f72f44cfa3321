"""vdirsyncer's own CardDAV storage tests (tests/storage/dav/test_carddav.py of its sdist),
run against a live server: what a real sync client expects of discovery, MKCOL, PUT with
If-None-Match/If-Match, GET, DELETE, PROPFIND listings, multiget and PROPPATCH metadata.

Its suite is a package named `tests` too, so it runs in a pytest of its own, in the
unpacked sdist, with our server mixin (vdirsyncer_mixin.py) in place of its containers.
Every test it skips is listed below with the reason; any other skip, and any failure,
fails this test. docs/carddav-testing.md says the same for people.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.carddav_clients.servers import CardDAVServer
from tests.carddav_clients.sources import suite_dir

MIXIN = Path(__file__).with_name("vdirsyncer_mixin.py")
SUITE = "tests/storage/dav/test_carddav.py"

# vdirsyncer skips these itself, whatever the server.
SKIPPED_BY_VDIRSYNCER = {
    # Expects no displayname on a fresh collection, which no DAV server gives.
    "test_empty_metadata": "Skipped",
    # An iCalendar test; the CardDAV class only stores VCARD items.
    "test_recurring_events": "This storage instance doesn't support iCalendar.",
}
# vdirsyncer's own skips for Radicale (its `dav_server == "radicale"` checks).
SKIPPED_FOR_RADICALE = {
    "test_create_collection": "Radicale does not support collection creation",
    "test_dav_broken_item": "Radicale is very tolerant.",
    "test_dav_unicode_href": "Radicale is unable to deal with unicode hrefs",
}
# Tests we do not run, per server, and why.
DESELECTED = {
    # Radicale 3.9 answers 400 to a PUT whose href holds an encoded newline (%0A); the
    # test is about vdirsyncer's href escaping, which Rolodex must take.
    "radicale": ["test_newline_in_uid"],
    "rolodex": [],
}


def expected_skips(server: str) -> dict[str, str]:
    if server == "radicale":
        return {**SKIPPED_BY_VDIRSYNCER, **SKIPPED_FOR_RADICALE}
    return dict(SKIPPED_BY_VDIRSYNCER)


def install_mixin(suite: Path) -> None:
    """Our mixin as `servers/rolodex` and instead of vdirsyncer's container `servers/radicale`
    (keeping the name keeps vdirsyncer's own Radicale skips)."""
    for name in ("rolodex", "radicale"):
        folder = suite / "tests" / "storage" / "servers" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(MIXIN.read_text())


def outcomes(junit: Path) -> tuple[dict[str, str], dict[str, str], int]:
    """Failures and skips by test function name (parameters dropped), and tests passed."""
    failed: dict[str, str] = {}
    skipped: dict[str, str] = {}
    passed = 0
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = re.sub(r"\[.*\]$", "", case.get("name", ""))
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        skip = case.find("skipped")
        if problem is not None:
            failed[name] = (problem.get("message") or "")[:300]
        elif skip is not None:
            skipped[name] = skip.get("message") or ""
        else:
            passed += 1
    return failed, skipped, passed


def test_vdirsyncer_storage_suite_passes(server: CardDAVServer, tmp_path: Path) -> None:
    suite = suite_dir()
    install_mixin(suite)
    junit = tmp_path / "vdirsyncer.xml"
    deselect = [f"--deselect={SUITE}::TestCardDAVStorage::{t}" for t in DESELECTED[server.name]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE")}
    env |= {
        "DAV_SERVER": server.name,
        "CARDDAV_TEST_URL": f"{server.base}/",
        "CARDDAV_TEST_USERNAME": server.username,
        "CARDDAV_TEST_PASSWORD": server.password,
        # vdirsyncer's conftest loads a 1,000-example Hypothesis profile under CI=true.
        "CI": "false",
    }
    options = ["-q", "-p", "no:cacheprovider", "-p", "no:logging", "--tb=short", "-o", "addopts="]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", SUITE, *options, *deselect, f"--junitxml={junit}"],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert junit.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    failed, skipped, passed = outcomes(junit)
    assert not failed, f"{failed}\n{done.stdout[-6000:]}"
    for name in DESELECTED[server.name]:
        assert name not in skipped
    assert {n: re.sub(r"^Skipped: ", "", m) for n, m in skipped.items()} == expected_skips(
        server.name
    )
    assert passed >= 25, done.stdout[-3000:]
    assert done.returncode == 0, done.stdout[-3000:]
