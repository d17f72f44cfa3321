"""A merge or an unmerge racing an edit, an undelete, or another merge or unmerge of the same
contacts: whichever commits first, nothing is lost and nothing is done twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from rolodex.duplicates.merge import MergeChanged
from rolodex.errors import Conflict, DomainError, NotFound
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


def _merged_pair(services: Services, user: ApiUser) -> tuple[list[str], str]:
    first = user.create({"notes": "first"})
    second = user.create({"notes": "second"})
    ids = [first["contactId"], second["contactId"]]
    _, merge_id = services.merges.merge(user.account_id, ids)
    assert merge_id is not None
    return ids, merge_id


def test_an_unmerge_racing_an_edit_of_the_survivor_loses_neither(
    services: Services, user: ApiUser
) -> None:
    owner = user.account_id
    for _ in range(5):
        ids, merge_id = _merged_pair(services, user)
        unmerged, edited = _race(
            partial(services.merges.unmerge, owner, merge_id),
            partial(
                services.contacts.replace_data,
                owner,
                ids[0],
                {"notes": "edited"},
                etag=None,
                resolve_conflicts=True,
            ),
        )
        assert not isinstance(edited, DomainError)
        survivor = services.contacts.get_one(owner, ids[0])
        if isinstance(unmerged, MergeChanged):
            # The edit came first: the unmerge refused and changed nothing.
            assert [c.contact_id for c in unmerged.changed] == [ids[0]]
            assert survivor.data == {"notes": "edited"}
            assert services.contacts.get_many(owner, ids) == [survivor]
            back = services.merges.unmerge(owner, merge_id, force=True)
            assert [c.data for c in back] == [{"notes": "first"}, {"notes": "second"}]
        else:
            # The unmerge came first: the edit is the survivor's latest version.
            assert survivor.data == {"notes": "edited"}
            assert services.contacts.get_one(owner, ids[1]).data == {"notes": "second"}


def test_an_unmerge_racing_an_undelete_of_a_merged_away_contact(
    services: Services, user: ApiUser
) -> None:
    owner = user.account_id
    for _ in range(5):
        ids, merge_id = _merged_pair(services, user)
        unmerged, undeleted = _race(
            partial(services.merges.unmerge, owner, merge_id),
            partial(services.history.undelete, owner, ids[1]),
        )
        assert isinstance(unmerged, DomainError) != isinstance(undeleted, DomainError)
        if isinstance(unmerged, DomainError):
            assert isinstance(unmerged, MergeChanged)
            # The merged data stays in the survivor; the undeleted one is live again.
            assert services.contacts.get_one(owner, ids[0]).data["notes"] == "first\n\nsecond"
        else:
            # Unmerged first: nothing was in the trash to undelete any more.
            assert isinstance(undeleted, NotFound)
            assert services.contacts.get_one(owner, ids[0]).data == {"notes": "first"}
        assert services.contacts.get_one(owner, ids[1]).data == {"notes": "second"}


def test_two_unmerges_of_one_merge_undo_it_once(services: Services, user: ApiUser) -> None:
    owner = user.account_id
    for _ in range(5):
        ids, merge_id = _merged_pair(services, user)
        answers = _race(
            partial(services.merges.unmerge, owner, merge_id),
            partial(services.merges.unmerge, owner, merge_id, force=True),
        )
        refused = [a for a in answers if isinstance(a, DomainError)]
        assert len(refused) == 1
        assert isinstance(refused[0], Conflict)
        assert [c.data for c in services.contacts.get_many(owner, ids)] == [
            {"notes": "first"},
            {"notes": "second"},
        ]


def test_two_merges_sharing_a_contact_lose_no_value(services: Services, user: ApiUser) -> None:
    owner = user.account_id
    for _ in range(5):
        made = [user.create({"notes": n})["contactId"] for n in ("a", "b", "c")]
        answers = _race(
            partial(services.merges.merge, owner, [made[0], made[1]]),
            partial(services.merges.merge, owner, [made[2], made[1]]),
        )
        done = [a for a in answers if not isinstance(a, DomainError)]
        refused = [a for a in answers if isinstance(a, DomainError)]
        # The first takes b; the second finds it gone (404), never merges it twice.
        assert len(done) == 1
        assert [type(r) for r in refused] == [NotFound]
        live = services.contacts.get_many(owner, made)
        notes = sorted("\n\n".join(c.data["notes"] for c in live).split("\n\n"))
        assert notes == ["a", "b", "c"]
        # And the one that ran can be taken back whole.
        services.merges.unmerge(owner, done[0][1])
        assert len(services.contacts.get_many(owner, made)) == 3
