"""A running CardDAV server per test: Rolodex by default, on each store; Radicale with
--carddav-server=radicale (or ROLODEX_TEST_CARDDAV_SERVER=radicale)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.carddav_clients.servers import CardDAVServer, radicale_server, rolodex_server
from tests.conftest import make_settings


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Rolodex's tests run on SQLite and PostgreSQL; Radicale has its folder only."""
    if "server" in metafunc.fixturenames:
        rolodex = metafunc.config.getoption("--carddav-server") == "rolodex"
        metafunc.parametrize("carddav_store", ["sqlite", "postgres"] if rolodex else ["files"])


@pytest.fixture
def server(
    request: pytest.FixtureRequest, carddav_store: str, tmp_path: Path
) -> Iterator[CardDAVServer]:
    if carddav_store == "files":
        with radicale_server(tmp_path) as radicale:
            yield radicale
        return
    with rolodex_server(make_settings(carddav_store, tmp_path, request)) as rolodex:
        yield rolodex
