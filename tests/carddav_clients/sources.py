"""vdirsyncer's own test suite, from its source distribution on PyPI, kept under `.cache/`.

The wheel carries no tests, so the sdist of the installed vdirsyncer is fetched once with
`pip download` by `scripts/fetch-carddav-clients` (which `scripts/test` runs before the
tests) and unpacked in `.cache/carddav/` (gitignored). The tests only look it up:

    python -m tests.carddav_clients.sources
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "carddav"


def vdirsyncer_version() -> str:
    """The installed vdirsyncer's: its tests must be the ones written for that code."""
    return version("vdirsyncer")


def suite_dir() -> Path:
    """The unpacked sdist, or an error saying how to fetch it."""
    unpacked = CACHE / f"vdirsyncer-{vdirsyncer_version()}"
    if not (unpacked / "tests" / "storage" / "dav" / "test_carddav.py").exists():
        raise FileNotFoundError(
            f"vdirsyncer's test suite is not in {unpacked}: "
            "run scripts/fetch-carddav-clients (scripts/test does)"
        )
    return unpacked


def fetch() -> Path:
    """Download and unpack the sdist; a no-op when it is already there."""
    try:
        return suite_dir()
    except FileNotFoundError:
        pass
    wanted = vdirsyncer_version()
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            str(CACHE),
            f"vdirsyncer=={wanted}",
        ],
        check=True,
    )
    with tarfile.open(CACHE / f"vdirsyncer-{wanted}.tar.gz") as sdist:
        sdist.extractall(CACHE, filter="data")
    return suite_dir()


if __name__ == "__main__":
    print(fetch())
