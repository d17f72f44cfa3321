"""App passwords, the service: made, kept hashed, checked, revoked, throttled (on both stores).

The pages are tests/web/test_app_passwords_page.py; the command tests/oauth/test_cli_app_passwords.py.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from rolodex.accounts.login_throttle import LoginThrottle
from rolodex.errors import InvalidInput, NotFound
from rolodex.oauth.app_passwords import (
    ACCOUNT_PASSWORD,
    AppPasswordService,
    client_label,
)
from rolodex.oauth.credentials import ACCESS_TOKEN, API_KEY, APP_PASSWORD, Principal, hash_secret
from rolodex.oauth.password_memory import PasswordMemory, memory_key
from rolodex.oauth.scopes import APP_PASSWORD_READ_SCOPES, APP_PASSWORD_WRITE_SCOPES
from rolodex.services import Services
from rolodex.store.schema import credentials
from rolodex.timestamps import now_ms
from tests.web.browser import random_address

PASSWORD = "correct horse battery"


@dataclass
class Person:
    account_id: str
    email: str


@pytest.fixture
def person(services: Services) -> Person:
    email = f"dav-{secrets.token_hex(6)}@example.com"
    return Person(services.accounts.create(email, PASSWORD).account_id, email)


def _service(services: Services, *, allow: bool, free: int = 5) -> AppPasswordService:
    """A service like the server's, with the account password allowed or not."""
    throttle = LoginThrottle(services.store, free_per_account=free, free_per_address=free * 4)
    return AppPasswordService(services.store, throttle, allow_account_password=allow)


def _verify(
    service: AppPasswordService, email: str, password: str, *, agent: str = "DAVx5/4.4"
) -> Principal | None:
    return service.verify_basic(email, password, client_address=random_address(), user_agent=agent)


def test_a_password_is_stored_only_as_its_hash(services: Services, person: Person) -> None:
    issued = services.app_passwords.create(person.account_id, "Phone")
    assert issued.password.startswith("rdx_ap_")
    with services.store.read() as conn:
        row = conn.execute(
            select(credentials).where(credentials.c.credential_id == issued.credential_id)
        ).one()
    assert row.kind == APP_PASSWORD
    assert row.secret_hash == hash_secret(issued.password)
    assert issued.password not in {str(value) for value in row}


def test_the_email_and_an_app_password_give_a_read_write_principal(
    services: Services, person: Person
) -> None:
    issued = services.app_passwords.create(person.account_id, "Laptop")
    principal = _verify(services.app_passwords, person.email.upper(), issued.password)
    assert principal is not None
    assert principal == services.app_passwords.verify_basic(
        person.email, issued.password, client_address="192.0.2.1", user_agent=""
    )
    assert principal.account_id == person.account_id
    assert principal.kind == APP_PASSWORD
    assert principal.credential_id == issued.credential_id
    assert principal.scopes == APP_PASSWORD_WRITE_SCOPES
    assert "contacts.write" in APP_PASSWORD_WRITE_SCOPES


def test_a_read_only_password_reads_and_cannot_write(services: Services, person: Person) -> None:
    issued = services.app_passwords.create(person.account_id, "Kiosk", read_only=True)
    principal = services.app_passwords.verify_basic(
        person.email, issued.password, client_address="192.0.2.2", user_agent="iOS/17"
    )
    assert principal is not None
    assert principal.scopes == APP_PASSWORD_READ_SCOPES
    assert "contacts.read" in principal.scopes
    assert "contacts.write" not in principal.scopes
    assert [p.read_only for p in services.app_passwords.list(person.account_id)] == [True]


def test_another_accounts_email_with_my_password_is_refused(
    services: Services, person: Person
) -> None:
    issued = services.app_passwords.create(person.account_id, "Phone")
    other = services.accounts.create(f"other-{secrets.token_hex(6)}@example.com", PASSWORD)
    assert _verify(services.app_passwords, other.email, issued.password) is None
    assert _verify(services.app_passwords, "", issued.password) is None


