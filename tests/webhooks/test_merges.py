"""A merge and its unmerge as a webhook receiver sees them: one update and the deletions,
then every contact back."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.webhooks.conftest import Api, Receiver, Rig
from tests.webhooks.test_delivery import drain, hook

ApiFor = Callable[..., Api]


def _events(receiver: Receiver, seen: int) -> list[tuple[str, str]]:
    """(trigger, contactId) of each event delivered after the first `seen` requests."""
    out = []
    for request in receiver.delivered()[seen:]:
        for event in json.loads(request.body)["events"]:
            out.append((event["triggerId"], event["data"]["contactId"]))
    return out


def test_a_merge_is_one_update_and_the_deletions_and_unmerge_brings_them_back(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    services = rig.services()
    api = api_for(services)
    ids = [
        api.ok(
            "contacts.create",
            {"contact": {"contactData": {"name": {"givenName": "Ann", "familyName": "Lee"}}}},
        )["contact"]["contactId"]
        for _ in range(3)
    ]
    hook(api, receiver.url)
    worker = rig.worker(services)
    merge_id = api.ok("contacts.merge", {"contactIds": ids, "survivorId": ids[1]})["mergeId"]
    drain(worker)
    seen = len(receiver.delivered())
    assert sorted(_events(receiver, 0)) == sorted(
        [
            ("contact.updated", ids[1]),
            ("contact.deleted", ids[0]),
            ("contact.deleted", ids[2]),
        ]
    )
    api.ok("contacts.unmerge", {"mergeId": merge_id})
    drain(worker)
    back = _events(receiver, seen)
    assert sorted(cid for _, cid in back) == sorted(ids)
    # Each comes back under its own id: an update of what the receiver knew (or deleted).
    assert sorted(back) == sorted(("contact.updated", cid) for cid in ids)
