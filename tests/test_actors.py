"""The actor stated at a protocol's edge is the one a write reads, and only inside its block."""

from __future__ import annotations

import threading

from rolodex.actors import API_KEY, IMPORT, Actor, acting_as, current


def test_no_actor_outside_any_block() -> None:
    assert current() is None


def test_nested_blocks_restore_the_outer_actor() -> None:
    key = Actor(kind=API_KEY, name="laptop", account_id="a_1", credential_id="k_1")
    with acting_as(key):
        assert current() == key
        with acting_as(Actor(kind=IMPORT, name="import")):
            assert current() is not None
            assert current().kind == IMPORT  # type: ignore[union-attr]
        assert current() == key
    assert current() is None


def test_another_thread_does_not_see_this_threads_actor() -> None:
    seen: list[Actor | None] = []
    with acting_as(Actor(kind=API_KEY, name="laptop")):
        worker = threading.Thread(target=lambda: seen.append(current()))
        worker.start()
        worker.join()
    assert seen == [None]
