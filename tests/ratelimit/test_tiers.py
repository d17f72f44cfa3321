"""Trial API keys: marked in the credentials table, remembered per process, made by the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from rolodex.errors import NotFound
from rolodex.oauth.credentials import hash_secret
from rolodex.ratelimit.rules import credential_key
from rolodex.ratelimit.tiers import TRIAL, TierCache, set_tier
from rolodex.services import Services
from rolodex.settings import Settings
from rolodex.store.schema import credentials
from tests.ratelimit.conftest import Account
from tests.test_cli import run


def test_a_trial_key_is_known_as_one_and_remembered(
    services: Services, api_key: Callable[..., str]
) -> None:
    cache = TierCache(services.store, ttl_seconds=60)
    trial, normal = api_key(trial=True), api_key()
    assert cache.cached(credential_key(trial)) is None
    assert cache.lookup(credential_key(trial), trial) is True
    assert cache.lookup(credential_key(normal), normal) is False
    assert cache.cached(credential_key(trial)) is True
    assert cache.cached(credential_key(normal)) is False
    # A key nobody issued is a normal one (the REST API then refuses it anyway).
    assert cache.lookup(credential_key("rdx_key_made_up"), "rdx_key_made_up") is False


def test_only_api_keys_take_a_tier(services: Services, new_account: Callable[[], Account]) -> None:
    account = new_account()
    with services.store.read() as conn:
        token_id = conn.execute(
            select(credentials.c.credential_id).where(
                credentials.c.secret_hash == hash_secret(account.token)
            )
        ).scalar_one()
    with pytest.raises(NotFound):
        set_tier(services.store, token_id, TRIAL)
    with pytest.raises(ValueError, match="tier"):
        set_tier(services.store, token_id, "gold")


def test_api_keys_create_trial_makes_a_trial_key(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    made = run(
        "accounts",
        "create",
        "--email",
        "t@example.com",
        "--password",
        "secret-pw",
        "--data-dir",
        data,
    )
    assert made.returncode == 0, made.stderr
    created = run("api-keys", "create", "--email", "t@example.com", "--trial", "--data-dir", data)
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["api_key"]

    services = Services.build(Settings(data_dir=Path(data)))
    try:
        assert TierCache(services.store, 60).lookup(credential_key(key), key) is True
    finally:
        services.close()
