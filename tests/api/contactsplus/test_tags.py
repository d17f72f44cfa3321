"""tags.get, tags.scroll, tags.create, tags.update, tags.delete and contacts.manageTags."""

from __future__ import annotations

import re

from rolodex.services import Services
from rolodex.store.changelog import ChangeLog
from tests.conftest import ApiUser, MakeUser

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def new_tag(user: ApiUser, name: str, **extra: object) -> dict:  # type: ignore[type-arg]
    return dict(user.ok("tags.create", {"tag": {"tagData": {"name": name}}, **extra})["tag"])


def error(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return dict(response.json()["error"])


# -- tags.create -------------------------------------------------------------------------


def test_create_returns_the_spec_tag_object(user: ApiUser) -> None:
    tag = new_tag(user, "  Developers ")
    assert set(tag) == {"tagId", "created", "updated", "etag", "tagData"}
    assert tag["tagData"] == {"name": "Developers"}
    assert ISO_MS.match(tag["created"])
    assert tag["created"] == tag["updated"]


def test_create_is_idempotent_by_name_ignoring_case_and_spaces(user: ApiUser) -> None:
    first = new_tag(user, "Developers")
    again = new_tag(user, "  dEVELOPERS  ")
    assert again == first
    assert len(user.ok("tags.scroll", {})["tags"]) == 1


def test_two_accounts_may_use_the_same_name(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    assert new_tag(alice, "VIP")["tagId"] != new_tag(bob, "VIP")["tagId"]


def test_create_refuses_empty_long_and_missing_names(user: ApiUser) -> None:
    for body, field in [
        ({"tag": {"tagData": {"name": "   "}}}, "tag.tagData.name"),
        ({"tag": {"tagData": {"name": "x" * 257}}}, "tag.tagData.name"),
        ({"tag": {"tagData": {}}}, "tag.tagData.name"),
        ({"tag": {"tagData": {"name": 5}}}, "tag.tagData.name"),
        ({}, "tag"),
        ({"tag": {"tagData": {"name": "a"}, "colour": "red"}}, "tag.colour"),
    ]:
        response = user.call("tags.create", body)
        assert response.status_code == 400, body
        assert error(response)["field"] == field
    assert new_tag(user, " " + "x" * 256 + " ")["tagData"]["name"] == "x" * 256
    assert user.ok("tags.scroll", {})["tags"][0]["tagData"]["name"] == "x" * 256


# -- tags.get ----------------------------------------------------------------------------


def test_get_returns_own_live_tags_in_the_order_asked(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    a, b = new_tag(alice, "a"), new_tag(alice, "b")
    theirs = new_tag(bob, "b")
    found = alice.ok(
        "tags.get", {"tagIds": [b["tagId"], "nope", theirs["tagId"], a["tagId"], b["tagId"]]}
    )
    assert found == {"tags": [b, a]}
    assert alice.call("tags.get", {"tagIds": []}).status_code == 400


# -- tags.scroll -------------------------------------------------------------------------


def test_scroll_pages_with_a_cursor_and_can_show_deleted_tags(user: ApiUser) -> None:
    made = [new_tag(user, f"tag {i}") for i in range(5)]
    gone = made[1]
    user.ok("tags.delete", {"tagId": gone["tagId"], "etag": gone["etag"]})
    seen, cursor = [], None
    while True:
        page = user.ok("tags.scroll", {"size": 2, "scrollCursor": cursor})
        seen += [t["tagId"] for t in page["tags"]]
        cursor = page.get("cursor")
        if cursor is None:
            break
    assert seen == [t["tagId"] for t in made if t is not gone]
    everything = user.ok("tags.scroll", {"includeDeletedTags": True})["tags"]
    assert [t["tagId"] for t in everything] == [t["tagId"] for t in made]
    assert everything[1]["deleted"] is True
    assert "deleted" not in everything[0]


def test_scroll_refuses_bad_cursors_and_sizes(user: ApiUser) -> None:
    assert error(user.call("tags.scroll", {"scrollCursor": "garbage!"}))["field"] == "scrollCursor"
    assert error(user.call("tags.scroll", {"size": 0}))["field"] == "size"


# -- tags.update -------------------------------------------------------------------------


def test_update_renames_with_the_current_etag(user: ApiUser) -> None:
    tag = new_tag(user, "Old")
    renamed = user.ok(
        "tags.update",
        {"tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": " New "}}},
    )["tag"]
    assert renamed["tagId"] == tag["tagId"]
    assert renamed["tagData"] == {"name": "New"}
    assert renamed["etag"] != tag["etag"]
    assert renamed["updated"] > tag["updated"]
    assert user.ok("tags.get", {"tagIds": [tag["tagId"]]})["tags"] == [renamed]


def test_update_accepts_tag_id_and_etag_beside_the_tag(user: ApiUser) -> None:
    # The spec's JavaScript example puts them at the top level.
    tag = new_tag(user, "Old")
    body = {"tagId": tag["tagId"], "etag": tag["etag"], "tag": {"tagData": {"name": "New"}}}
    assert user.ok("tags.update", body)["tag"]["tagData"] == {"name": "New"}


def test_update_with_a_stale_etag_is_a_conflict(user: ApiUser) -> None:
    tag = new_tag(user, "Old")
    body = {"tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": "New"}}}
    user.ok("tags.update", body)
    body["tag"]["tagData"] = {"name": "Newer"}
    response = user.call("tags.update", body)
    assert response.status_code == 409
    assert error(response)["code"] == "etag_conflict"
    assert user.ok("tags.get", {"tagIds": [tag["tagId"]]})["tags"][0]["tagData"]["name"] == "New"


