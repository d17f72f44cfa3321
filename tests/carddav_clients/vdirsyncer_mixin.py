"""The server mixin vdirsyncer's storage tests run with, for a server that is already running.

vdirsyncer's own mixins (tests/storage/servers/<name>/ in its sdist) start a container on a
fixed port. This one is copied into that folder, as `servers/rolodex` and in place of
`servers/radicale`, by tests/carddav_clients/test_vdirsyncer_suite.py, and reads where the
server is from the environment that test sets. Like vdirsyncer's Radicale and Xandikos
mixins, it gives every test fresh address books: `slow_create_collection` (vdirsyncer's
fixture) makes each one with an extended MKCOL under the account's home set, found by
discovery, and deletes them after the test.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

CreateCollection = Callable[[type, dict[str, Any], str], Awaitable[dict[str, Any]]]


class ServerMixin:
    storage_class: type

    @pytest.fixture
    def get_storage_args(
        self, slow_create_collection: CreateCollection, aio_connector: Any
    ) -> Callable[..., Awaitable[dict[str, Any]]]:
        async def inner(collection: str | None = "test") -> dict[str, Any]:
            args: dict[str, Any] = {
                "url": os.environ["CARDDAV_TEST_URL"],
                "username": os.environ["CARDDAV_TEST_USERNAME"],
                "password": os.environ["CARDDAV_TEST_PASSWORD"],
                "connector": aio_connector,
            }
            if collection is not None:
                args = await slow_create_collection(self.storage_class, args, collection)
            return args

        return inner