def test_an_app_password_is_no_bearer_token_and_an_api_key_no_app_password(
    services: Services, person: Person
) -> None:
    issued = services.app_passwords.create(person.account_id, "Phone")
    assert services.credentials.resolve(issued.password, kinds=(ACCESS_TOKEN, API_KEY)) is None
    key = services.credentials.issue(
        person.account_id, frozenset({"contacts.read"}), kind=API_KEY, name="key"
    )
    assert _verify(services.app_passwords, person.email, key.secret) is None


def test_revoking_stops_the_password_and_only_its_owner_can(
    services: Services, person: Person
) -> None:
    kept = services.app_passwords.create(person.account_id, "Tablet")
    doomed = services.app_passwords.create(person.account_id, "Old phone")
    other = services.accounts.create(f"other-{secrets.token_hex(6)}@example.com", PASSWORD)
    with pytest.raises(NotFound) as refused:
        services.app_passwords.revoke(other.account_id, doomed.credential_id)
    assert refused.value.field == "id"
    assert _verify(services.app_passwords, person.email, doomed.password) is not None

    services.app_passwords.revoke(person.account_id, doomed.credential_id)
    assert _verify(services.app_passwords, person.email, doomed.password) is None
    assert _verify(services.app_passwords, person.email, kept.password) is not None
    assert [p.name for p in services.app_passwords.list(person.account_id)] == ["Tablet"]
    with pytest.raises(NotFound):
        services.app_passwords.revoke(person.account_id, doomed.credential_id)


def test_revoke_touches_no_other_kind_of_credential(services: Services, person: Person) -> None:
    key = services.credentials.issue(
        person.account_id, frozenset({"contacts.read"}), kind=API_KEY, name="key"
    )
    with pytest.raises(NotFound):
        services.app_passwords.revoke(person.account_id, key.credential_id)
    assert services.credentials.resolve(key.secret, kinds=(API_KEY,)) is not None


def test_a_name_is_needed_and_a_refused_one_writes_nothing(
    services: Services, person: Person
) -> None:
    for bad in ("", "   ", "x" * 101, "tab\there"):
        with pytest.raises(InvalidInput) as refused:
            services.app_passwords.create(person.account_id, bad)
        assert refused.value.field == "name"
    assert services.app_passwords.list(person.account_id) == []


def test_the_last_use_and_client_are_kept_at_most_once_a_minute(
    services: Services, person: Person
) -> None:
    issued = services.app_passwords.create(person.account_id, "Phone")
    (before,) = services.app_passwords.list(person.account_id)
    assert before.last_used_at is None
    assert before.last_client is None
    _verify(services.app_passwords, person.email, issued.password, agent="DAVx5/4.4\x00 (x)")
    (used,) = services.app_passwords.list(person.account_id)
    assert used.last_used_at is not None
    assert used.last_client == "DAVx5/4.4 (x)"
    # A burst of requests right after writes nothing more.
    _verify(services.app_passwords, person.email, issued.password, agent="Thunderbird/128")
    (again,) = services.app_passwords.list(person.account_id)
    assert (again.last_used_at, again.last_client) == (used.last_used_at, used.last_client)


def test_a_client_label_keeps_printable_characters_only() -> None:
    assert client_label("iOS/17.2 (21C62)\r\ndataaccessd/1.0") == "iOS/17.2 (21C62)dataaccessd/1.0"
    assert len(client_label("a" * 1000)) == 256


def test_the_account_password_is_refused_unless_the_setting_allows_it(
    services: Services, person: Person
) -> None:
    assert services.settings.carddav_allow_account_password is False
    assert _verify(services.app_passwords, person.email, PASSWORD) is None
    allowing = _service(services, allow=True)
    principal = _verify(allowing, person.email, PASSWORD)
    assert principal is not None
    assert principal.kind == ACCOUNT_PASSWORD
    assert principal.account_id == person.account_id
    assert _verify(allowing, person.email, PASSWORD + "x") is None


