"""`tags.get`, `tags.scroll`, `tags.create`, `tags.update`, `tags.delete`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from rolodex.api.contactsplus.call import Call, Envelope
from rolodex.contacts.model import Text
from rolodex.contactsplus_objects import render_tag
from rolodex.errors import InvalidInput

Id = Annotated[str, Field(min_length=1, max_length=64)]
# Checked again after stripping, in the service (1 to 256 characters).
Name = Annotated[str, Field(max_length=1024)]

READ = {"scope": "tags.read", "team_scope": "teams.tags.read"}
WRITE = {"scope": "tags.write", "team_scope": "teams.tags.write"}


class TagData(Envelope):
    name: Name


class TagsGet(Envelope):
    tagIds: Annotated[list[Id], Field(min_length=1)]
    teamId: Id | None = None


class TagsScroll(Envelope):
    size: int | None = None
    scrollCursor: Annotated[str, Field(max_length=256)] | None = None
    includeDeletedTags: bool | None = None
    teamId: Id | None = None


class NewTag(Envelope):
    tagData: TagData


class TagsCreate(Envelope):
    tag: NewTag
    teamId: Id | None = None


class EditedTag(Envelope):
    tagId: Id | None = None
    etag: Text | None = None
    tagData: TagData
    # Read-only fields of a tag as this API returned it: accepted and ignored.
    created: Text | None = None
    updated: Text | None = None


class TagsUpdate(Envelope):
    tag: EditedTag
    # The spec's JavaScript example puts these beside `tag` rather than in it; both work.
    tagId: Id | None = None
    etag: Text | None = None
    teamId: Id | None = None


class TagsDelete(Envelope):
    tagId: Id
    etag: Text
    teamId: Id | None = None


def _one_of(inner: str | None, outer: str | None, name: str) -> str:
    """`tag.<name>` or top-level `<name>`: either may carry it, but they must agree."""
    if inner is not None and outer is not None and inner != outer:
        raise InvalidInput(f"differs from tag.{name}", field=name)
    value = inner if inner is not None else outer
    if value is None:
        raise InvalidInput("required to update a tag", field=f"tag.{name}")
    return value


def get(call: Call) -> dict[str, Any]:
    req = call.parse(TagsGet)
    owner = call.owner(req.teamId, **READ)
    return {"tags": [render_tag(t) for t in call.services.tags.get_many(owner, req.tagIds)]}


def scroll(call: Call) -> dict[str, Any]:
    req = call.parse(TagsScroll)
    owner = call.owner(req.teamId, **READ)
    page = call.services.tags.scroll(
        owner, size=req.size, cursor=req.scrollCursor, include_deleted=bool(req.includeDeletedTags)
    )
    out: dict[str, Any] = {"tags": [render_tag(t) for t in page.tags]}
    if page.cursor is not None:
        out["cursor"] = page.cursor
    return out


def create(call: Call) -> dict[str, Any]:
    req = call.parse(TagsCreate)
    owner = call.owner(req.teamId, **WRITE)
    return {"tag": render_tag(call.services.tags.create(owner, req.tag.tagData.name))}


def update(call: Call) -> dict[str, Any]:
    req = call.parse(TagsUpdate)
    owner = call.owner(req.teamId, **WRITE)
    tag_id = _one_of(req.tag.tagId, req.tagId, "tagId")
    etag = _one_of(req.tag.etag, req.etag, "etag")
    tag = call.services.tags.rename(owner, tag_id, req.tag.tagData.name, etag=etag)
    return {"tag": render_tag(tag)}


def delete(call: Call) -> dict[str, Any]:
    req = call.parse(TagsDelete)
    owner = call.owner(req.teamId, **WRITE)
    call.services.tags.delete(owner, req.tagId, etag=req.etag)
    return {}
