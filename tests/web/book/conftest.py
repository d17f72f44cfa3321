from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from rolodex.services import Services
from tests.web.browser import Browser, csrf_of, new_browser

_ID = re.compile(r"/book/contacts/(c_[A-Za-z0-9_-]+)")


@dataclass
class Reader:
    """A logged-in person using the address book pages."""

    browser: Browser

    def account_id(self, services: Services) -> str:
        return services.accounts.find_by_email(self.browser.email).account_id

    def get(self, url: str) -> httpx2.Response:
        return self.browser.get(url)

    def post(self, page_url: str, action: str, data: dict[str, Any], **kw: Any) -> httpx2.Response:
        page = self.browser.http.get(page_url)
        assert page.status_code == 200, page.text
        return self.browser.http.post(
            action, data={"csrf_token": csrf_of(page.text), **data}, follow_redirects=False, **kw
        )

    def create(self, fields: dict[str, str], team: str = "") -> str:
        suffix = f"?team={team}" if team else ""
        response = self.post("/book/contacts/new" + suffix, "/book/contacts/new" + suffix, fields)
        assert response.status_code == 303, response.text
        match = _ID.search(response.headers["location"])
        assert match
        return match.group(1)


@pytest.fixture
def reader(client: TestClient) -> Reader:
    browser = new_browser(client)
    browser.sign_up()
    return Reader(browser)


def contact_id_in(location: str) -> str:
    match = _ID.search(location)
    assert match, location
    return match.group(1)