def test_an_account_password_is_remembered_until_it_changes(
    services: Services, person: Person
) -> None:
    allowing = _service(services, allow=True)
    assert _verify(allowing, person.email, PASSWORD) is not None
    assert memory_key(person.email, PASSWORD) in allowing.memory
    # Remembered: right again without argon2 (the memory answers, the throttle is not asked).
    assert allowing.check_basic(
        person.email, PASSWORD, client_address=random_address(), user_agent=""
    ).principal
    services.accounts.set_password(person.account_id, "a brand new password")
    assert _verify(allowing, person.email, PASSWORD) is None
    assert memory_key(person.email, PASSWORD) not in allowing.memory
    assert _verify(allowing, person.email, "a brand new password") is not None


def test_the_same_password_set_again_is_a_new_password_to_the_memory(
    services: Services, person: Person
) -> None:
    allowing = _service(services, allow=True)
    assert _verify(allowing, person.email, PASSWORD) is not None
    services.accounts.set_password(person.account_id, PASSWORD)
    key = memory_key(person.email, PASSWORD)
    assert allowing.memory.recall(key, "the hash the account has now") is None
    assert key not in allowing.memory


def test_a_memory_past_its_time_is_forgotten() -> None:
    memory = PasswordMemory(ttl_seconds=0)
    memory.remember("k", "a_1", "hash")
    assert memory.recall("k", "hash") is None
    assert len(memory) == 0
    small = PasswordMemory(max_entries=2)
    for key in ("a", "b", "c"):
        small.remember(key, "a_1", "hash")
    assert "a" not in small
    assert small.recall("c", "hash") == "a_1"


def _old_failures(throttle: LoginThrottle, email: str, address: str, count: int) -> None:
    """`count` failures, an hour apart, the last an hour ago: every delay they set is over,
    so the next failure, now, is what makes the client wait (for 2^(count+1-free) s)."""
    start = now_ms() - count * 3_600_000
    for k in range(count):
        assert throttle.begin(email, address, now=start + k * 3_600_000).allowed


def test_failures_are_throttled_per_address_and_account(services: Services, person: Person) -> None:
    allowing = _service(services, allow=True, free=2)
    issued = allowing.create(person.account_id, "Phone")
    address = random_address()
    _old_failures(allowing.throttle, person.email, address, 6)
    wrong = allowing.check_basic(person.email, "wrong", client_address=address, user_agent="")
    assert (wrong.principal, wrong.retry_after) == (None, 0)
    waiting = allowing.check_basic(person.email, PASSWORD, client_address=address, user_agent="")
    assert waiting.principal is None
    assert waiting.retry_after >= 1
    # The owner's devices keep working: a live app password is never throttled ...
    assert allowing.verify_basic(
        person.email, issued.password, client_address=address, user_agent=""
    )
    # ... and from another address the account password is checked as usual.
    assert allowing.verify_basic(
        person.email, PASSWORD, client_address=random_address(), user_agent=""
    )


def test_wrong_app_passwords_count_as_failures_even_when_account_passwords_are_off(
    services: Services, person: Person
) -> None:
    service = _service(services, allow=False, free=1)
    address = random_address()
    _old_failures(service.throttle, person.email, address, 6)
    first = service.check_basic(person.email, "rdx_ap_guess", client_address=address, user_agent="")
    assert (first.principal, first.retry_after) == (None, 0)
    second = service.check_basic(
        person.email, "rdx_ap_guess2", client_address=address, user_agent=""
    )
    assert second.retry_after >= 1


def test_no_bearer_api_takes_an_app_password(
    client: TestClient, services: Services, person: Person
) -> None:
    password = services.app_passwords.create(person.account_id, "Phone").password
    bearer = {"Authorization": f"Bearer {password}"}
    assert client.post("/api/v1/account.get", json={}, headers=bearer).status_code == 401
    assert client.get("/api/user/contacts", headers=bearer).status_code == 401
    assert client.get("/v1/contacts", headers={"x-api-key": password}).status_code == 403
