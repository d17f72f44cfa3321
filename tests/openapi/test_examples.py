"""Real requests, valid and invalid, whose answers must match the documents exactly.

Each answer's status must be one its operation lists and its body must fit the schema
the document gives for that status (tests/openapi/conformance.py).
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from rolodex.oauth.credentials import API_KEY
from rolodex.services import Services
from tests.conftest import ApiUser
from tests.openapi.conformance import check_response
from tests.photos.factories import image_bytes

# A public address needs no DNS; nothing is delivered to it here.
HOOK = "https://93.184.215.14/hooks/openapi"


def test_contactsplus_answers_match_the_document(
    user: ApiUser, make_user: Any, services: Services
) -> None:
    def call(method: str, body: Any = None, **kw: Any) -> Any:
        return check_response(user.call(method, body, **kw))

    contact = call("contacts.create", {"contact": {"contactData": {"displayName": "Ada"}}}).json()
    contact = contact["contact"]
    tag = call("tags.create", {"tag": {"tagData": {"name": "vip"}}}).json()["tag"]
    call("contacts.manageTags", {"contactIds": [contact["contactId"]], "addTagIds": [tag["tagId"]]})
    for method, body in [
        ("account.get", {}),
        ("teams.get", {}),
        ("contacts.get", {"contactIds": [contact["contactId"], "nope"]}),
        ("contacts.scroll", {"size": 1}),
        ("contacts.scroll", {"size": 0}),
        ("contacts.search", {"searchQuery": "Ada"}),
        ("contacts.search", {"searchQuery": 5}),
        ("contacts.update", {"contact": {"contactId": contact["contactId"], "etag": "stale"}}),
        ("contacts.update", {"contact": {"contactId": "missing", "contactData": {}}}),
        ("contacts.changeOwner", {"contactIds": [contact["contactId"]]}),
        ("contacts.get", {"contactIds": ["x"], "teamId": "team_nope"}),
        ("contacts.create", {"contact": {"contactData": {"displayName": 1}}}),
        ("contacts.create", {"unknown": True}),
        ("tags.get", {"tagIds": [tag["tagId"]]}),
        ("tags.scroll", {"includeDeletedTags": True}),
        ("tags.update", {"tag": {"tagId": tag["tagId"], "etag": "x", "tagData": {"name": "a"}}}),
        ("tags.create", {"tag": {"tagData": {"name": "VIP"}}}),
        ("webhooks.getTriggers", {}),
        ("webhooks.create", {"url": HOOK, "triggerIds": ["contact.added"]}),
        ("webhooks.create", {"url": HOOK, "triggerIds": ["nope"]}),
        ("webhooks.search", {}),
        ("webhooks.getBatches", {"webhookId": "nope"}),
        ("contacts.getHistory", {"contactId": contact["contactId"]}),
        ("contacts.getHistory", {"contactId": "missing"}),
        ("contacts.restoreVersion", {"contactId": contact["contactId"], "versionId": "x"}),
        ("contacts.getTrash", {"size": 1}),
        ("contacts.undelete", {"contactId": contact["contactId"]}),
        ("contacts.undoCredential", {"credentialName": "x", "since": "2026-01-01", "dryRun": True}),
        ("contacts.undoCredential", {"since": "nope"}),
    ]:
        call(method, body)
    webhook = user.ok("webhooks.search", {})["webhooks"][0]
    call("webhooks.get", {"webhookIds": [webhook["webhookId"]]})
    call("webhooks.getBatches", {"webhookId": webhook["webhookId"]})
    call("webhooks.delete", {"webhookId": webhook["webhookId"]})
    call("contacts.delete", {"contactId": contact["contactId"], "etag": "stale"})
    # The history extension, with something in it.
    current = user.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"][0]
    call("contacts.delete", {"contactId": contact["contactId"], "etag": current["etag"]})
    call("contacts.getTrash", {})
    call("contacts.getHistory", {"contactId": contact["contactId"], "size": 1})
    back = call("contacts.undelete", {"contactId": contact["contactId"]}).json()["contact"]
    version = user.ok("contacts.getHistory", {"contactId": contact["contactId"]})["versions"][0]
    restore = {"contactId": contact["contactId"], "versionId": version["versionId"]}
    call("contacts.restoreVersion", {**restore, "etag": "stale"})
    call("contacts.restoreVersion", {**restore, "etag": back["etag"]})
    # Body, media type and credential failures.
    check_response(
        user.client.post(
            "/api/v1/contacts.scroll",
            content=b"{}",
            headers={"Authorization": f"Bearer {user.token}", "Content-Type": "text/plain"},
        )
    )
    check_response(user.client.post("/api/v1/contacts.scroll", json={}))
    check_response(
        user.client.post(
            "/api/v1/contacts.scroll", json={}, headers={"Authorization": "Bearer rdx_at_nope"}
        )
    )
    narrow = make_user(frozenset({"account.read"}))
    check_response(narrow.call("contacts.scroll", {}))
    check_response(narrow.call("webhooks.getTriggers", {}))


def test_photo_upload_and_read_match_the_document(user: ApiUser) -> None:
    contact = user.create({"displayName": "Photo"})
    headers = {"Authorization": f"Bearer {user.token}"}

    def upload(contact_json: bytes, image: bytes, kind: str = "image/png") -> Any:
        files = {
            "contact.json": ("contact.json", contact_json, "application/json"),
            "photo": ("p.png", image, kind),
        }
        return check_response(
            user.client.post("/api/v1/contacts.uploadPhoto", files=files, headers=headers)
        )

    target = f'{{"contactId": "{contact["contactId"]}"}}'.encode()
    done = upload(target, image_bytes("PNG"))
    assert done.status_code == 200
    upload(target, b"not an image", "text/plain")
    upload(b'{"contactId": "nope"}', image_bytes("PNG"))
    upload(b"[]", image_bytes("PNG"))
    check_response(user.client.post("/api/v1/contacts.uploadPhoto", json={}, headers=headers))
    url = done.json()["contact"]["contactData"]["photos"][0]["value"]
    path = "/" + url.split("/", 3)[3] if url.startswith("http") else url
    assert user.client.get(path).status_code == 200
    check_response(user.client.get(path.split("?")[0] + "?size=huge"))
    check_response(user.client.get("/photos/nothing"))


def test_oauth_endpoints_match_the_document(client: TestClient) -> None:
    for prefix in ("/v3/", "/api/v1/"):
        check_response(client.post(prefix + "oauth.exchangeAuthCode", data={"code": "x"}))
        check_response(client.post(prefix + "oauth.refreshToken", data={"refresh_token": "x"}))
        check_response(client.post(prefix + "oauth.verifyAccessToken", data={}))
        check_response(
            client.post(prefix + "oauth.verifyAccessToken", data={"access_token": "nope"})
        )


def test_verify_access_token_answer(user: ApiUser) -> None:
    response = user.client.post("/v3/oauth.verifyAccessToken", data={"access_token": user.token})
    assert check_response(response).status_code == 200


def test_rest_answers_match_the_document(user: ApiUser, services: Services) -> None:
    key = services.credentials.issue(
        user.account_id, frozenset({"contacts.read", "contacts.write"}), kind=API_KEY
    ).secret

    def req(method: str, path: str = "", **kw: Any) -> Any:
        headers = {"x-api-key": key, **kw.pop("headers", {})}
        return check_response(
            user.client.request(method, f"/v1/contacts{path}", headers=headers, **kw)
        )

    made = req("POST", json={"name": "Ada", "phoneNumber": "1", "tags": ["a"]}).json()
    cid = made["id"]
    req("POST", json={"name": "Ada"})
    req("POST", json={"name": "Ada", "phoneNumber": "1", "stage": "Nope"})
    req("POST", content=b"{", headers={"Content-Type": "application/json"})
    req("POST", content=b"x=1", headers={"Content-Type": "text/plain"})
    req("GET")
    req("GET", params={"limit": 0})
    req("GET", params={"tags": "a", "searchText": "Ada"})
    req("GET", params={"searchText": '"'})
    req("GET", f"/{cid}")
    req("GET", "/missing")
    req("PUT", f"/{cid}", json={"name": "Ada", "phoneNumber": "2"})
    req("PUT", f"/{cid}", json={"name": "Ada", "phoneNumber": "2"}, headers={"If-Match": '"x"'})
    req("PUT", "/missing", json={"name": "Ada", "phoneNumber": "2"})
    req("POST", f"/{cid}/tags/add", json={"tags": ["b"]})
    req("POST", f"/{cid}/tags/remove", json={"tags": ["a", "zzz"]})
    req("POST", f"/{cid}/tags/add", json={"tags": "b"})
    req("DELETE", f"/{cid}", headers={"If-Match": '"x"'})
    req("DELETE", f"/{cid}")
    req("DELETE", f"/{cid}")
    req("GET", headers={"x-api-key": "rdx_key_nope"})
    check_response(user.client.get("/v1/contacts"))


def test_personal_answers_match_the_document(user: ApiUser) -> None:
    def req(method: str, path: str = "", **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {user.token}", **kw.pop("headers", {})}
        return check_response(
            user.client.request(method, f"/api/user/contacts{path}", headers=headers, **kw)
        )

    token = req("POST", "/sync_tokens").json()["token"]
    cid = req("POST", json={"name": "Ada", "email": "ada@example.com"}).json()["id"]
    req("POST", json={"name": ""})
    req("POST", json={"nickname": "x"})
    req("GET")
    req("GET", params={"top": 101})
    req("GET", f"/{cid}")
    req("GET", "/missing")
    req("POST", f"/{cid}", json={"title": "Countess"})
    req("POST", f"/{cid}", json={"title": "x"}, headers={"If-Match": '"stale"'})
    req("POST", f"/{cid}/favorite")
    req("POST", f"/{cid}/unfavorite")
    req("POST", f"/sync_tokens/{token}/diff")
    req("POST", "/sync_tokens/nope/diff")
    req("POST", f"/{cid}/destroy")
    req("POST", f"/{cid}/destroy")
    req("POST", f"/sync_tokens/{token}/diff")
    req("GET", headers={"Authorization": "Bearer nope"})
    check_response(user.client.get("/api/user/contacts"))


def test_the_duplicates_extensions_answer_as_documented(user: ApiUser, make_user: Any) -> None:
    """`contacts.findDuplicates`, `contacts.merge` and `contacts.unmerge` (issue 25): marked
    as extensions, and every answer, good or refused, fits the document."""
    document = user.client.get("/openapi/contactsplus.json").json()
    for method in ("contacts.findDuplicates", "contacts.merge", "contacts.unmerge"):
        assert document["paths"][f"/api/v1/{method}"]["post"]["x-rolodex-extension"] is True

    def call(method: str, body: Any = None) -> Any:
        return check_response(user.call(method, body))

    ids = [
        user.create({"name": {"givenName": "Bob", "familyName": "Lee"}, "emails": [{"value": e}]})[
            "contactId"
        ]
        for e in ("bob@lee.example", "BOB@lee.example")
    ]
    assert call("contacts.findDuplicates", {"size": 1}).status_code == 200
    call("contacts.findDuplicates", {"minScore": 2})
    call("contacts.findDuplicates", {"cursor": "nope"})
    call("contacts.merge", {"contactIds": ids, "dryRun": True})
    call("contacts.merge", {"contactIds": ids[:1]})
    call("contacts.merge", {"contactIds": [ids[0], "c_nope"]})
    merged = call("contacts.merge", {"contactIds": ids}).json()
    survivor = merged["contact"]
    user.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": survivor["contactId"],
                "etag": survivor["etag"],
                "contactData": {"notes": "since"},
            }
        },
    )
    assert call("contacts.unmerge", {"mergeId": merged["mergeId"]}).status_code == 409
    assert (
        call("contacts.unmerge", {"mergeId": merged["mergeId"], "force": True}).status_code == 200
    )
    assert call("contacts.unmerge", {"mergeId": merged["mergeId"]}).status_code == 409
    call("contacts.unmerge", {"mergeId": "m_nope"})
    narrow = make_user(frozenset({"contacts.read"}))
    assert check_response(narrow.call("contacts.merge", {"contactIds": ids})).status_code == 403
