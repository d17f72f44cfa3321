"""Delivery against a real receiver on loopback: signed, retried, ordered, resumable."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from standardwebhooks import Webhook as StandardWebhook

from rolodex.timestamps import now_ms
from rolodex.webhooks.delivery import DeliveryWorker
from tests.webhooks.conftest import Api, Receiver, Rig, free_port

ApiFor = Callable[..., Api]
MINUTE = 60_000


def hook(api: Api, url: str, triggers: list[str] | None = None) -> dict[str, Any]:
    body = {
        "url": url,
        "triggerIds": triggers or ["contact.added", "contact.updated", "contact.deleted"],
    }
    return dict(api.ok("webhooks.create", body)["webhook"])


def drain(worker: DeliveryWorker, *, now: int | None = None, passes: int = 20) -> None:
    """Run passes until one has nothing to send."""
    for _ in range(passes):
        if worker.run_once(now=now) == 0:
            return


def test_a_delivery_is_signed_the_standard_webhooks_way(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    services = rig.services()
    api = api_for(services)
    made = hook(api, receiver.url)
    contact = api.ok(
        "contacts.create", {"contact": {"contactData": {"name": {"givenName": "Ada"}}}}
    )["contact"]
    drain(rig.worker(services))

    [request] = receiver.delivered()
    # The Standard Webhooks reference library accepts it...
    payload = StandardWebhook(made["secret"]).verify(request.body, request.headers)
    # ...and so does the scheme written out by hand: HMAC-SHA256 over id.timestamp.body.
    key = base64.b64decode(made["secret"].removeprefix("whsec_"))
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode()
    expected = base64.b64encode(hmac.new(key, signed + request.body, hashlib.sha256).digest())
    assert request.headers["webhook-signature"] == "v1," + expected.decode()

    assert request.headers["webhook-id"] == payload["batchId"]
    assert payload["webhookId"] == made["webhookId"]
    [event] = payload["events"]
    assert event["triggerId"] == "contact.added"
    assert event["eventId"]
    assert event["created"].endswith("Z")
    assert (
        event["data"]
        == api.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"][0]
    )


def test_a_receiver_failing_three_times_gets_the_same_batch_once_it_answers(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    services = rig.services()
    api = api_for(services)
    made = hook(api, receiver.url)
    receiver.plan = [500, 503, 404]
    api.ok("contacts.create", {"contact": {"contactData": {"name": {"givenName": "Bo"}}}})
    worker = rig.worker(services)
    start = now_ms()
    for step in range(8):  # the clock moves on 20 minutes a pass: past every backoff
        worker.run_once(now=start + step * 20 * MINUTE)

    assert [r.status for r in receiver.requests] == [500, 503, 404, 200]
    bodies = [r.json for r in receiver.requests]
    assert all(b == bodies[0] for b in bodies)  # same batchId, same eventIds, same data
    assert len(receiver.delivered()) == 1
    [batch] = api.ok("webhooks.getBatches", {"webhookId": made["webhookId"]})["batches"]
    assert batch["batchId"] == bodies[0]["batchId"]
    assert batch["status"] == "delivered"
    assert batch["attempts"] == 4
    assert batch["lastResponseCode"] == 200
    assert "nextAttempt" not in batch
    assert batch["events"] == bodies[0]["events"]


def test_retries_back_off_and_honour_retry_after(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    services = rig.services()
    api = api_for(services)
    made = hook(api, receiver.url)
    receiver.plan = [500, (503, {"Retry-After": "3600"})]
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "x"}}})
    worker = rig.worker(services)
    start = now_ms()

    assert worker.run_once(now=start) == 1
    assert worker.run_once(now=start + 10_000) == 0  # the first retry waits ~60 s
    [batch] = api.ok("webhooks.getBatches", {"webhookId": made["webhookId"]})["batches"]
    assert batch["status"] == "pending"
    assert batch["lastResponseCode"] == 500

    assert worker.run_once(now=start + 2 * MINUTE) == 1  # answered 503, Retry-After: 3600
    assert worker.run_once(now=start + 30 * MINUTE) == 0  # backoff alone would retry by now
    assert worker.run_once(now=start + 65 * MINUTE) == 1
    assert [r.status for r in receiver.requests] == [500, 503, 200]


def test_a_receiver_down_while_contacts_are_written_gets_every_event_after_a_restart(
    rig: Rig, api_for: ApiFor
) -> None:
    port = free_port()
    first = rig.services(batch_size=2)
    api = api_for(first)
    made = hook(api, f"http://127.0.0.1:{port}/hook")
    written: list[tuple[str, str]] = []
    for n in range(5):
        c = api.ok("contacts.create", {"contact": {"contactData": {"notes": f"n{n}"}}})["contact"]
        written.append(("contact.added", c["contactId"]))
    updated = api.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": c["contactId"],
                "etag": c["etag"],
                "contactData": {"notes": "u"},
            }
        },
    )["contact"]
    written.append(("contact.updated", c["contactId"]))
    api.ok("contacts.delete", {"contactId": c["contactId"], "etag": updated["etag"]})
    written.append(("contact.deleted", c["contactId"]))

    rig.worker(first).run_once()  # nobody listens: the attempt fails and is recorded
    [failed] = [
        b
        for b in api.ok("webhooks.getBatches", {"webhookId": made["webhookId"]})["batches"]
        if b["attempts"]
    ]
    assert failed["status"] == "pending"
    assert "lastError" in failed
    first.close()

    receiver = Receiver(port=port).start()
    try:
        second = rig.services(batch_size=2)  # a restarted server on the same store
        drain(rig.worker(second), now=now_ms() + 10 * MINUTE, passes=50)
        got = [(e["triggerId"], e["data"]["contactId"]) for e in receiver.events()]
        assert got == written
        assert all(len(r.json["events"]) <= 2 for r in receiver.delivered())
        assert len({e["eventId"] for e in receiver.events()}) == len(written)
    finally:
        receiver.stop()


def test_a_deleted_webhook_gets_nothing_more(rig: Rig, api_for: ApiFor, receiver: Receiver) -> None:
    services = rig.services()
    api = api_for(services)
    made = hook(api, receiver.url)
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "before"}}})
    worker = rig.worker(services)
    drain(worker)
    assert len(receiver.events()) == 1

    receiver.plan = [500]
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "pending"}}})
    worker.run_once()  # a pending batch, failed once
    assert api.ok("webhooks.delete", {"webhookId": made["webhookId"]}) == {}
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "after"}}})
    drain(worker, now=now_ms() + 10 * MINUTE)
    assert len(receiver.events()) == 1
    assert len(receiver.requests) == 2


def test_only_the_named_triggers_are_sent(rig: Rig, api_for: ApiFor, receiver: Receiver) -> None:
    services = rig.services()
    api = api_for(services)
    hook(api, receiver.url, ["contact.deleted"])
    c = api.ok("contacts.create", {"contact": {"contactData": {"notes": "a"}}})["contact"]
    api.ok("contacts.delete", {"contactId": c["contactId"], "etag": c["etag"]})
    drain(rig.worker(services))
    assert [(e["triggerId"], e["data"]) for e in receiver.events()] == [
        ("contact.deleted", {"contactId": c["contactId"]})
    ]


def test_events_of_other_accounts_are_not_sent(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    services = rig.services()
    api = api_for(services)
    other = api_for(services)
    hook(api, receiver.url)
    other.ok("contacts.create", {"contact": {"contactData": {"notes": "theirs"}}})
    mine = api.ok("contacts.create", {"contact": {"contactData": {"notes": "mine"}}})["contact"]
    drain(rig.worker(services))
    assert [e["data"]["contactId"] for e in receiver.events()] == [mine["contactId"]]


def test_a_410_disables_the_webhook(rig: Rig, api_for: ApiFor, receiver: Receiver) -> None:
    services = rig.services()
    api = api_for(services)
    made = hook(api, receiver.url)
    receiver.plan = [410]
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "a"}}})
    drain(rig.worker(services))
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "b"}}})
    drain(rig.worker(services), now=now_ms() + 10 * MINUTE)
    assert [r.status for r in receiver.requests] == [410]
    [shown] = api.ok("webhooks.get", {"webhookIds": [made["webhookId"]]})["webhooks"]
    assert shown["status"] == "disabled"
    [batch] = api.ok("webhooks.getBatches", {"webhookId": made["webhookId"]})["batches"]
    assert batch["status"] == "failed"
    assert batch["lastResponseCode"] == 410


def test_redirects_are_not_followed(rig: Rig, api_for: ApiFor, receiver: Receiver) -> None:
    services = rig.services()
    api = api_for(services)
    made = hook(api, receiver.url)
    receiver.plan = [(302, {"Location": receiver.url + "/elsewhere"})]
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "a"}}})
    worker = rig.worker(services)
    worker.run_once()
    assert [(r.path, r.status) for r in receiver.requests] == [("/hook", 302)]
    [batch] = api.ok("webhooks.getBatches", {"webhookId": made["webhookId"]})["batches"]
    assert batch["status"] == "pending"
    assert batch["lastResponseCode"] == 302
    drain(worker, now=now_ms() + 10 * MINUTE)
    assert [r.path for r in receiver.requests] == ["/hook", "/hook"]


def test_the_address_is_checked_again_at_connect_time(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    # Made while loopback was allowed; delivered by a worker that does not allow it,
    # as if the name now resolved somewhere it must not (DNS rebinding).
    services = rig.services()
    api = api_for(services)
    made = hook(api, receiver.url)
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "a"}}})
    strict = rig.worker(services, allow_private=False)
    assert strict.run_once() == 1
    assert receiver.requests == []
    [batch] = api.ok("webhooks.getBatches", {"webhookId": made["webhookId"]})["batches"]
    assert batch["status"] == "pending"
    assert "loopback" in batch["lastError"]


def test_tag_events_carry_the_tag_as_the_api_shows_it(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    services = rig.services()
    api = api_for(services)
    hook(api, receiver.url, ["tag.added", "tag.deleted"])
    tag = api.ok("tags.create", {"tag": {"tagData": {"name": "Friends"}}})["tag"]
    drain(rig.worker(services))
    [event] = receiver.events()
    assert event["triggerId"] == "tag.added"
    assert event["data"]["tagId"] == tag["tagId"]
    assert event["data"]["tagData"]["name"] == "Friends"
    assert event["data"] == api.ok("tags.get", {"tagIds": [tag["tagId"]]})["tags"][0]


def test_a_receiver_that_does_not_answer_in_time_is_retried(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    # The deadline is for the whole attempt (connect included): 1 s, so that a loaded
    # machine still connects in time; the receiver takes 3 s.
    services = rig.services(timeout_seconds=1.0)
    api = api_for(services)
    made = hook(api, receiver.url)
    receiver.delay = 3.0
    api.ok("contacts.create", {"contact": {"contactData": {"notes": "slow"}}})
    worker = rig.worker(services)
    assert worker.run_once() == 1
    [batch] = api.ok("webhooks.getBatches", {"webhookId": made["webhookId"]})["batches"]
    assert batch["status"] == "pending"
    assert "Timeout" in batch["lastError"]
    assert "lastResponseCode" not in batch
    receiver.delay = 0.0
    drain(worker, now=now_ms() + 10 * MINUTE)
    [batch] = api.ok("webhooks.getBatches", {"webhookId": made["webhookId"]})["batches"]
    assert batch["status"] == "delivered"
    assert batch["attempts"] == 2
