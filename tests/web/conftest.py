from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from rolodex.services import Services
from tests.web.browser import Browser, OAuthApp, new_browser, new_oauth_app


@pytest.fixture
def browser(client: TestClient) -> Browser:
    return new_browser(client)


@pytest.fixture
def oauth_app(client: TestClient, services: Services) -> OAuthApp:
    return new_oauth_app(client, services)
