"""The purge keeps what the settings promise: 90 days, at least 20 versions, 30 days of trash."""

from __future__ import annotations

from typing import Any

from rolodex.history.purge import HistoryPurge
from rolodex.history.service import DAY_MS
from rolodex.services import Services
from rolodex.settings import HistorySettings
from rolodex.timestamps import now_ms
from rolodex.webhooks.delivery import DeliveryWorker
from tests.conftest import ApiUser


def _edited(user: ApiUser, times: int) -> dict[str, Any]:
    contact = user.create({"notes": "0"})
    for n in range(1, times + 1):
        body = {
            "contact": {
                "contactId": contact["contactId"],
                "etag": contact["etag"],
                "contactData": {"notes": str(n)},
            }
        }
        contact = user.ok("contacts.update", body)["contact"]
    return dict(contact)


def _count(user: ApiUser, contact_id: str) -> int:
    body = {"contactId": contact_id, "size": 1000}
    return len(user.ok("contacts.getHistory", body)["versions"])


def _purged(services: Services, days_on: int) -> None:
    purge = HistoryPurge(services.store, HistorySettings(purge_batch=100_000), services.history)
    at = now_ms() + days_on * DAY_MS
    purge.run(at)
    purge.run(at)


def test_purge_keeps_recent_versions_then_the_last_twenty(
    services: Services, user: ApiUser
) -> None:
    many = _edited(user, 25)
    few = _edited(user, 3)
    _purged(services, 31)
    assert _count(user, many["contactId"]) == 25
    assert _count(user, few["contactId"]) == 3
    _purged(services, 91)
    assert _count(user, many["contactId"]) == 20
    assert _count(user, few["contactId"]) == 3
    versions = user.ok("contacts.getHistory", {"contactId": many["contactId"]})["versions"]
    assert versions[0]["contactData"] == {"notes": "24"}


def test_a_contact_leaves_the_trash_after_thirty_days(services: Services, user: ApiUser) -> None:
    gone = user.create({"notes": "gone"})
    user.ok("contacts.delete", {"contactId": gone["contactId"], "etag": gone["etag"]})
    _purged(services, 29)
    assert [c["contactId"] for c in user.ok("contacts.getTrash")["contacts"]] == [gone["contactId"]]
    _purged(services, 31)
    assert user.ok("contacts.getTrash")["contacts"] == []
    assert _count(user, gone["contactId"]) == 0
    response = user.call("contacts.undelete", {"contactId": gone["contactId"]})
    assert response.status_code == 404


def test_the_worker_runs_the_purge_when_due(services: Services, user: ApiUser) -> None:
    gone = user.create({"notes": "gone"})
    user.ok("contacts.delete", {"contactId": gone["contactId"], "etag": gone["etag"]})
    purge = HistoryPurge(services.store, HistorySettings(purge_batch=100_000), services.history)
    purge.run_due(now_ms() + 31 * DAY_MS)
    purge.run_due(now_ms() + 31 * DAY_MS)
    assert user.ok("contacts.getTrash")["contacts"] == []


def test_the_delivery_worker_runs_the_chores_it_is_given(services: Services) -> None:
    ran: list[str] = []
    worker = DeliveryWorker(services.store, services.settings.webhooks, [lambda: ran.append("x")])
    worker.run_once()
    assert ran == ["x"]
