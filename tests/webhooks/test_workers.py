"""Workers: several on one PostgreSQL share the work; the server runs one; `rolodex worker`."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import orjson
from starlette.testclient import TestClient
from typer.testing import CliRunner

from rolodex.app import create_app
from rolodex.cli import app as cli_app
from rolodex.settings import Settings, WebhookSettings
from tests.conftest import _postgres_schema_url
from tests.webhooks.conftest import TEST_WEBHOOK_SETTINGS, Api, Receiver, Rig

ApiFor = Callable[..., Api]
TRIGGERS = ["contact.added", "contact.updated", "contact.deleted"]


def hook(api: Api, url: str) -> str:
    made = api.ok("webhooks.create", {"url": url, "triggerIds": TRIGGERS})["webhook"]
    return str(made["webhookId"])


def wait_for(condition: Callable[[], bool], *, limit: float = 30.0) -> bool:
    """Poll until `condition` holds or `limit` seconds pass (a bound, not an assertion)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_two_workers_on_postgres_never_send_the_same_batch_at_once(
    webhook_schema: str, tmp_path: Path, api_for: ApiFor
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=_postgres_schema_url(webhook_schema),
        webhooks=WebhookSettings(**{**TEST_WEBHOOK_SETTINGS, "batch_size": 1}),
    )
    rig = Rig(settings)
    receiver = Receiver(delay=0.05).start()
    try:
        one, two = rig.services(), rig.services()  # two processes' worth of engines
        users = [api_for(one) for _ in range(3)]
        written: dict[str, list[str]] = {}
        for user in users:
            webhook_id = hook(user, receiver.url)
            written[webhook_id] = [
                user.ok("contacts.create", {"contact": {"contactData": {"notes": str(n)}}})[
                    "contact"
                ]["contactId"]
                for n in range(5)
            ]
        total = sum(len(ids) for ids in written.values())
        workers = [rig.worker(one), rig.worker(two)]
        start = threading.Barrier(len(workers))
        errors: list[BaseException] = []

        def run(worker_index: int) -> None:
            try:
                start.wait()
                deadline = time.monotonic() + 60  # a bound on a broken run, not an assertion
                while len(receiver.delivered()) < total and time.monotonic() < deadline:
                    workers[worker_index].run_once()
                    time.sleep(0.01)
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []

        assert receiver.overlaps == []  # never two deliveries of one batch at once
        batch_ids = [r.json["batchId"] for r in receiver.requests]
        assert len(batch_ids) == len(set(batch_ids)) == total  # and each exactly once
        got: dict[str, list[str]] = defaultdict(list)
        for request in receiver.delivered():
            body = request.json
            got[body["webhookId"]] += [e["data"]["contactId"] for e in body["events"]]
        assert dict(got) == written  # each owner's events in order
    finally:
        receiver.stop()
        for services in rig.built:
            services.close()


def test_the_server_resumes_pending_deliveries_when_it_starts(
    rig: Rig, api_for: ApiFor, receiver: Receiver
) -> None:
    stopped = rig.services()  # a server whose delivery is not running
    api = api_for(stopped)
    hook(api, receiver.url)
    contact = api.ok("contacts.create", {"contact": {"contactData": {"notes": "while down"}}})
    assert receiver.requests == []

    started = rig.services(worker=True, poll_seconds=0.05)
    with TestClient(create_app(services=started)) as client:
        assert wait_for(lambda: len(receiver.events()) == 1)
        again = Api(client, api.token, api.account_id)
        again.ok("contacts.create", {"contact": {"contactData": {"notes": "while up"}}})
        assert wait_for(lambda: len(receiver.events()) == 2)
    events = receiver.events()
    assert events[0]["data"]["contactId"] == contact["contact"]["contactId"]
    assert [e["triggerId"] for e in events] == ["contact.added", "contact.added"]


def test_rolodex_worker_once_delivers_what_is_pending(
    tmp_path: Path, api_for: ApiFor, receiver: Receiver
) -> None:
    rig = Rig(Settings(data_dir=tmp_path, webhooks=WebhookSettings(**TEST_WEBHOOK_SETTINGS)))
    try:
        services = rig.services()
        api = api_for(services)
        hook(api, receiver.url)
        api.ok("contacts.create", {"contact": {"contactData": {"notes": "cli"}}})
    finally:
        for built in rig.built:
            built.close()
    result = CliRunner().invoke(
        cli_app,
        ["worker", "--once", "--data-dir", str(tmp_path)],
        env={"ROLODEX_WEBHOOK_ALLOW_PRIVATE": "true", "ROLODEX_WEBHOOK_WORKER": "false"},
    )
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.output) == {"deliveriesAttempted": 1}
    assert [e["data"]["contactData"]["notes"] for e in receiver.events()] == ["cli"]
