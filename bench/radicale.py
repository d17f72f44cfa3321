"""Radicale 3.9, the CardDAV server Rolodex is measured and tested against, in its own venv.

Radicale is not a dependency of Rolodex: it is installed once into `.cache/carddav/`
(gitignored) by `scripts/fetch-carddav-clients` (which `scripts/test` runs), and started
as a subprocess on a free loopback port with a fresh storage folder. Used by the CardDAV
benchmark (bench/carddav.py) and by the client harness (tests/carddav_clients/) to prove
itself against a server that already speaks CardDAV.

    python -m bench.radicale install
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

RADICALE_VERSION = "3.9.0"
CACHE = Path(__file__).resolve().parents[1] / ".cache" / "carddav"
VENV = CACHE / f"radicale-{RADICALE_VERSION}"
# Seconds: Radicale starts in well under one; a loaded machine gets a margin.
START_TIMEOUT = 30


def radicale_python() -> Path:
    """The venv's interpreter, or an error saying how to install it (nothing is fetched here)."""
    python = VENV / "bin" / "python"
    if not python.exists():
        raise FileNotFoundError(
            f"Radicale {RADICALE_VERSION} is not installed in {VENV}: "
            "run scripts/fetch-carddav-clients (scripts/test does)"
        )
    return python


def install() -> Path:
    """Make the venv and install Radicale into it; a no-op when it is already there."""
    python = VENV / "bin" / "python"
    if not python.exists():
        VENV.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"radicale=={RADICALE_VERSION}"],
            check=True,
        )
    return python


@dataclass(frozen=True)
class Radicale:
    """A running Radicale: its base URL, its process id (for RSS) and its storage folder."""

    base: str
    pid: int
    storage: Path

    def book_path(self, user: str, book: str) -> str:
        return f"/{user}/{book}/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_radicale(folder: Path) -> Iterator[Radicale]:
    """Start Radicale on `folder` (config and storage), any Basic user accepted, and stop it."""
    port = _free_port()
    storage = folder / "collections"
    storage.mkdir(parents=True, exist_ok=True)
    config = folder / "radicale.conf"
    # auth none: the username of HTTP Basic is the user, whatever the password; the default
    # rights (owner_only) still keep each user in /<user>/.
    config.write_text(
        "[server]\n"
        f"hosts = 127.0.0.1:{port}\n"
        "max_content_length = 100000000\n"
        "[auth]\ntype = none\n"
        f"[storage]\nfilesystem_folder = {storage}\n"
        "[web]\ntype = none\n"
        "[logging]\nlevel = warning\n"
    )
    with (folder / "radicale.log").open("ab") as log:
        process = subprocess.Popen(
            [str(radicale_python()), "-m", "radicale", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base, folder / "radicale.log")
        yield Radicale(base, process.pid, storage)
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_until_up(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            httpx.get(f"{base}/.well-known/carddav", timeout=1)
            return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Radicale did not start: {log.read_text()[-2000:]}")
        time.sleep(0.1)


def fill_book(storage: Path, user: str, book: str, cards: Iterable[tuple[str, bytes]]) -> int:
    """Write an address book straight into Radicale's storage folder: one `<name>.vcf` per card
    and the `.Radicale.props` that makes the folder an address book. Radicale's own PUT slows
    with the book's size (it rereads the book to check the UID), so a large book is made here
    and only the measured requests go over HTTP. Returns the number of cards written."""
    collection = storage / "collection-root" / user / book
    collection.mkdir(parents=True, exist_ok=True)
    (collection / ".Radicale.props").write_text(
        json.dumps({"tag": "VADDRESSBOOK", "D:displayname": book})
    )
    count = 0
    for name, card in cards:
        (collection / name).write_bytes(card)
        count += 1
    return count


def main() -> None:
    if sys.argv[1:] != ["install"]:
        raise SystemExit("usage: python -m bench.radicale install")
    print(install())


if __name__ == "__main__":
    main()
