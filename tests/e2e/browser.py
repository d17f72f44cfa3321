"""What the browser tests share: Debian's chromium, its flags, and where screenshots go.

Playwright drives /usr/bin/chromium (installed by `.ci/system-deps`); Playwright's own
browser download is never used. The flags keep Chromium off this machine's closed network.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Debian's chromium is not installed at {CHROMIUM} (.ci/system-deps installs it)",
)
