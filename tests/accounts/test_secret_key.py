"""The key that signs session cookies and paging cursors: configured, or kept in the database."""

from __future__ import annotations

from rolodex.accounts.secret_key import SecretKeyService
from rolodex.services import Services


def test_the_session_key_is_shared_through_the_database(services: Services) -> None:
    assert SecretKeyService(services.store, None).get() == services.secret_key.get()


def test_a_configured_secret_key_is_used(services: Services) -> None:
    assert SecretKeyService(services.store, "k" * 32).get() == "k" * 32
