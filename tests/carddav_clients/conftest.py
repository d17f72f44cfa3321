"""A running CardDAV server per test: Rolodex by default, Radicale with --carddav-server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.carddav_clients.servers import CardDAVServer, carddav_server


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CardDAVServer]:
    with carddav_server(str(request.config.getoption("--carddav-server")), tmp_path) as running:
        yield running
