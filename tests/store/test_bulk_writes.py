"""Bulk writes (an import's batches): the same transactions, with a wider page cache on SQLite."""

from __future__ import annotations

import pytest

from rolodex.services import Services
from rolodex.store.engine import BULK_CACHE_KIB


def cache_kib(services: Services, *, bulk: bool) -> int:
    with services.store.write(bulk=bulk) as conn:
        return -int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_a_bulk_write_on_sqlite_widens_its_connections_page_cache(services: Services) -> None:
    if not services.store.is_sqlite:
        pytest.skip("PostgreSQL's cache is the server's: nothing to set per connection")
    assert cache_kib(services, bulk=True) == BULK_CACHE_KIB
