"""Server-side web sessions: bounded per account, ended by a password change."""

from __future__ import annotations

import time
from typing import Any

from rolodex.accounts.sessions import MAX_SESSIONS
from rolodex.services import Services


def test_an_account_keeps_at_most_max_sessions(make_user: Any, services: Services) -> None:
    user = make_user()
    first = services.sessions.start(user.account_id, "first")
    time.sleep(0.01)  # so that every later session was used later (times are in ms)
    started = [services.sessions.start(user.account_id, f"s{i}") for i in range(MAX_SESSIONS)]
    live = services.sessions.list_for(user.account_id)
    assert len(live) == MAX_SESSIONS
    assert services.sessions.resolve(first.secret) is None  # the least recently used ended
    assert services.sessions.resolve(started[-1].secret) is not None


def test_a_new_password_ends_every_session_but_the_one_kept(
    make_user: Any, services: Services
) -> None:
    user = make_user()
    kept = services.sessions.start(user.account_id, "kept")
    other = services.sessions.start(user.account_id, "other")
    stranger = make_user()
    theirs = services.sessions.start(stranger.account_id, "theirs")
    services.accounts.set_password(
        user.account_id, "another-pass-1", keep_session=kept.info.session_id
    )
    assert services.sessions.resolve(kept.secret) is not None
    assert services.sessions.resolve(other.secret) is None
    assert services.sessions.resolve(theirs.secret) is not None
