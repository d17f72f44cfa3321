"""`contacts.uploadPhoto` over real HTTP, and the photo URLs it puts into contacts."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest
from PIL import Image
from starlette.testclient import TestClient

from rolodex.oauth.scopes import ALL_SCOPES
from rolodex.services import Services
from rolodex.store.changelog import ChangeLog
from tests.conftest import ApiUser
from tests.photos.factories import (
    BLUE,
    GPS_IFD,
    RED,
    close_to,
    encode,
    image_bytes,
    jpeg_with_gps_and_orientation,
    png_cut_in_image_data,
    png_declaring,
    two_tone,
)

UPLOAD = "/api/v1/contacts.uploadPhoto"


def upload(
    user: ApiUser,
    image: bytes,
    contact: Any,
    *,
    part: str = "image.png",
    filename: str | None = "image.png",
    token: str | None = None,
) -> Any:
    """Post the way the Contacts+ clients do: a contact.json part and an image part."""
    files = {
        "contact.json": (None, orjson.dumps(contact), "application/json"),
        part: (filename, image, "application/octet-stream"),
    }
    return user.client.post(
        UPLOAD, files=files, headers={"Authorization": f"Bearer {token or user.token}"}
    )


def uploaded(user: ApiUser, image: bytes, contact_id: str, **kwargs: Any) -> dict[str, Any]:
    response = upload(user, image, {"contact": {"contactId": contact_id}}, **kwargs)
    assert response.status_code == 200, response.text
    return dict(response.json()["contact"])


def fetch(client: TestClient, url: str, **headers: str) -> Any:
    return client.get(url, headers=headers)


def assert_unchanged(user: ApiUser, before: dict[str, Any]) -> None:
    after = user.ok("contacts.get", {"contactIds": [before["contactId"]]})["contacts"][0]
    assert after == before


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_upload_of_each_format_prepends_a_served_photo(
    user: ApiUser, fmt: str, content_type: str
) -> None:
    contact = user.create(
        {"displayName": "Ada", "photos": [{"type": "url", "value": "https://example.com/a.png"}]}
    )
    updated = uploaded(user, image_bytes(fmt), contact["contactId"])

    photos = updated["contactData"]["photos"]
    assert photos[1] == {"type": "url", "value": "https://example.com/a.png"}
    assert photos[0]["type"] == "uploaded"
    url = photos[0]["value"]
    assert url.startswith("/photos/p_")
    served = fetch(user.client, url)
    assert served.status_code == 200
    assert served.headers["content-type"] == content_type
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (40, 20)
    thumb = fetch(user.client, url + "?size=thumb")
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == content_type


def test_the_image_part_may_have_any_name_and_no_file_name(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    response = upload(
        user, image_bytes("PNG"), {"contactId": contact["contactId"]}, part="file3", filename=None
    )
    assert response.status_code == 200, response.text
    assert response.json()["contact"]["contactData"]["photos"][0]["type"] == "uploaded"


def test_upload_is_a_write_new_etag_updated_and_a_change_logged(
    user: ApiUser, services: Services
) -> None:
    contact = user.create({"displayName": "Ada"})
    with services.store.read() as conn:
        seq = ChangeLog.last_seq(conn, user.account_id)
    updated = uploaded(user, image_bytes("JPEG"), contact["contactId"])
    assert updated["etag"] != contact["etag"]
    assert updated["updated"] > contact["updated"]
    with services.store.read() as conn:
        changes = ChangeLog.since(conn, user.account_id, seq)
    assert [(c.entity_id, c.action, c.etag) for c in changes] == [
        (contact["contactId"], "updated", updated["etag"])
    ]
    # And reads agree with the answer.
    assert user.ok("contacts.get", {"contactIds": [contact["contactId"]]})["contacts"][0] == updated


def test_a_stale_etag_in_contact_json_is_a_conflict(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    response = upload(
        user, image_bytes("PNG"), {"contact": {"contactId": contact["contactId"], "etag": "old"}}
    )
    assert response.status_code == 409
    assert_unchanged(user, contact)


def test_gps_exif_never_reaches_storage_and_the_photo_is_upright(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    updated = uploaded(user, jpeg_with_gps_and_orientation(6), contact["contactId"])
    url = updated["contactData"]["photos"][0]["value"]
    for variant in (url, url + "?size=thumb"):
        served = fetch(user.client, variant)
        assert b"Exif" not in served.content
        assert b"SpyCam" not in served.content
        with Image.open(io.BytesIO(served.content)) as image:
            assert not image.getexif().get_ifd(GPS_IFD)
            assert image.height > image.width  # turned as the Orientation tag said
    with Image.open(io.BytesIO(fetch(user.client, url).content)) as image:
        rgb = image.convert("RGB")
        assert close_to(rgb.getpixel((10, 5)), RED)
        assert close_to(rgb.getpixel((10, 35)), BLUE)


@pytest.mark.parametrize(
    ("image", "status", "code"),
    [
        (encode(two_tone(), "BMP"), 415, "unsupported_media_type"),
        (b"%PDF-1.4 not an image at all", 415, "unsupported_media_type"),
        (image_bytes("PNG", (300, 300))[:400], 400, "invalid_image"),
        (png_cut_in_image_data(), 400, "invalid_image"),
        (png_declaring(100_000, 100_000), 413, "image_too_large"),
        (png_declaring(10_000, 5_000), 413, "image_too_large"),
    ],
    ids=["bmp", "not-an-image", "truncated", "cut-in-image-data", "bomb", "over-pixel-limit"],
)
def test_refused_images_change_nothing(user: ApiUser, image: bytes, status: int, code: str) -> None:
    contact = user.create({"displayName": "Ada"})
    response = upload(user, image, {"contact": {"contactId": contact["contactId"]}})
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["field"] == "image"
    assert_unchanged(user, contact)


def test_a_large_image_is_stored_scaled_down_to_the_stored_size(
    user: ApiUser, services: Services
) -> None:
    contact = user.create({"displayName": "Ada"})
    max_side = services.settings.photo_max_side
    updated = uploaded(user, encode(two_tone(3 * max_side, max_side), "PNG"), contact["contactId"])
    url = updated["contactData"]["photos"][0]["value"]
    with Image.open(io.BytesIO(fetch(user.client, url).content)) as stored:
        assert stored.size == (max_side, round(max_side / 3))
        rgb = stored.convert("RGB")
        assert close_to(rgb.getpixel((5, 5)), RED)
        assert close_to(rgb.getpixel((max_side - 5, 5)), BLUE)
    with Image.open(io.BytesIO(fetch(user.client, url + "?size=thumb").content)) as thumb:
        assert thumb.size == (256, 85)


def test_an_image_over_the_byte_limit_is_413(user: ApiUser, services: Services) -> None:
    contact = user.create({"displayName": "Ada"})
    too_big = b"\xff\xd8" + b"\x00" * services.settings.photo_max_bytes
    response = upload(user, too_big, {"contact": {"contactId": contact["contactId"]}})
    assert response.status_code == 413
    assert_unchanged(user, contact)


@pytest.mark.parametrize(
    ("contact_json", "field"),
    [
        ({}, "contact.contactId"),
        ({"contact": {"contactId": "c_1"}, "contactId": "c_1"}, "contact.contactId"),
        ({"contact": {"contactId": 5}}, "contact.contactId"),
        ({"contact": {"contactId": "c_1", "surprise": 1}}, "contact.surprise"),
    ],
)
def test_a_bad_contact_json_is_a_400_naming_the_field(
    user: ApiUser, contact_json: Any, field: str
) -> None:
    response = upload(user, image_bytes("PNG"), contact_json)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_missing_parts_and_wrong_content_type_are_refused(user: ApiUser) -> None:
    auth = {"Authorization": f"Bearer {user.token}"}
    only_json = user.client.post(
        UPLOAD,
        files={"contact.json": (None, b'{"contactId": "c_1"}', "application/json")},
        headers=auth,
    )
    assert only_json.status_code == 400
    only_image = user.client.post(
        UPLOAD, files={"image.png": ("image.png", image_bytes("PNG"), "image/png")}, headers=auth
    )
    assert only_image.status_code == 400
    as_json = user.call("contacts.uploadPhoto", {"contactId": "c_1"})
    assert as_json.status_code == 415


def test_uploading_without_a_token_is_401(user: ApiUser) -> None:
    response = user.client.post(UPLOAD, files={"contact.json": (None, b"{}", "application/json")})
    assert response.status_code == 401


def test_missing_write_scope_is_403(user: ApiUser, services: Services) -> None:
    contact = user.create({"displayName": "Ada"})
    weak = services.credentials.issue(user.account_id, ALL_SCOPES - {"contacts.write"})
    response = upload(
        user, image_bytes("PNG"), {"contactId": contact["contactId"]}, token=weak.secret
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert_unchanged(user, contact)


def test_another_accounts_contact_is_not_found(make_user: Any) -> None:
    alice, mallory = make_user(), make_user()
    contact = alice.create({"displayName": "Alice's friend"})
    response = upload(mallory, image_bytes("PNG"), {"contactId": contact["contactId"]})
    assert response.status_code == 404
    assert_unchanged(alice, contact)


def test_photo_urls_are_unguessable_and_unknown_ones_are_404(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    first = uploaded(user, image_bytes("PNG"), contact["contactId"])
    second = uploaded(user, image_bytes("PNG"), contact["contactId"])
    a, b = (p["value"] for p in second["contactData"]["photos"][:2])
    assert a != b
    assert b == first["contactData"]["photos"][0]["value"]
    photo_id = a.removeprefix("/photos/")
    assert len(photo_id) >= 2 + 22  # "p_" and 128 random bits in URL-safe base64
    guessed = "/photos/" + photo_id[:-1] + ("A" if photo_id[-1] != "A" else "B")
    assert fetch(user.client, guessed).status_code == 404
    assert fetch(user.client, "/photos/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert fetch(user.client, a + "?size=huge").status_code == 400


def test_serving_sends_etag_and_cache_headers_and_304_when_unchanged(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    url = uploaded(user, image_bytes("WEBP", (600, 300)), contact["contactId"])["contactData"][
        "photos"
    ][0]["value"]
    served = fetch(user.client, url)
    etag = served.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert "max-age" in served.headers["cache-control"]
    assert "private" in served.headers["cache-control"]
    assert served.headers["x-content-type-options"] == "nosniff"
    again = fetch(user.client, url, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert fetch(user.client, url, **{"If-None-Match": '"other"'}).status_code == 200
    thumb = fetch(user.client, url + "?size=thumb")
    assert thumb.headers["etag"] != etag


def test_list_reads_carry_urls_never_bytes(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    uploaded(user, image_bytes("PNG", (200, 200)), contact["contactId"])
    page = user.ok("contacts.scroll", {})
    mine = next(c for c in page["contacts"] if c["contactId"] == contact["contactId"])
    assert mine["contactData"]["photos"] == [
        {"type": "uploaded", "value": mine["contactData"]["photos"][0]["value"]}
    ]
    assert len(orjson.dumps(mine)) < 1000


def test_a_deleted_contacts_photos_stay_for_the_trash_and_go_with_it(
    user: ApiUser, services: Services
) -> None:
    contact = user.create({"displayName": "Ada"})
    updated = uploaded(user, image_bytes("PNG"), contact["contactId"])
    url = updated["contactData"]["photos"][0]["value"]
    assert fetch(user.client, url).status_code == 200
    user.ok("contacts.delete", {"contactId": contact["contactId"], "etag": updated["etag"]})
    # In the trash (docs/history.md): restorable with its photos.
    assert fetch(user.client, url).status_code == 200
    services.history.empty_trash(user.account_id)
    assert fetch(user.client, url).status_code == 404
    assert fetch(user.client, url + "?size=thumb").status_code == 404


def test_a_photo_removed_through_update_is_deleted_and_others_stay(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    uploaded(user, image_bytes("PNG"), contact["contactId"])
    latest = uploaded(user, image_bytes("GIF"), contact["contactId"])
    keep, drop = latest["contactData"]["photos"]
    data = {**latest["contactData"], "photos": [keep]}
    user.ok(
        "contacts.update",
        {
            "contact": {
                "contactId": contact["contactId"],
                "etag": latest["etag"],
                "contactData": data,
            }
        },
    )
    assert fetch(user.client, drop["value"]).status_code == 404
    assert fetch(user.client, keep["value"]).status_code == 200


def test_another_account_cannot_delete_a_photo_by_listing_its_url(make_user: Any) -> None:
    alice, mallory = make_user(), make_user()
    alices = alice.create({"displayName": "Ada"})
    url = uploaded(alice, image_bytes("PNG"), alices["contactId"])["contactData"]["photos"][0][
        "value"
    ]
    decoy = mallory.create({"displayName": "Decoy", "photos": [{"type": "x", "value": url}]})
    mallory.ok("contacts.delete", {"contactId": decoy["contactId"], "etag": decoy["etag"]})
    assert fetch(alice.client, url).status_code == 200


# -- team contacts -------------------------------------------------------------------------


def test_a_team_member_uploads_to_a_team_contact_and_emptying_the_trash_drops_the_photo(
    make_user: Any, services: Services
) -> None:
    owner, member = make_user(), make_user()
    team = services.teams.create(owner.account_id, "Sales").team_id
    services.teams.add_member(team, member.account_id)
    created = owner.ok(
        "contacts.create", {"contact": {"contactData": {"displayName": "Lead"}}, "teamId": team}
    )["contact"]
    response = upload(
        member,
        image_bytes("JPEG"),
        {"contact": {"contactId": created["contactId"], "teamId": team}},
    )
    assert response.status_code == 200, response.text
    updated = response.json()["contact"]
    url = updated["contactData"]["photos"][0]["value"]
    seen = owner.ok("contacts.get", {"contactIds": [created["contactId"]], "teamId": team})
    assert seen["contacts"][0]["contactData"]["photos"][0]["value"] == url
    assert fetch(owner.client, url).status_code == 200
    owner.ok(
        "contacts.delete",
        {"contactId": created["contactId"], "etag": updated["etag"], "teamId": team},
    )
    # The trash keeps it (docs/history.md) until it is emptied.
    assert fetch(owner.client, url).status_code == 200
    services.history.empty_trash(team)
    assert fetch(owner.client, url).status_code == 404


def test_team_uploads_need_membership_and_the_team_scope(
    make_user: Any, services: Services
) -> None:
    owner, outsider = make_user(), make_user()
    team = services.teams.create(owner.account_id, "Sales").team_id
    created = owner.ok(
        "contacts.create", {"contact": {"contactData": {"displayName": "Lead"}}, "teamId": team}
    )["contact"]
    target = {"contactId": created["contactId"], "teamId": team}
    stranger = upload(outsider, image_bytes("PNG"), target)
    assert stranger.status_code == 404
    assert stranger.json()["error"]["field"] == "teamId"
    personal_only = services.credentials.issue(
        owner.account_id, frozenset(s for s in ALL_SCOPES if not s.startswith("teams."))
    )
    refused = upload(owner, image_bytes("PNG"), target, token=personal_only.secret)
    assert refused.status_code == 403
    differ = upload(
        owner,
        image_bytes("PNG"),
        {"contact": {"contactId": created["contactId"], "teamId": "t_other"}, "teamId": team},
    )
    assert differ.status_code == 400
    assert differ.json()["error"]["field"] == "teamId"
    after = owner.ok("contacts.get", {"contactIds": [created["contactId"]], "teamId": team})
    assert after["contacts"][0] == created


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"--x\r\n"),
        ("multipart/form-data; boundary=x", b"this is not multipart at all"),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--x--\r\n",
        ),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="contact.json"\r\n\r\n{"contactId": "c',
        ),
        ("multipart/form-data; boundary=" + "x" * 200, b"--" + b"x" * 200 + b"--\r\n"),
    ],
    ids=["no-boundary", "garbage", "nameless-part", "truncated", "long-boundary"],
)
def test_malformed_multipart_is_a_400(user: ApiUser, content_type: str, body: bytes) -> None:
    response = user.client.post(
        UPLOAD,
        content=body,
        headers={"Authorization": f"Bearer {user.token}", "Content-Type": content_type},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_request"


def test_contact_json_that_is_not_json_is_a_400(user: ApiUser) -> None:
    response = user.client.post(
        UPLOAD,
        files={
            "contact.json": (None, b"{nope", "application/json"),
            "image": ("a.png", image_bytes("PNG"), "image/png"),
        },
        headers={"Authorization": f"Bearer {user.token}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "contact.json"


def test_too_many_parts_is_a_400(user: ApiUser) -> None:
    files = [("contact.json", (None, b'{"contactId": "c_1"}', "application/json"))]
    files += [(f"extra{i}", (None, b"x", "text/plain")) for i in range(9)]
    response = user.client.post(
        UPLOAD, files=files, headers={"Authorization": f"Bearer {user.token}"}
    )
    assert response.status_code == 400
    assert "parts" in response.json()["error"]["message"]


def test_head_answers_the_headers_without_the_bytes(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    url = uploaded(user, image_bytes("PNG"), contact["contactId"])["contactData"]["photos"][0][
        "value"
    ]
    full = user.client.get(url)
    head = user.client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(full.content))
    assert head.headers["etag"] == full.headers["etag"]
    assert head.headers["content-type"] == "image/png"


def test_an_unknown_token_is_401_before_the_body_is_read(user: ApiUser) -> None:
    contact = user.create({"displayName": "Ada"})
    response = upload(
        user, image_bytes("PNG"), {"contactId": contact["contactId"]}, token="rdx_at_nonsense"
    )
    assert response.status_code == 401
    assert "invalid_token" in response.headers["www-authenticate"]
    assert_unchanged(user, contact)


def test_other_http_methods_are_405(user: ApiUser) -> None:
    response = user.client.get(UPLOAD, headers={"Authorization": f"Bearer {user.token}"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
