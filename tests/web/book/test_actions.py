"""Actions on contacts over HTTP: delete and undo, tags (one and many), photos, team books."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from rolodex.errors import NotFound
from rolodex.services import Services
from tests.photos.factories import image_bytes
from tests.web.book.conftest import Reader, contact_id_in
from tests.web.browser import csrf_of, new_browser


def test_delete_then_undo_brings_the_contact_back_with_its_tags(
    reader: Reader, services: Services
) -> None:
    owner = reader.account_id(services)
    contact_id = reader.create({"name-givenName": "Sam", "emails-0-value": "sam@x.test"})
    page = f"/book/contacts/{contact_id}"
    tagged = reader.post(page, page + "/tags", {"tag_name": "Friends"})
    assert tagged.status_code == 303
    html = reader.get(page).text
    etag = re.search(r'name="etag" value="([^"]+)"', html)
    assert etag
    deleted = reader.post(page, page + "/delete", {"etag": etag.group(1)})
    assert deleted.status_code == 303
    assert reader.get(page).status_code == 404
    listing = reader.get(deleted.headers["location"])
    assert "Deleted <strong>Sam</strong>" in listing.text
    undo = re.search(r'action="(/book/contacts/[^"]+/restore)"', listing.text)
    tags = re.search(r'name="tags" value="([^"]*)"', listing.text)
    assert undo
    assert tags
    restored = reader.browser.http.post(
        undo.group(1),
        data={"csrf_token": csrf_of(listing.text), "tags": tags.group(1)},
        follow_redirects=False,
    )
    assert restored.status_code == 303
    back = services.contacts.get_one(owner, contact_id)
    assert back.data["emails"] == [{"value": "sam@x.test"}]
    assert [t.name for t in services.tags.get_many(owner, back.tag_ids)] == ["Friends"]
    assert "Friends" in reader.get(page).text


def test_undo_is_refused_after_the_window_and_for_live_contacts(
    reader: Reader, services: Services
) -> None:
    owner = reader.account_id(services)
    contact = services.contacts.create(owner, {"name": {"givenName": "Tia"}})
    services.contacts.delete(owner, contact.contact_id, etag=contact.etag)
    try:
        services.contacts.restore(owner, contact.contact_id, within_ms=-1)
    except NotFound:
        pass
    else:
        raise AssertionError("restored outside its window")
    live = reader.create({"name-givenName": "Live"})
    response = reader.post("/book", f"/book/contacts/{live}/restore", {})
    assert response.status_code == 410


def test_delete_with_a_stale_etag_is_refused(reader: Reader, services: Services) -> None:
    owner = reader.account_id(services)
    contact_id = reader.create({"name-givenName": "Uma"})
    page = f"/book/contacts/{contact_id}"
    html = reader.get(page).text

    def touch(c: object) -> None:
        c.data = {"name": {"givenName": "Uma B"}}  # type: ignore[attr-defined]

    services.contacts.modify(owner, contact_id, touch, expected_etag=None)
    token = csrf_of(html)
    stale = re.search(r'name="etag" value="([^"]+)"', html)
    assert stale
    response = reader.browser.http.post(
        page + "/delete",
        data={"csrf_token": token, "etag": stale.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 409
    assert "changed by someone else meanwhile" in response.text
    assert services.contacts.get_one(owner, contact_id).data["name"]["givenName"] == "Uma B"


def test_tag_many_contacts_at_once_then_filter_by_the_tag(
    reader: Reader, services: Services
) -> None:
    ids = [reader.create({"name-givenName": n}) for n in ("Vic", "Wes", "Xia")]
    added = reader.post(
        "/book",
        "/book/tags",
        {"ids": ids[:2], "tag_name": "Team A", "action": "add", "back": "/book"},
    )
    assert added.status_code == 303
    assert "notice=" in added.headers["location"]
    owner = reader.account_id(services)
    tag_id = services.contacts.get_one(owner, ids[0]).tag_ids[0]
    filtered = reader.get(f"/book?tag={tag_id}").text
    assert "Vic" in filtered
    assert "Wes" in filtered
    assert "Xia" not in filtered
    removed = reader.post(
        "/book", "/book/tags", {"ids": ids[0], "tag_name": "team a", "action": "remove"}
    )
    assert removed.status_code == 303
    assert services.contacts.get_one(owner, ids[0]).tag_ids == []
    assert services.contacts.get_one(owner, ids[1]).tag_ids == [tag_id]
    nothing = reader.post("/book", "/book/tags", {"tag_name": "x", "action": "add"})
    assert nothing.status_code == 400
    unknown = reader.post(
        "/book", "/book/tags", {"ids": ids[0], "tag_name": "no such", "action": "remove"}
    )
    assert unknown.status_code == 404


def test_tagging_an_unknown_contact_makes_no_tag(reader: Reader, services: Services) -> None:
    """The tag is made in the same transaction as the tagging: a refusal takes it back."""
    kept = reader.create({"name-givenName": "Zed"})
    owner = reader.account_id(services)
    refused = reader.post(
        "/book",
        "/book/tags",
        {"ids": [kept, "c_unknown"], "tag_name": "Fresh", "action": "add", "back": "/book"},
    )
    assert refused.status_code == 400
    assert services.tags.scroll(owner, include_deleted=True).tags == []
    assert services.contacts.get_one(owner, kept).tag_ids == []


def test_remove_a_tag_from_the_contact_page(reader: Reader, services: Services) -> None:
    contact_id = reader.create({"name-givenName": "Yan"})
    page = f"/book/contacts/{contact_id}"
    reader.post(page, page + "/tags", {"tag_name": "Club"})
    html = reader.get(page).text
    remove = re.search(r'name="remove" value="([^"]+)"', html)
    assert remove
    assert 'aria-label="Remove tag Club"' in html
    reader.post(page, page + "/tags", {"remove": remove.group(1)})
    owner = reader.account_id(services)
    assert services.contacts.get_one(owner, contact_id).tag_ids == []
    empty = reader.post(page, page + "/tags", {"tag_name": "  "})
    assert empty.status_code == 400
    assert "must not be empty" in empty.text


def _upload(reader: Reader, contact_id: str, payload: bytes, name: str = "me.png") -> object:
    page = reader.get(f"/book/contacts/{contact_id}").text
    return reader.browser.http.post(
        f"/book/contacts/{contact_id}/photo",
        data={"csrf_token": csrf_of(page)},
        files={"photo": (name, payload, "image/png")},
        follow_redirects=False,
    )


def test_upload_a_photo_and_see_its_thumbnail(reader: Reader, services: Services) -> None:
    contact_id = reader.create({"name-givenName": "Zed"})
    response = _upload(reader, contact_id, image_bytes("PNG", (300, 200)))
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = reader.get(f"/book/contacts/{contact_id}").text
    thumb = re.search(r'<img class="photo" src="([^"]+)"', page)
    assert thumb
    image = reader.browser.http.get(thumb.group(1).replace("&amp;", "&"))
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/")
    assert 'class="avatar" src="/photos/' in reader.get("/book").text


def test_a_file_that_is_not_an_image_is_refused_next_to_the_field(reader: Reader) -> None:
    contact_id = reader.create({"name-givenName": "Ada"})
    response = _upload(reader, contact_id, b"%PDF-1.4 not an image", "doc.png")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert 'id="photo-error"' in response.text  # type: ignore[attr-defined]


def test_team_members_switch_to_the_team_book_and_others_cannot(
    client: TestClient, reader: Reader, services: Services
) -> None:
    team = services.teams.create(reader.account_id(services), "Sales")
    mine = reader.get("/book").text
    assert f'value="{team.team_id}"' in mine
    assert "Sales (team)" in mine
    contact_id = reader.create({"name-givenName": "Team Lead"}, team=team.team_id)
    assert "Team Lead" in reader.get(f"/book?team={team.team_id}").text
    assert "Team Lead" not in reader.get("/book").text
    stored = services.contacts.get_one(team.team_id, contact_id)
    assert stored.meta["sharedBy"] == [reader.account_id(services)]
    page = reader.get(f"/book/contacts/{contact_id}?team={team.team_id}")
    assert page.status_code == 200
    assert f"team={team.team_id}" in page.text  # links stay in the team's book
    outsider = new_browser(client)
    outsider.sign_up()
    assert outsider.get(f"/book?team={team.team_id}").status_code == 404
    assert outsider.get(f"/book/contacts/{contact_id}?team={team.team_id}").status_code == 404
    assert contact_id_in(f"/book/contacts/{contact_id}") == contact_id


def test_restore_logs_an_update_after_the_delete_and_keeps_the_id(
    reader: Reader, services: Services
) -> None:
    from rolodex.store.changelog import ChangeLog

    owner = reader.account_id(services)
    contact = services.contacts.create(owner, {"name": {"givenName": "Ida"}})
    deleted = services.contacts.delete(owner, contact.contact_id, etag=contact.etag)
    restored = services.contacts.restore(owner, contact.contact_id, within_ms=60_000)
    assert restored.contact_id == contact.contact_id
    assert restored.etag not in (contact.etag, deleted.etag)
    assert services.contacts.get_one(owner, contact.contact_id).data == {
        "name": {"givenName": "Ida"}
    }
    with services.store.read() as conn:
        changes = [
            (c.action, c.etag)
            for c in ChangeLog.since(conn, owner, 0)
            if c.entity_id == contact.contact_id
        ]
    assert changes == [
        ("created", contact.etag),
        ("deleted", deleted.etag),
        ("updated", restored.etag),
    ]
