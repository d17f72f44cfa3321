"""webhooks.getTriggers, .create, .get, .search, .delete, .getBatches: the endpoints."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from tests.conftest import ApiUser, MakeUser

# A public address needs no DNS here; nothing is ever delivered to it in these tests.
PUBLIC = "https://93.184.215.14/hooks/rolodex"
CONTACT_TRIGGERS = ["contact.added", "contact.updated", "contact.deleted"]


def create(user: ApiUser, url: str = PUBLIC, triggers: list[str] | None = None) -> dict[str, Any]:
    body = {"url": url, "triggerIds": triggers or CONTACT_TRIGGERS}
    return dict(user.ok("webhooks.create", body)["webhook"])


def error(response: Any) -> dict[str, Any]:
    return dict(response.json()["error"])


def test_get_triggers_lists_every_trigger_by_name(user: ApiUser) -> None:
    assert user.ok("webhooks.getTriggers") == {
        "triggers": [
            "contact.added",
            "contact.updated",
            "contact.deleted",
            "tag.added",
            "tag.updated",
            "tag.deleted",
        ]
    }


def test_create_returns_the_webhook_and_its_secret_once(user: ApiUser) -> None:
    made = create(user)
    assert made["webhookId"].startswith("wh_")
    assert made["url"] == PUBLIC
    assert made["triggers"] == CONTACT_TRIGGERS
    assert made["accountId"] == user.account_id
    assert made["created"].endswith("Z")
    assert made["status"] == "active"
    assert made["secret"].startswith("whsec_")
    assert len(base64.b64decode(made["secret"].removeprefix("whsec_"))) >= 24

    [shown] = user.ok("webhooks.get", {"webhookIds": [made["webhookId"]]})["webhooks"]
    assert "secret" not in shown
    assert shown == {k: v for k, v in made.items() if k != "secret"}
    assert create(user)["secret"] != made["secret"]


def test_create_refuses_an_unknown_trigger(user: ApiUser) -> None:
    response = user.call("webhooks.create", {"url": PUBLIC, "triggerIds": ["contact.exploded"]})
    assert response.status_code == 400
    assert error(response)["field"] == "triggerIds"
    assert "contact.exploded" in error(response)["message"]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://93.184.215.14/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "not a url",
        "https://",
        "http://u:p@93.184.215.14/",
    ],
)
def test_create_refuses_a_url_that_is_not_plain_http(user: ApiUser, url: str) -> None:
    response = user.call("webhooks.create", {"url": url, "triggerIds": ["contact.added"]})
    assert response.status_code == 400
    assert error(response)["field"] == "url"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/hook",
        "http://10.0.0.1/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:169.254.169.254]/hook",
        "http://2130706433/hook",
        "http://0177.0.0.1/hook",
        "http://0x7f.0.0.1/hook",
        "http://localhost:9999/hook",
        "http://0.0.0.0/hook",
        "http://[fd00:ec2::254]/hook",
        "http://224.0.0.1/hook",
        "https://no-such-host.invalid/hook",
    ],
)
def test_create_refuses_urls_that_reach_private_or_special_addresses(
    user: ApiUser, url: str
) -> None:
    response = user.call("webhooks.create", {"url": url, "triggerIds": ["contact.added"]})
    assert response.status_code == 400, response.text
    assert error(response)["field"] == "url"


def test_get_shows_only_the_callers_webhooks_in_the_order_asked(make_user: MakeUser) -> None:
    me, other = make_user(), make_user()
    first, second = create(me), create(me, PUBLIC + "/2")
    theirs = create(other)
    ids = [second["webhookId"], theirs["webhookId"], "wh_nope", first["webhookId"]]
    shown = me.ok("webhooks.get", {"webhookIds": ids})["webhooks"]
    assert [w["webhookId"] for w in shown] == [second["webhookId"], first["webhookId"]]


def test_search_filters_by_url_and_by_trigger(user: ApiUser) -> None:
    a = create(user, PUBLIC + "/a", ["contact.added"])
    b = create(user, PUBLIC + "/b", ["contact.deleted", "tag.added"])
    c = create(user, PUBLIC + "/a", ["tag.deleted"])

    def ids(body: dict[str, Any]) -> list[str]:
        return [w["webhookId"] for w in user.ok("webhooks.search", body)["webhooks"]]

    assert ids({}) == [a["webhookId"], b["webhookId"], c["webhookId"]]
    assert ids({"url": PUBLIC + "/a"}) == [a["webhookId"], c["webhookId"]]
    assert ids({"triggerIds": ["tag.added", "tag.deleted"]}) == [b["webhookId"], c["webhookId"]]
    assert ids({"url": PUBLIC + "/a", "triggerIds": ["contact.added"], "page": 1}) == [
        a["webhookId"]
    ]
    assert ids({"page": 2}) == []
    assert ids({"url": None, "triggerIds": None, "page": None, "teamId": None}) == ids({})
    bad = user.call("webhooks.search", {"triggerIds": ["nope"]})
    assert bad.status_code == 400
    assert error(bad)["field"] == "triggerIds"
    bad = user.call("webhooks.search", {"page": 0})
    assert bad.status_code == 400
    assert error(bad)["field"] == "page"


def test_delete_answers_empty_and_the_webhook_is_gone(make_user: MakeUser) -> None:
    me, other = make_user(), make_user()
    made = create(me)
    theirs = other.call("webhooks.delete", {"webhookId": made["webhookId"]})
    assert theirs.status_code == 404
    assert error(theirs)["field"] == "webhookId"
    assert me.ok("webhooks.delete", {"webhookId": made["webhookId"]}) == {}
    assert me.ok("webhooks.get", {"webhookIds": [made["webhookId"]]}) == {"webhooks": []}
    again = me.call("webhooks.delete", {"webhookId": made["webhookId"]})
    assert again.status_code == 404


def test_get_batches_of_a_new_webhook_is_empty_and_of_a_strangers_is_404(
    make_user: MakeUser,
) -> None:
    me, other = make_user(), make_user()
    made = create(me)
    assert me.ok("webhooks.getBatches", {"webhookId": made["webhookId"]}) == {"batches": []}
    assert me.ok(
        "webhooks.getBatches", {"webhookId": made["webhookId"], "batchId": "b_unknown"}
    ) == {"batches": []}
    theirs = other.call("webhooks.getBatches", {"webhookId": made["webhookId"]})
    assert theirs.status_code == 404
    assert error(theirs)["field"] == "webhookId"
    missing = me.call("webhooks.getBatches", {})
    assert missing.status_code == 400
    assert error(missing)["field"] == "webhookId"


def test_the_number_of_webhooks_is_limited(user: ApiUser, services: Services) -> None:
    limit = services.settings.webhooks.max_per_owner
    for n in range(limit):
        create(user, f"{PUBLIC}/{n}")
    response = user.call("webhooks.create", {"url": PUBLIC, "triggerIds": ["contact.added"]})
    assert response.status_code == 400
    assert error(response)["code"] == "limit_exceeded"


def test_contact_triggers_need_contacts_read_and_tag_triggers_tags_read(
    make_user: MakeUser,
) -> None:
    tags_only = make_user(frozenset({"tags.read"}))
    refused = tags_only.call("webhooks.create", {"url": PUBLIC, "triggerIds": ["contact.added"]})
    assert refused.status_code == 403
    mixed = tags_only.call(
        "webhooks.create", {"url": PUBLIC, "triggerIds": ["tag.added", "contact.added"]}
    )
    assert mixed.status_code == 403
    tag_hook = create(tags_only, triggers=["tag.added"])
    assert tags_only.ok("webhooks.search")["webhooks"] == [
        {k: v for k, v in tag_hook.items() if k != "secret"}
    ]
    nothing = make_user(frozenset({"account.read"}))
    assert nothing.call("webhooks.search").status_code == 403
    assert nothing.ok("webhooks.getTriggers")["triggers"]


def test_a_token_sees_only_webhooks_whose_data_it_may_read(
    make_user: MakeUser, services: Services
) -> None:
    full = make_user()
    contact_hook = create(full)
    tag_hook = create(full, triggers=["tag.updated"])
    issued = services.credentials.issue(full.account_id, frozenset({"tags.read"}))
    narrow = type(full)(full.client, full.account_id, full.email, issued.secret)
    ids = [contact_hook["webhookId"], tag_hook["webhookId"]]
    shown = narrow.ok("webhooks.get", {"webhookIds": ids})["webhooks"]
    assert [w["webhookId"] for w in shown] == [tag_hook["webhookId"]]
    refused = narrow.call("webhooks.delete", {"webhookId": contact_hook["webhookId"]})
    assert refused.status_code == 403
    refused = narrow.call("webhooks.getBatches", {"webhookId": contact_hook["webhookId"]})
    assert refused.status_code == 403


def test_bodies_are_checked_field_by_field(user: ApiUser) -> None:
    cases = [
        ("webhooks.create", {"triggerIds": ["contact.added"]}, "url"),
        ("webhooks.create", {"url": PUBLIC}, "triggerIds"),
        ("webhooks.create", {"url": PUBLIC, "triggerIds": []}, "triggerIds"),
        ("webhooks.create", {"url": 7, "triggerIds": ["contact.added"]}, "url"),
        ("webhooks.create", {"url": PUBLIC, "triggerIds": ["contact.added"], "x": 1}, "x"),
        ("webhooks.get", {}, "webhookIds"),
        ("webhooks.get", {"webhookIds": ["a"], "page": "1"}, "page"),
        ("webhooks.delete", {}, "webhookId"),
        (
            "webhooks.create",
            {"url": "https://" + "a" * 3000, "triggerIds": ["contact.added"]},
            "url",
        ),
    ]
    for method, body, field in cases:
        response = user.call(method, body)
        assert response.status_code == 400, (method, body, response.text)
        assert error(response)["field"] == field, (method, body, response.text)


def test_team_webhooks_belong_to_the_team(make_user: MakeUser, services: Services) -> None:
    owner, member, stranger = make_user(), make_user(), make_user()
    team = services.teams.create(owner.account_id, "Hooks")
    services.teams.add_member(team.team_id, member.account_id)
    made = owner.ok(
        "webhooks.create",
        {"url": PUBLIC, "triggerIds": ["contact.added"], "teamId": team.team_id},
    )["webhook"]
    assert made["teamId"] == team.team_id
    seen = member.ok("webhooks.search", {"teamId": team.team_id})["webhooks"]
    assert [w["webhookId"] for w in seen] == [made["webhookId"]]
    assert member.ok("webhooks.search")["webhooks"] == []  # not the member's own
    assert stranger.call("webhooks.search", {"teamId": team.team_id}).status_code == 404
    personal = make_user(frozenset(s for s in ALL_SCOPES if not s.startswith("teams.")))
    services.teams.add_member(team.team_id, personal.account_id)
    assert personal.call("webhooks.search", {"teamId": team.team_id}).status_code == 403
