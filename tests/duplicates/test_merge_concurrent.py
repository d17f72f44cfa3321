"""A merge racing an edit of one of its contacts: whichever commits first, nothing is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from rolodex.errors import Conflict, DomainError
from rolodex.services import Services
from tests.conftest import ApiUser


def _race(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs at once; each one's answer, or the DomainError it raised."""
    barrier = threading.Barrier(len(jobs))
    out: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = jobs[i]()
        except DomainError as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def _merge_and_edit(services: Services, owner: str, ids: list[str], edited: str) -> list[Any]:
    return _race(
        partial(services.merges.merge, owner, ids),
        partial(
            services.contacts.replace_data,
            owner,
            edited,
            {"notes": "edited"},
            etag=None,
            resolve_conflicts=True,
        ),
    )


def test_an_edit_of_a_merged_away_contact_is_merged_or_refused(
    services: Services, user: ApiUser
) -> None:
    owner = user.account_id
    for _ in range(5):
        first = user.create({"notes": "first"})
        second = user.create({"notes": "second"})
        ids = [first["contactId"], second["contactId"]]
        merged, edited = _merge_and_edit(services, owner, ids, ids[1])
        contact, merge_id = merged
        if isinstance(edited, DomainError):
            # The merge came first: the tombstone cannot be edited.
            assert contact.data["notes"] == "first\n\nsecond"
        else:
            # The edit came first: the merge holds it, and unmerge gives it back.
            assert contact.data["notes"] == "first\n\nedited"
            back = services.merges.unmerge(owner, merge_id)
            assert back[1].data == {"notes": "edited"}


def test_an_edit_of_the_survivor_during_a_merge_makes_unmerge_409_or_is_merged(
    services: Services, user: ApiUser
) -> None:
    owner = user.account_id
    for _ in range(5):
        first = user.create({"notes": "first"})
        second = user.create({"notes": "second"})
        ids = [first["contactId"], second["contactId"]]
        merged, edited = _merge_and_edit(services, owner, ids, ids[0])
        contact, merge_id = merged
        if contact.data["notes"] == "first\n\nsecond":
            # The edit came after the merge: unmerging would overwrite it.
            assert edited.data == {"notes": "edited"}
            with pytest.raises(Conflict) as refused:
                services.merges.unmerge(owner, merge_id)
            assert refused.value.field == "mergeId"
        else:
            assert contact.data["notes"] == "edited\n\nsecond"
            back = services.merges.unmerge(owner, merge_id)
            assert back[0].data == {"notes": "edited"}
