"""Clients for the REST and personal APIs, the way their existing clients call them.

Shared by tests/api/rest, tests/api/personal and tests/fidelity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.testclient import TestClient

from rolodex.oauth.credentials import API_KEY
from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from tests.conftest import ApiUser


@dataclass
class PersonalClient:
    """`/api/user/contacts` with `Authorization: Bearer`."""

    client: TestClient
    token: str

    def request(self, method: str, path: str = "", **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.request(method, f"/api/user/contacts{path}", headers=headers, **kwargs)

    def create(self, body: dict[str, Any]) -> str:
        response = self.request("POST", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def get(self, contact_id: str) -> dict[str, Any]:
        response = self.request("GET", f"/{contact_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def update(self, contact_id: str, body: dict[str, Any]) -> None:
        response = self.request("POST", f"/{contact_id}", json=body)
        assert response.status_code == 200, response.text


@dataclass
class RestClient:
    """`/v1/contacts` with `x-api-key`."""

    client: TestClient
    key: str

    def request(self, method: str, path: str = "", **kwargs: Any) -> Any:
        headers = {"x-api-key": self.key, **kwargs.pop("headers", {})}
        return self.client.request(method, f"/v1/contacts{path}", headers=headers, **kwargs)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        response = self.request("POST", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def get(self, contact_id: str) -> dict[str, Any]:
        response = self.request("GET", f"/{contact_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def put(self, contact_id: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.request("PUT", f"/{contact_id}", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())


def api_key(services: Services, account_id: str, scopes: frozenset[str] = ALL_SCOPES) -> str:
    return services.credentials.issue(account_id, scopes, kind=API_KEY).secret


def personal_for(user: ApiUser) -> PersonalClient:
    return PersonalClient(user.client, user.token)


def rest_for(user: ApiUser, services: Services) -> RestClient:
    return RestClient(user.client, api_key(services, user.account_id))
