"""The tag service: tags of an owner (an account or a team), and tagging contacts.

Every write runs in one transaction with its change-log entries (entity "tag" for the
tag, "contact" for each contact whose tags change, which also gets a new etag). Ids of
another owner behave exactly like ids that do not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from rolodex.contacts.cursors import TAGS
from rolodex.contacts.model import Contact
from rolodex.contacts.repository import ContactRepository
from rolodex.contacts.service import ContactService
from rolodex.errors import Conflict, EtagConflict, InvalidInput, NotFound
from rolodex.ids import new_etag, new_id
from rolodex.store import Store
from rolodex.store.changelog import CREATED, DELETED, UPDATED, ChangeLog
from rolodex.tags.model import Tag, clean_name, name_key
from rolodex.tags.repository import TagRepository
from rolodex.timestamps import now_ms

ENTITY = "tag"


@dataclass(frozen=True, slots=True)
class TagPage:
    tags: list[Tag]
    cursor: str | None


def _unknown(field: str, what: str, ids: Sequence[str]) -> InvalidInput:
    """A 400 naming every id that does not exist (for this owner)."""
    return InvalidInput(
        f"unknown {what} id(s): {', '.join(ids)}",
        field=field,
        details=[{"field": field, "problem": f"unknown {what} id: {i}"} for i in ids],
    )


class TagService:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self.store = store
        self.contacts = contacts
        self.repo = TagRepository

    # -- reads -------------------------------------------------------------------------

    def get_many(self, owner_id: str, tag_ids: Sequence[str]) -> list[Tag]:
        """The live tags among `tag_ids`, in the order asked, each once; unknown ids are skipped."""
        limit = self.contacts.limits.max_ids_per_get
        if len(tag_ids) > limit:
            raise InvalidInput(f"at most {limit} ids per call", field="tagIds")
        wanted = list(dict.fromkeys(tag_ids))
        with self.store.read() as conn:
            found = self.repo.by_ids(conn, owner_id, wanted)
        return [found[i] for i in wanted if i in found]

    def scroll(
        self,
        owner_id: str,
        *,
        size: int | None = None,
        cursor: str | None = None,
        include_deleted: bool = False,
    ) -> TagPage:
        """One page of the owner's tags in creation order, and a cursor while more remain."""
        limit = self.contacts.page_size(size)
        codec = self.contacts.cursors
        after = (
            0 if cursor is None else codec.position(cursor, TAGS, owner_id, field="scrollCursor")
        )
        with self.store.read() as conn:
            found = self.repo.page(
                conn, owner_id, after_pk=after, limit=limit + 1, include_deleted=include_deleted
            )
        more = len(found) > limit
        found = found[:limit]
        return TagPage(found, codec.encode(TAGS, owner_id, found[-1].pk) if more else None)

    # -- writes ------------------------------------------------------------------------

    def create(self, owner_id: str, raw_name: str, *, field: str = "tag.tagData.name") -> Tag:
        """The owner's live tag of this name, made (and logged `created`) if there is none.

        Names compare case-insensitively with surrounding spaces ignored (spec: "if the tag
        already exists, the existing ID will be returned"); the existing tag is returned
        unchanged. Writes of one owner are serialised, and the unique index settles a race
        with another process.
        """
        name = clean_name(raw_name, field=field)
        key = name_key(name)
        try:
            with self.store.write(owner_id=owner_id) as conn:
                existing = self.repo.live_by_key(conn, owner_id, key)
                if existing is not None:
                    return existing
                return self._insert(conn, owner_id, name, key)
        except IntegrityError:
            with self.store.read() as conn:
                existing = self.repo.live_by_key(conn, owner_id, key)
            if existing is None:
                raise
            return existing

    def rename(self, owner_id: str, tag_id: str, raw_name: str, *, etag: str) -> Tag:
        """Rename a tag under optimistic concurrency; another live tag's name is a conflict."""
        name = clean_name(raw_name, field="tag.tagData.name")
        key = name_key(name)
        try:
            with self.store.write(owner_id=owner_id) as conn:
                tag = self._locked(conn, owner_id, tag_id, field="tag.tagId")
                if etag != tag.etag:
                    raise EtagConflict(
                        "the tag changed since this etag was read; fetch it again",
                        field="tag.etag",
                    )
                holder = self.repo.live_by_key(conn, owner_id, key)
                if holder is not None and holder.tag_id != tag.tag_id:
                    raise _name_taken()
                self.rename_in(conn, tag, name)
                return tag
        except IntegrityError:
            raise _name_taken() from None

    def rename_in(self, conn: Connection, tag: Tag, name: str) -> None:
        """`rename` of a locked tag to a checked name no other live tag holds, inside the
        caller's write (CardDAV's group card PUT with a new FN): same id, a new etag, an
        `updated` change (so the webhooks' `tag` event)."""
        tag.name = name
        tag.name_key = name_key(name)
        tag.etag = new_etag()
        tag.updated_at = max(now_ms(), tag.updated_at + 1)
        self.repo.save(conn, tag)
        self._log(conn, tag, UPDATED)

    def delete(self, owner_id: str, tag_id: str, *, etag: str) -> Tag:
        """Delete a tag (kept as a tombstone) and take it off every contact carrying it.

        All in one transaction: the tag's `deleted` change, and for each contact that
        carried it a new etag, a new `updated` and an `updated` change.
        """
        with self.store.write(owner_id=owner_id) as conn:
            tag = self._locked(conn, owner_id, tag_id, field="tagId")
            if etag != tag.etag:
                raise EtagConflict(
                    "the tag changed since this etag was read; fetch it again", field="etag"
                )
            self.delete_in(conn, tag)
        return tag

    def delete_in(self, conn: Connection, tag: Tag) -> None:
        """`delete` of a locked tag inside the caller's write (CardDAV's group cards)."""
        tag.etag = new_etag()
        tag.updated_at = max(now_ms(), tag.updated_at + 1)
        tag.deleted_at = tag.updated_at
        self.repo.save(conn, tag)
        self._log(conn, tag, DELETED)
        carriers = self.repo.contact_ids_carrying(conn, tag.owner_id, tag.tag_id)
        found = ContactRepository.by_ids(conn, tag.owner_id, carriers, for_update=True)
        for contact in found.values():
            contact.tag_ids = [t for t in contact.tag_ids if t != tag.tag_id]
            self.contacts.record_in(conn, contact)

    def touch_in(self, conn: Connection, tag: Tag) -> None:
        """Log a locked tag `updated` with a new etag, inside the caller's write: what it
        stands for changed (a CardDAV client rewrote its group card), so every device's
        next sync and the webhooks see it."""
        tag.etag = new_etag()
        tag.updated_at = max(now_ms(), tag.updated_at + 1)
        self.repo.save(conn, tag)
        self._log(conn, tag, UPDATED)

    def manage(
        self,
        owner_id: str,
        contact_ids: Sequence[str],
        *,
        add: Sequence[str],
        remove: Sequence[str],
    ) -> list[Contact]:
        """Add and remove tags on many contacts, atomically; the contacts that changed.

        Every id must name a live contact or tag of this owner, or nothing changes and
        the 400 names the unknown ones. A contact whose tags end up as they were is left
        alone (same etag, no change logged).
        """
        wanted = self._contact_ids(contact_ids)
        limit = self.contacts.limits.max_ids_per_get
        if len(add) + len(remove) > limit:
            raise InvalidInput(f"at most {limit} tag ids per call", field="addTagIds")
        if not add and not remove:
            raise InvalidInput("name at least one tag to add or remove", field="addTagIds")
        both = sorted(set(add) & set(remove))
        if both:
            raise InvalidInput(
                f"tag id(s) both added and removed: {', '.join(both)}", field="removeTagIds"
            )
        with self.store.write(owner_id=owner_id) as conn:
            return self._manage_in(conn, owner_id, wanted, add=add, remove=remove)

    def add_named(
        self, owner_id: str, contact_ids: Sequence[str], raw_name: str, *, field: str
    ) -> Tag:
        """Put the tag of this name (made on first use) on the contacts; the tag.

        One transaction: when a contact id is unknown (a 400 naming it, as `manage`
        answers) the tag made for it is not left behind.
        """
        name = clean_name(raw_name, field=field)
        wanted = self._contact_ids(contact_ids)
        with self.store.write(owner_id=owner_id) as conn:
            [tag] = self._named_in(conn, owner_id, [name], field=field)
            self._manage_in(conn, owner_id, wanted, add=[tag.tag_id], remove=[])
        return tag

    # -- tags by name, in a caller's transaction ---------------------------------------

    def ids_named_in(
        self, conn: Connection, owner_id: str, names: Iterable[str]
    ) -> dict[str, str | None]:
        """Each name's key -> the id of the owner's live tag of that name, or None.

        Blank names are left out. One indexed statement, never a walk of the owner's tags.
        """
        keys = [name_key(n) for n in names if n.strip()]
        found = self.repo.live_by_keys(conn, owner_id, keys)
        return {key: found[key].tag_id if key in found else None for key in keys}

    def ensure_named_in(
        self, conn: Connection, owner_id: str, names: Sequence[str], *, field: str
    ) -> list[str]:
        """The ids of the owner's tags of these names, in order and each once; the tags
        that do not exist yet are made (and logged `created`) in the caller's transaction.

        Every name is checked before any tag is made, so a bad one leaves nothing behind,
        and neither does the caller's transaction when it fails later for its own reason.
        The write holds the owner's lock (`Store.write`), so no other writer can make one
        of these names between the lookup and the insert.
        """
        return [tag.tag_id for tag in self._named_in(conn, owner_id, names, field=field)]

    def names_in(self, conn: Connection, owner_id: str, tag_ids: Iterable[str]) -> dict[str, str]:
        """tag id -> name, for the owner's live tags among `tag_ids` (any number of them)."""
        ids = list(dict.fromkeys(tag_ids))
        chunk = self.contacts.limits.max_ids_per_get
        names: dict[str, str] = {}
        for start in range(0, len(ids), chunk):
            found = self.repo.by_ids(conn, owner_id, ids[start : start + chunk])
            names.update((tag.tag_id, tag.name) for tag in found.values())
        return names

    # -- helpers -----------------------------------------------------------------------

    def _contact_ids(self, contact_ids: Sequence[str]) -> list[str]:
        limit = self.contacts.limits.max_ids_per_get
        if len(contact_ids) > limit:
            raise InvalidInput(f"at most {limit} ids per call", field="contactIds")
        return list(dict.fromkeys(contact_ids))

    def _manage_in(
        self,
        conn: Connection,
        owner_id: str,
        wanted: list[str],
        *,
        add: Sequence[str],
        remove: Sequence[str],
    ) -> list[Contact]:
        """`manage` in the caller's transaction, its ids checked for number already."""
        found = ContactRepository.by_ids(conn, owner_id, wanted, for_update=True)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise _unknown("contactIds", "contact", missing)
        tags = self.repo.by_ids(conn, owner_id, [*add, *remove])
        for field, ids in (("addTagIds", add), ("removeTagIds", remove)):
            unknown = [i for i in dict.fromkeys(ids) if i not in tags]
            if unknown:
                raise _unknown(field, "tag", unknown)
        changed = []
        for contact_id in wanted:
            contact = found[contact_id]
            before = set(contact.tag_ids)
            after = (before | set(add)) - set(remove)
            if after == before:
                continue
            contact.tag_ids = sorted(after)
            self.contacts.record_in(conn, contact)
            changed.append(contact)
        return changed

    def _named_in(
        self, conn: Connection, owner_id: str, names: Sequence[str], *, field: str
    ) -> list[Tag]:
        """`ensure_named_in`, giving the tags."""
        wanted: dict[str, str] = {}
        for raw in names:
            name = clean_name(raw, field=field)
            wanted.setdefault(name_key(name), name)
        found = self.repo.live_by_keys(conn, owner_id, wanted)
        return [
            found.get(key) or self._insert(conn, owner_id, name, key)
            for key, name in wanted.items()
        ]

    def _insert(self, conn: Connection, owner_id: str, name: str, key: str) -> Tag:
        """A new live tag of this (checked) name, logged `created`."""
        now = now_ms()
        tag = Tag(0, new_id("tg_"), owner_id, name, key, new_etag(), now, now, None)
        tag.pk = self.repo.insert(conn, tag)
        self._log(conn, tag, CREATED)
        return tag

    def _locked(self, conn: Connection, owner_id: str, tag_id: str, *, field: str) -> Tag:
        found = self.repo.by_ids(conn, owner_id, [tag_id], for_update=True)
        if tag_id not in found:
            raise NotFound("no such tag", field=field)
        return found[tag_id]

    @staticmethod
    def _log(conn: Connection, tag: Tag, action: str) -> None:
        ChangeLog.append(
            conn,
            owner_id=tag.owner_id,
            entity=ENTITY,
            entity_id=tag.tag_id,
            action=action,
            etag=tag.etag,
            occurred_at=tag.updated_at,
        )


def _name_taken() -> Conflict:
    return Conflict("another tag already has this name", field="tag.tagData.name")