def test_renaming_onto_another_tags_name_is_a_conflict(user: ApiUser) -> None:
    new_tag(user, "Taken")
    tag = new_tag(user, "Mine")
    body = {"tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": " TAKEN"}}}
    response = user.call("tags.update", body)
    assert response.status_code == 409
    assert error(response) | {"message": ""} == {
        "code": "conflict",
        "message": "",
        "field": "tag.tagData.name",
    }
    # A tag may change the case of its own name.
    body["tag"]["tagData"] = {"name": "MINE"}
    assert user.ok("tags.update", body)["tag"]["tagData"] == {"name": "MINE"}


def test_update_failures_name_the_field(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    tag = new_tag(alice, "Mine")
    cases = [
        ({"tag": {"tagId": tag["tagId"], "tagData": {"name": "x"}}}, 400, "tag.etag"),
        ({"tag": {"etag": tag["etag"], "tagData": {"name": "x"}}}, 400, "tag.tagId"),
        (
            {"tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": ""}}},
            400,
            "tag.tagData.name",
        ),
        (
            {
                "tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": "x"}},
                "tagId": "other",
            },
            400,
            "tagId",
        ),
        ({"tag": {"tagId": "missing", "etag": "e", "tagData": {"name": "x"}}}, 404, "tag.tagId"),
    ]
    for body, status, field in cases:
        response = alice.call("tags.update", body)
        assert response.status_code == status, (body, response.text)
        assert error(response)["field"] == field
    stolen = {"tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": "x"}}}
    assert bob.call("tags.update", stolen).status_code == 404
    assert alice.ok("tags.get", {"tagIds": [tag["tagId"]]})["tags"] == [tag]


# -- tags.delete -------------------------------------------------------------------------


