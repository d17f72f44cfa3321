"""Bearer tokens and scopes: who may call what."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from rolodex.oauth.credentials import IssuedCredential
from rolodex.services import Services
from tests.conftest import ApiUser, MakeUser


def test_no_token_is_a_401_with_a_bearer_challenge(client: TestClient) -> None:
    response = client.post("/api/v1/account.get", json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer " + "x" * 1000]
)
def test_a_bad_token_is_a_401(client: TestClient, header: str) -> None:
    response = client.post("/api/v1/contacts.scroll", json={}, headers={"Authorization": header})
    assert response.status_code == 401


def test_a_revoked_token_stops_working(user: ApiUser, services: Services) -> None:
    assert user.call("account.get").status_code == 200
    principal = services.credentials.resolve(user.token, kinds=("access_token",))
    assert principal is not None
    assert services.credentials.revoke(user.account_id, principal.credential_id)
    assert user.call("account.get").status_code == 401


def test_an_expired_token_is_a_401(user: ApiUser, services: Services) -> None:
    from sqlalchemy import update

    from rolodex.oauth.credentials import hash_secret
    from rolodex.store.schema import credentials

    with services.store.write() as conn:
        conn.execute(
            update(credentials)
            .where(credentials.c.secret_hash == hash_secret(user.token))
            .values(expires_at=1)
        )
    assert user.call("account.get").status_code == 401


def test_an_api_key_is_not_an_access_token(user: ApiUser, services: Services) -> None:
    key = services.credentials.issue(user.account_id, frozenset({"contacts.read"}), kind="api_key")
    response = user.client.post(
        "/api/v1/contacts.scroll", json={}, headers={"Authorization": f"Bearer {key.secret}"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "body", "scope"),
    [
        ("account.get", {}, "account.read"),
        ("contacts.get", {"contactIds": ["x"]}, "contacts.read"),
        ("contacts.scroll", {}, "contacts.read"),
        ("contacts.create", {"contact": {"contactData": {}}}, "contacts.write"),
        ("contacts.update", {"contact": {"contactId": "x", "etag": "e"}}, "contacts.write"),
        ("contacts.delete", {"contactId": "x", "etag": "e"}, "contacts.write"),
    ],
)
def test_each_method_needs_its_scope(
    make_user: MakeUser, method: str, body: dict[str, Any], scope: str
) -> None:
    from rolodex.oauth.scopes import ALL_SCOPES

    without = make_user(scopes=ALL_SCOPES - {scope})
    response = without.call(method, body)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert scope in response.json()["error"]["message"]
    only = make_user(scopes=frozenset({scope}))
    assert only.call(method, body).status_code in {200, 404}


def test_read_scope_cannot_write(make_user: MakeUser) -> None:
    reader = make_user(scopes=frozenset({"contacts.read"}))
    assert reader.call("contacts.create", {"contact": {"contactData": {}}}).status_code == 403
    assert reader.ok("contacts.scroll", {}) == {"contacts": []}


def test_account_get_shows_the_callers_account(make_user: MakeUser) -> None:
    user = make_user(name="Ann Marie Lee")
    account = user.ok("account.get")["account"]
    assert account["accountId"] == user.account_id
    assert account["profileData"]["emails"] == [{"type": "account", "value": user.email}]
    assert account["profileData"]["name"] == {"givenName": "Ann", "familyName": "Marie Lee"}


# contacts.get of one id resolves the token and reads the contact in one statement
# (ContactService.get_one_with_credential): the contact must still never reach a caller
# the token does not stand for, or one without the scope.


def _token_for_own_contact(
    make_user: MakeUser, services: Services, scopes: frozenset[str]
) -> tuple[ApiUser, str, IssuedCredential]:
    owner = make_user()
    contact_id = owner.create({"name": {"givenName": "Ottoline"}, "notes": "private"})["contactId"]
    issued = services.credentials.issue(owner.account_id, scopes)
    return owner, contact_id, issued


def _get(owner: ApiUser, secret: str, body: object) -> httpx2.Response:
    return owner.client.post(
        "/api/v1/contacts.get", json=body, headers={"Authorization": f"Bearer {secret}"}
    )


def test_contacts_get_without_the_read_scope_is_a_403_showing_nothing(
    make_user: MakeUser, services: Services
) -> None:
    from rolodex.oauth.scopes import ALL_SCOPES

    owner, contact_id, issued = _token_for_own_contact(
        make_user, services, ALL_SCOPES - {"contacts.read"}
    )
    response = _get(owner, issued.secret, {"contactIds": [contact_id]})
    assert response.status_code == 403
    assert "Ottoline" not in response.text
    assert "private" not in response.text


@pytest.mark.parametrize("dead", ["revoked", "expired", "api_key", "refresh_token"])
def test_contacts_get_with_a_dead_or_wrong_kind_of_token_is_a_401_showing_nothing(
    make_user: MakeUser, services: Services, dead: str
) -> None:
    from sqlalchemy import update

    from rolodex.oauth.credentials import hash_secret
    from rolodex.store.schema import credentials

    owner, contact_id, issued = _token_for_own_contact(
        make_user, services, frozenset({"contacts.read"})
    )
    secret = issued.secret
    if dead == "revoked":
        assert services.credentials.revoke(owner.account_id, issued.credential_id)
    elif dead == "expired":
        with services.store.write() as conn:
            conn.execute(
                update(credentials)
                .where(credentials.c.secret_hash == hash_secret(secret))
                .values(expires_at=1)
            )
    else:
        secret = services.credentials.issue(
            owner.account_id, frozenset({"contacts.read"}), kind=dead
        ).secret
    assert _get(owner, issued.secret, {"contactIds": [contact_id]}).status_code == (
        200 if dead in {"api_key", "refresh_token"} else 401
    )
    response = _get(owner, secret, {"contactIds": [contact_id]})
    assert response.status_code == 401
    assert "Ottoline" not in response.text


@pytest.mark.parametrize(
    "body", [{"contactIds": []}, {"contactIds": ["a", "b"]}, {"contactIds": "x"}, {"nope": 1}, []]
)
def test_contacts_get_with_a_bad_token_is_a_401_whatever_the_body(
    client: TestClient, body: object
) -> None:
    response = client.post(
        "/api/v1/contacts.get", json=body, headers={"Authorization": "Bearer nonsense"}
    )
    assert response.status_code == 401


def test_contacts_get_reads_the_same_one_id_or_many(user: ApiUser) -> None:
    """The one-statement path and the general one answer alike."""
    first = user.create({"name": {"givenName": "Uno"}, "emails": [{"value": "u@example.com"}]})
    second = user.create({"name": {"givenName": "Dos"}})
    one = user.ok("contacts.get", {"contactIds": [first["contactId"]]})["contacts"]
    both = user.ok("contacts.get", {"contactIds": [first["contactId"], second["contactId"]]})
    assert one == [first]
    assert both["contacts"] == [first, second]
