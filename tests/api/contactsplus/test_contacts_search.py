"""contacts.search as a Contacts+ client calls it: the request, the answer, the errors."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from tests.conftest import ApiUser, MakeUser


def names(answer: dict[str, Any]) -> list[str]:
    return [c["contactData"]["name"]["givenName"] for c in answer["contacts"]]


def test_the_specs_own_example_works_verbatim(user: ApiUser) -> None:
    john = user.create({"name": {"givenName": "John"}, "organizations": [{"name": "Contacts+"}]})
    user.create({"name": {"givenName": "John"}, "organizations": [{"name": "Other"}]})
    user.create({"name": {"givenName": "Jim"}, "organizations": [{"name": "Contacts+"}]})
    answer = user.ok("contacts.search", {"searchQuery": "firstName:John AND company:Contacts+"})
    assert answer == {"contacts": [john]}


def test_nulls_are_absent_and_an_empty_result_is_an_empty_list(user: ApiUser) -> None:
    user.create({"name": {"givenName": "Ann"}})
    body = {
        "searchQuery": "nobody",
        "searchCursor": None,
        "tagIds": None,
        "teamId": None,
        "size": None,
    }
    assert user.ok("contacts.search", body) == {"contacts": []}


def test_an_empty_query_lists_every_contact_in_creation_order(user: ApiUser) -> None:
    first = user.create({"name": {"givenName": "First"}})
    second = user.create({"name": {"givenName": "Second"}})
    answer = user.ok("contacts.search", {"searchQuery": "  "})
    assert [c["contactId"] for c in answer["contacts"]] == [first["contactId"], second["contactId"]]


def test_the_cursor_pages_until_no_more_remain(user: ApiUser) -> None:
    for i in range(5):
        user.create({"name": {"givenName": f"Robin{i}"}})
    user.create({"name": {"givenName": "Unrelated"}})
    seen: list[str] = []
    body: dict[str, Any] = {"searchQuery": "robin", "size": 2}
    while True:
        answer = user.ok("contacts.search", body)
        seen += names(answer)
        if "cursor" not in answer:
            break
        body["searchCursor"] = answer["cursor"]
    assert seen == [f"Robin{i}" for i in range(5)]
    # The spec's prose calls the cursor "scrollCursor": that name works too.
    first = user.ok("contacts.search", {"searchQuery": "robin", "size": 2})
    again = user.ok(
        "contacts.search", {"searchQuery": "robin", "size": 2, "scrollCursor": first["cursor"]}
    )
    assert names(again) == ["Robin2", "Robin3"]


def test_tag_ids_keep_contacts_carrying_all_of_them(user: ApiUser) -> None:
    tagged = user.create({"name": {"givenName": "Tagged"}})
    user.create({"name": {"givenName": "Plain"}})
    tag = user.ok("tags.create", {"tag": {"tagData": {"name": "friends"}}})["tag"]
    user.ok(
        "contacts.manageTags",
        {"contactIds": [tagged["contactId"]], "addTagIds": [tag["tagId"]]},
    )
    answer = user.ok("contacts.search", {"searchQuery": "", "tagIds": [tag["tagId"]]})
    assert names(answer) == ["Tagged"]
    assert names(user.ok("contacts.search", {"searchQuery": "tag:Friends"})) == ["Tagged"]


def test_a_bad_query_is_a_400_naming_the_field_and_the_position(user: ApiUser) -> None:
    response = user.call("contacts.search", {"searchQuery": 'name:"unclosed'})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "searchQuery"
    assert "quote" in error["message"]
    assert "at character 6" in error["message"]
    response = user.call("contacts.search", {"searchQuery": "color:blue"})
    assert response.status_code == 400
    assert "unknown field 'color:'" in response.json()["error"]["message"]


def test_request_errors_name_their_field(user: ApiUser) -> None:
    cases = [
        ({}, "searchQuery"),
        ({"searchQuery": None}, "searchQuery"),
        ({"searchQuery": 5}, "searchQuery"),
        ({"searchQuery": "a", "size": 0}, "size"),
        ({"searchQuery": "a", "size": 1001}, "size"),
        ({"searchQuery": "a", "searchCursor": "nope"}, "searchCursor"),
        ({"searchQuery": "a", "tagIds": "x"}, "tagIds"),
        ({"searchQuery": "a", "color": "blue"}, "color"),
    ]
    for body, field in cases:
        response = user.call("contacts.search", body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"]["field"] == field, body


def test_search_needs_the_contacts_read_scope(make_user: MakeUser) -> None:
    limited = make_user(scopes=ALL_SCOPES - {"contacts.read"})
    response = limited.call("contacts.search", {"searchQuery": "x"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_accounts_never_see_each_others_contacts(make_user: MakeUser) -> None:
    ann, bob = make_user(), make_user()
    ann.create({"name": {"givenName": "Secret"}})
    assert bob.ok("contacts.search", {"searchQuery": "secret"}) == {"contacts": []}
    assert bob.ok("contacts.search", {"searchQuery": ""}) == {"contacts": []}
    assert names(ann.ok("contacts.search", {"searchQuery": "secret"})) == ["Secret"]


FRAGMENTS = [
    "john",
    "Jo",
    "é",
    "Ø",
    "日本",
    "phone:",
    "name:",
    "tag:",
    "email:",
    "firstName:",
    "foo:",
    " ",
    " ",
    "(",
    ")",
    '"',
    "*",
    "^",
    "-",
    "+",
    ":",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "'",
    "\\",
    "&",
    "|",
    "!",
    "<->",
    "{",
    "}",
    ",",
    "0100",
    "(415) 555-0100",
    "+1",
    "\x00",
    "😀",
    "\u0301",
    "\t",
    "%",
    "_",
    ";",
    "--",
    "/*",
]
queries = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
    st.text(max_size=60),
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries)
def test_no_query_is_a_server_error(user: ApiUser, query: str) -> None:
    response = user.call("contacts.search", {"searchQuery": query})
    assert response.status_code in (200, 400), (query, response.text)
    if response.status_code == 400:
        # A body the JSON reader refuses (a NUL character, say) names no field.
        assert response.json()["error"].get("field") in ("searchQuery", None)


def test_escaped_lone_surrogates_and_nul_are_not_server_errors(user: ApiUser) -> None:
    for raw in (b'{"searchQuery": "\\ud800 x"}', b'{"searchQuery": "tag:\\u0000a"}'):
        response = user.client.post(
            "/api/v1/contacts.search",
            content=raw,
            headers={"Authorization": f"Bearer {user.token}", "Content-Type": "application/json"},
        )
        assert response.status_code in (200, 400), (raw, response.text)


def test_team_search_finds_the_teams_contacts_for_members_only(
    make_user: MakeUser, services: Services
) -> None:
    owner, member, stranger = make_user(), make_user(), make_user()
    team = services.teams.create(owner.account_id, "Sales")
    services.teams.add_member(team.team_id, member.account_id)
    made = member.ok(
        "contacts.create",
        {"contact": {"contactData": {"name": {"givenName": "Teamed"}}}, "teamId": team.team_id},
    )["contact"]
    member.create({"name": {"givenName": "Teamed", "familyName": "Personal"}})
    body = {"searchQuery": "teamed", "teamId": team.team_id}
    assert owner.ok("contacts.search", body) == {"contacts": [made]}
    assert [c["contactId"] for c in member.ok("contacts.search", body)["contacts"]] == [
        made["contactId"]
    ]
    assert stranger.call("contacts.search", body).status_code in (403, 404)
    assert owner.ok("contacts.search", {"searchQuery": "teamed"}) == {"contacts": []}