def test_delete_needs_the_current_etag_and_answers_empty(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    tag = new_tag(alice, "Doomed")
    assert bob.call("tags.delete", {"tagId": tag["tagId"], "etag": tag["etag"]}).status_code == 404
    assert error(alice.call("tags.delete", {"tagId": tag["tagId"]}))["field"] == "etag"
    stale = alice.call("tags.delete", {"tagId": tag["tagId"], "etag": "stale"})
    assert stale.status_code == 409
    assert error(stale)["code"] == "etag_conflict"
    assert alice.ok("tags.delete", {"tagId": tag["tagId"], "etag": tag["etag"]}) == {}
    assert alice.ok("tags.get", {"tagIds": [tag["tagId"]]}) == {"tags": []}
    again = alice.call("tags.delete", {"tagId": tag["tagId"], "etag": tag["etag"]})
    assert again.status_code == 404
    # The name is free again, for a new tag.
    assert new_tag(alice, "doomed")["tagId"] != tag["tagId"]


def test_deleting_a_tag_takes_it_off_every_contact(user: ApiUser, services: Services) -> None:
    doomed, kept = new_tag(user, "Doomed"), new_tag(user, "Kept")
    carrier = user.create({"name": {"givenName": "Carrier"}})
    bystander = user.create({"name": {"givenName": "Bystander"}})
    tagged = user.ok(
        "contacts.manageTags",
        {"contactIds": [carrier["contactId"]], "addTagIds": [doomed["tagId"], kept["tagId"]]},
    )["contacts"][0]
    with services.store.read() as conn:
        mark = ChangeLog.last_seq(conn, user.account_id)
    user.ok("tags.delete", {"tagId": doomed["tagId"], "etag": doomed["etag"]})
    after, untouched = user.ok(
        "contacts.get", {"contactIds": [carrier["contactId"], bystander["contactId"]]}
    )["contacts"]
    assert after["contactMetadata"]["tagIds"] == [kept["tagId"]]
    assert after["etag"] != tagged["etag"]
    assert after["updated"] != tagged["updated"]
    assert untouched == bystander
    with services.store.read() as conn:
        changes = ChangeLog.since(conn, user.account_id, mark)
    assert [(c.entity, c.entity_id, c.action) for c in changes] == [
        ("tag", doomed["tagId"], "deleted"),
        ("contact", carrier["contactId"], "updated"),
    ]
    assert changes[1].etag == after["etag"]


def test_every_tag_write_is_in_the_change_log(user: ApiUser, services: Services) -> None:
    tag = new_tag(user, "Logged")
    new_tag(user, "logged")  # idempotent: no second change
    renamed = user.ok(
        "tags.update",
        {"tag": {"tagId": tag["tagId"], "etag": tag["etag"], "tagData": {"name": "L"}}},
    )["tag"]
    user.ok("tags.delete", {"tagId": tag["tagId"], "etag": renamed["etag"]})
    with services.store.read() as conn:
        changes = [c for c in ChangeLog.since(conn, user.account_id, 0) if c.entity == "tag"]
    assert [(c.entity_id, c.action) for c in changes] == [
        (tag["tagId"], "created"),
        (tag["tagId"], "updated"),
        (tag["tagId"], "deleted"),
    ]
    assert changes[0].etag == tag["etag"]
    assert changes[1].etag == renamed["etag"]


# -- contacts.manageTags -----------------------------------------------------------------


def test_manage_tags_adds_and_removes_and_answers_the_changed_contacts(user: ApiUser) -> None:
    a, b = new_tag(user, "a"), new_tag(user, "b")
    one = user.create({"name": {"givenName": "One"}})
    two = user.create({"name": {"givenName": "Two"}})
    both = user.ok(
        "contacts.manageTags",
        {"contactIds": [one["contactId"], two["contactId"]], "addTagIds": [a["tagId"]]},
    )["contacts"]
    assert [c["contactId"] for c in both] == [one["contactId"], two["contactId"]]
    assert all(c["contactMetadata"]["tagIds"] == [a["tagId"]] for c in both)
    assert both[0]["etag"] != one["etag"]
    assert both[0]["contactData"] == one["contactData"]
    swapped = user.ok(
        "contacts.manageTags",
        {
            "contactIds": [one["contactId"]],
            "addTagIds": [b["tagId"]],
            "removeTagIds": [a["tagId"]],
            "teamId": None,
        },
    )["contacts"]
    assert swapped[0]["contactMetadata"]["tagIds"] == [b["tagId"]]
    # Nothing to change on `two`: it is left alone and not in the answer.
    unchanged = user.ok(
        "contacts.manageTags", {"contactIds": [two["contactId"]], "removeTagIds": [b["tagId"]]}
    )
    assert unchanged == {"contacts": []}
    got = user.ok("contacts.get", {"contactIds": [one["contactId"], two["contactId"]]})
    assert got["contacts"] == [swapped[0], both[1]]


def test_manage_tags_with_unknown_ids_changes_nothing(make_user: MakeUser) -> None:
    user, other = make_user(), make_user()
    tag = new_tag(user, "t")
    foreign_tag = new_tag(other, "t")
    foreign_contact = other.create({"name": {"givenName": "Theirs"}})
    mine = user.create({"name": {"givenName": "Mine"}})
    cases = [
        (
            {"contactIds": [mine["contactId"], "c_nope"], "addTagIds": [tag["tagId"]]},
            "contactIds",
            "c_nope",
        ),
        (
            {
                "contactIds": [mine["contactId"], foreign_contact["contactId"]],
                "addTagIds": [tag["tagId"]],
            },
            "contactIds",
            foreign_contact["contactId"],
        ),
        (
            {"contactIds": [mine["contactId"]], "addTagIds": [tag["tagId"], "tg_nope"]},
            "addTagIds",
            "tg_nope",
        ),
        (
            {
                "contactIds": [mine["contactId"]],
                "addTagIds": [tag["tagId"]],
                "removeTagIds": [foreign_tag["tagId"]],
            },
            "removeTagIds",
            foreign_tag["tagId"],
        ),
    ]
    for body, field, named in cases:
        response = user.call("contacts.manageTags", body)
        assert response.status_code == 400, response.text
        assert error(response)["field"] == field
        assert named in error(response)["message"]
    assert user.ok("contacts.get", {"contactIds": [mine["contactId"]]})["contacts"] == [mine]
    assert other.ok("contacts.get", {"contactIds": [foreign_contact["contactId"]]})["contacts"] == [
        foreign_contact
    ]


def test_manage_tags_refuses_malformed_requests(user: ApiUser) -> None:
    tag = new_tag(user, "t")
    mine = user.create({})
    cases = [
        ({"addTagIds": [tag["tagId"]]}, "contactIds"),
        ({"contactIds": [], "addTagIds": [tag["tagId"]]}, "contactIds"),
        ({"contactIds": [mine["contactId"]]}, "addTagIds"),
        (
            {
                "contactIds": [mine["contactId"]],
                "addTagIds": [tag["tagId"]],
                "removeTagIds": [tag["tagId"]],
            },
            "removeTagIds",
        ),
        ({"contactIds": [mine["contactId"]], "addTagIds": "t"}, "addTagIds"),
    ]
    for body, field in cases:
        response = user.call("contacts.manageTags", body)
        assert response.status_code == 400, body
        assert error(response)["field"] == field


def test_deleted_contacts_cannot_be_tagged(user: ApiUser) -> None:
    tag = new_tag(user, "t")
    gone = user.create({})
    user.ok("contacts.delete", {"contactId": gone["contactId"], "etag": gone["etag"]})
    response = user.call(
        "contacts.manageTags", {"contactIds": [gone["contactId"]], "addTagIds": [tag["tagId"]]}
    )
    assert response.status_code == 400


# -- scopes ------------------------------------------------------------------------------


def test_tag_calls_need_their_scopes(make_user: MakeUser) -> None:
    owner = make_user()
    tag = new_tag(owner, "t")
    contact = owner.create({})
    reader = make_user(frozenset({"tags.read", "contacts.read"}))
    writer = make_user(frozenset({"tags.write", "contacts.read"}))
    for who, method, body, scope in [
        (writer, "tags.get", {"tagIds": ["x"]}, "tags.read"),
        (writer, "tags.scroll", {}, "tags.read"),
        (reader, "tags.create", {"tag": {"tagData": {"name": "n"}}}, "tags.write"),
        (
            reader,
            "tags.update",
            {"tag": {"tagId": "x", "etag": "e", "tagData": {"name": "n"}}},
            "tags.write",
        ),
        (reader, "tags.delete", {"tagId": "x", "etag": "e"}, "tags.write"),
        (
            writer,
            "contacts.manageTags",
            {"contactIds": ["c"], "addTagIds": ["x"]},
            "contacts.write",
        ),
    ]:
        response = who.call(method, body)
        assert response.status_code == 403, method
        assert scope in response.headers["www-authenticate"]
    assert owner.ok("tags.get", {"tagIds": [tag["tagId"]]})["tags"] == [tag]
    assert owner.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"] == [contact]


def test_batch_limits_are_a_400_naming_the_field(user: ApiUser) -> None:
    many = [f"id{i}" for i in range(1001)]
    assert error(user.call("tags.get", {"tagIds": many}))["field"] == "tagIds"
    response = user.call("contacts.manageTags", {"contactIds": many, "addTagIds": ["t"]})
    assert response.status_code == 400
    assert error(response)["field"] == "contactIds"
    response = user.call("contacts.manageTags", {"contactIds": ["c"], "addTagIds": many})
    assert response.status_code == 400
    assert error(response)["field"] == "addTagIds"
