"""The login throttle: growing delays per client address and per address-and-account.

Issue 20: five failed logins by anyone locked a person out for 15 minutes, so anyone
could keep anyone out. These replace the tests of that lock (test_accounts_pages.py had
`test_five_failures_for_one_email_block_further_attempts`, which asserted the bug).
"""

from __future__ import annotations

import math
import os
import secrets
import time

import httpx2
from starlette.testclient import TestClient

from rolodex.accounts.login_throttle import FREE_PER_ACCOUNT, FREE_PER_ADDRESS
from tests.web.browser import PASSWORD, Browser, csrf_of, new_browser

# docs/reliability.md's figure: ROLODEX_THROTTLE_ATTEMPTS=1000 (300 by default, for time).
ATTEMPTS = int(os.environ.get("ROLODEX_THROTTLE_ATTEMPTS", "300"))


def _owner(client: TestClient) -> Browser:
    owner = new_browser(client)
    owner.sign_up()
    owner.submit("/", "/logout", {})
    return owner


def _fail_many(browser: Browser, email: str, times: int) -> list[httpx2.Response]:
    """`times` wrong passwords for `email` from the browser's one address, one form."""
    token = csrf_of(browser.get("/login").text)
    return [
        browser.http.post(
            "/login",
            data={"csrf_token": token, "email": email, "password": f"wrong {n}"},
            follow_redirects=False,
        )
        for n in range(times)
    ]


def _email() -> str:
    return f"nobody-{secrets.token_hex(6)}@example.com"


def test_failures_from_many_addresses_do_not_keep_the_owner_out(client: TestClient) -> None:
    owner = _owner(client)
    for _ in range(FREE_PER_ACCOUNT + 3):
        # The old lock counted these against the email, whoever sent them.
        assert new_browser(client).log_in(owner.email, "wrong password").status_code == 401
    assert new_browser(client).log_in(owner.email, PASSWORD).status_code == 303


def test_a_stranger_failing_hundreds_of_times_keeps_nobody_out_from_elsewhere(
    client: TestClient,
) -> None:
    owner = _owner(client)
    stranger = new_browser(client)
    started = time.monotonic()
    answers = _fail_many(stranger, owner.email, ATTEMPTS)
    elapsed = time.monotonic() - started
    statuses = [a.status_code for a in answers]
    # The free tries are wrong passwords (401); then the stranger waits 1, 2, 4... s,
    # and each attempt in a wait is a 429 with Retry-After that tried nothing.
    assert statuses[:FREE_PER_ACCOUNT] == [401] * FREE_PER_ACCOUNT
    assert statuses.count(401) - FREE_PER_ACCOUNT <= math.log2(elapsed + 1) + 1
    assert set(statuses) <= {401, 429}
    for refused in (a for a in answers if a.status_code == 429):
        assert int(refused.headers["retry-after"]) >= 1
    # The stranger's own address is slowed even with the right password...
    assert stranger.log_in(owner.email, PASSWORD).status_code == 429
    # ...the owner, anywhere else, is not.
    assert new_browser(client).log_in(owner.email, PASSWORD).status_code == 303


def test_a_refused_attempt_says_how_long_to_wait(client: TestClient) -> None:
    owner = _owner(client)
    stranger = new_browser(client)
    answers = _fail_many(stranger, owner.email, FREE_PER_ACCOUNT + 20)
    # The first waits are 1, 2, 4 s: a slow machine may sit one out between attempts.
    refused = next(a for a in answers if a.status_code == 429)
    wait = int(refused.headers["retry-after"])
    assert wait in (1, 2, 4, 8)
    assert "Too many failed log-ins from this address" in refused.text
    assert f"Wait {wait} seconds" in refused.text


def test_one_address_trying_many_accounts_is_slowed_for_all_of_them(client: TestClient) -> None:
    victim = _owner(client)
    scanner = new_browser(client)
    for _ in range(FREE_PER_ADDRESS):
        assert _fail_many(scanner, _email(), 1)[0].status_code == 401
    assert scanner.log_in(_email(), "guess").status_code == 429
    assert scanner.log_in(victim.email, PASSWORD).status_code == 429
    assert new_browser(client).log_in(victim.email, PASSWORD).status_code == 303


def test_a_correct_login_clears_the_count_for_its_address_and_account(
    client: TestClient,
) -> None:
    owner = _owner(client)
    typo = new_browser(client)
    assert [r.status_code for r in _fail_many(typo, owner.email, 4)] == [401] * 4
    assert typo.log_in(owner.email, PASSWORD).status_code == 303
    typo.submit("/", "/logout", {})
    assert [r.status_code for r in _fail_many(typo, owner.email, 5)] == [401] * 5
    assert typo.log_in(owner.email, PASSWORD).status_code == 429
