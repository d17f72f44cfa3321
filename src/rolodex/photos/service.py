"""The photo service: attaching an uploaded image to a contact, serving it, forgetting it.

An upload is a contact write like any other: it goes through `ContactService.modify`,
so the contact gets a new etag and `updated` time and the change log records it.

Order matters for what a crash can leave behind. An upload writes the metadata row
first, then the bytes, then the contact; dropping a photo deletes the bytes first, then
the row. So every stored byte has a row, and a photo whose row no contact refers to
(a crash in between) is found and removed by `sweep` (`rolodex photos sweep`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from anyio import to_thread

from rolodex.contacts.model import MAX_LIST, Contact
from rolodex.contacts.service import ContactService, photo_urls
from rolodex.errors import LimitExceeded, NotFound
from rolodex.ids import new_id
from rolodex.photos.budget import DecodeBudget, process_budget
from rolodex.photos.images import ImageLimits, OpenedImage, PreparedPhoto, open_image
from rolodex.photos.repository import PhotoRecord, PhotoRepository
from rolodex.photos.storage import PhotoStorage
from rolodex.photos.urls import THUMB, is_photo_id, photo_id_from_url, photo_url
from rolodex.store import Store
from rolodex.timestamps import now_ms

log = logging.getLogger("rolodex.photos")

PHOTO_TYPE = "uploaded"
"""The `type` of a `contactData.photos` entry made by `contacts.uploadPhoto`."""


@dataclass(frozen=True, slots=True)
class PhotoFile:
    """One variant of a photo, ready to serve."""

    data: bytes
    content_type: str
    etag: str


def _keys(photo_id: str) -> list[str]:
    return [photo_id, f"{photo_id}.{THUMB}"]


class PhotoService:
    def __init__(
        self,
        store: Store,
        storage: PhotoStorage,
        contacts: ContactService,
        limits: ImageLimits | None = None,
        budget: DecodeBudget | None = None,
    ) -> None:
        self.store = store
        self.storage = storage
        self.contacts = contacts
        self.limits = limits or ImageLimits()
        # Every decode of this process is charged the memory it will hold, at most this
        # budget at once (budget.py, docs/photos.md).
        self.budget = budget or process_budget(256 * 2**20)
        # How long a deleted contact stays in the trash (rolodex.history), its photos with
        # it: set by the Services wiring; 0 without a trash.
        self.trash_ms = 0

    def upload(
        self, owner_id: str, contact_id: str, raw: bytes, *, etag: str | None = None
    ) -> Contact:
        """Check the image, store it and its thumbnail, and prepend it to the contact's photos.

        The new photo becomes the primary one (first in `photos`). `etag`, when given, must
        be the contact's current one (409 otherwise). Nothing is kept when anything fails:
        the image checks (`rolodex.photos.errors`), an unknown contact (another owner's
        included), a stale etag, or a contact already holding the most photos allowed.
        Blocks this thread while the decode budget is short; `upload_async` waits on the
        event loop instead.
        """
        opened = self._open(owner_id, contact_id, raw)
        with self.budget.hold(opened.memory_needed):
            prepared = opened.decode()
        return self._attach(owner_id, contact_id, prepared, etag)

    async def upload_async(
        self, owner_id: str, contact_id: str, raw: bytes, *, etag: str | None = None
    ) -> Contact:
        """`upload`, waiting for the decode budget on the event loop, not in a worker thread.

        The checks, the decoding and the writes run in worker threads; while the budget is
        short the upload holds no thread, so other requests (smaller uploads included)
        are not queued behind it.
        """
        opened = await to_thread.run_sync(self._open, owner_id, contact_id, raw)
        async with self.budget.hold_async(opened.memory_needed):
            prepared = await to_thread.run_sync(opened.decode)
        return await to_thread.run_sync(self._attach, owner_id, contact_id, prepared, etag)

    def _open(self, owner_id: str, contact_id: str, raw: bytes) -> OpenedImage:
        """The contact's existence, then the image's header: both before any decoding."""
        self.contacts.get_one(owner_id, contact_id)  # 404 before any work on the image
        opened = open_image(raw, self.limits)
        self.budget.check(opened.memory_needed)
        return opened

    def _attach(
        self, owner_id: str, contact_id: str, prepared: PreparedPhoto, etag: str | None
    ) -> Contact:
        """Store the prepared photo and prepend it to the contact, or keep nothing."""
        photo_id = new_id("p_")
        record = PhotoRecord(
            photo_id=photo_id,
            owner_id=owner_id,
            contact_id=contact_id,
            created_at=now_ms(),
            content_type=prepared.full.content_type,
            width=prepared.full.width,
            height=prepared.full.height,
            digest=prepared.full.digest,
            thumb_content_type=prepared.thumb.content_type,
            thumb_digest=prepared.thumb.digest,
        )

        def prepend(contact: Contact) -> None:
            current = list(contact.data.get("photos") or [])
            if len(current) >= MAX_LIST:
                raise LimitExceeded(
                    f"a contact holds at most {MAX_LIST} photos", field="contactData.photos"
                )
            entry = {"type": PHOTO_TYPE, "value": photo_url(photo_id)}
            contact.data = {**contact.data, "photos": [entry, *current]}

        full_key, thumb_key = _keys(photo_id)
        try:
            with self.store.write(owner_id=owner_id) as conn:
                PhotoRepository.insert(conn, record)
            self.storage.put(full_key, prepared.full.data)
            self.storage.put(thumb_key, prepared.thumb.data)
            return self.contacts.modify(
                owner_id, contact_id, prepend, expected_etag=etag, field="contact.etag"
            )
        except BaseException:
            try:
                self._drop([photo_id])
            except Exception:
                log.exception("could not drop the refused upload %s", photo_id)
            raise

    def read(self, photo_id: str, *, thumbnail: bool = False) -> PhotoFile:
        """A photo's bytes by its id. The id is the capability: no owner check (docs/photos.md)."""
        if not is_photo_id(photo_id):
            raise NotFound("no such photo", field="photoId")
        with self.store.read() as conn:
            record = PhotoRepository.get(conn, photo_id)
        if record is None:
            raise NotFound("no such photo", field="photoId")
        full_key, thumb_key = _keys(photo_id)
        data = self.storage.get(thumb_key if thumbnail else full_key)
        if data is None:
            raise NotFound("no such photo", field="photoId")
        if thumbnail:
            return PhotoFile(data, record.thumb_content_type, record.thumb_digest[:32])
        return PhotoFile(data, record.content_type, record.digest[:32])

    def forget(self, owner_id: str, contact_id: str, urls: Sequence[str]) -> None:
        """Delete the photos behind `urls` that were uploaded to this owner's contact.

        Called by `ContactService` after a write committed that removed these URLs from a
        contact (an update dropping them, or the contact's deletion). URLs of other
        contacts' or other owners' photos are left alone. A failure here is logged and
        never undoes the write that caused it.
        """
        ids = [pid for pid in (photo_id_from_url(u) for u in urls) if pid is not None]
        if not ids:
            return
        try:
            with self.store.read() as conn:
                mine = PhotoRepository.of_contact(conn, owner_id, contact_id, ids)
            self._drop(mine)
        except Exception:
            log.exception("could not delete photos %s of contact %s", ids, contact_id)

    def sweep(self, *, grace_ms: int = 3_600_000) -> int:
        """Delete photos no live contact refers to; the number deleted.

        Only a crash between the steps of an upload or a deletion leaves such photos (see
        the module docstring). Photos younger than `grace_ms` are left alone, since an
        upload in progress has its row before its contact refers to it.
        """
        cutoff = now_ms() - grace_ms
        dropped = 0
        after = ""
        while True:
            with self.store.read() as conn:
                batch = PhotoRepository.page(conn, after=after, created_before=cutoff, limit=500)
            if not batch:
                return dropped
            after = batch[-1].photo_id
            by_contact: dict[tuple[str, str], list[str]] = defaultdict(list)
            for record in batch:
                by_contact[(record.owner_id, record.contact_id)].append(record.photo_id)
            unused: list[str] = []
            for (owner_id, contact_id), ids in by_contact.items():
                found = self.contacts.get_with_tombstones(owner_id, [contact_id]).get(contact_id)
                used = set() if found is None or self._gone(found) else set(photo_urls(found.data))
                unused.extend(pid for pid in ids if photo_url(pid) not in used)
            self._drop(unused)
            dropped += len(unused)

    def _gone(self, contact: Contact) -> bool:
        """Deleted and out of the trash (`trash_ms`): its photos are no longer of use."""
        deleted_at = contact.deleted_at
        return deleted_at is not None and deleted_at < now_ms() - self.trash_ms

    def discard(self, photo_ids: Sequence[str]) -> None:
        """Delete these photos' bytes and rows (their owner is gone: `AccountDeletion`)."""
        self._drop(list(photo_ids))

    def _drop(self, photo_ids: list[str]) -> None:
        """Bytes first, then the row: a photo without bytes is already a 404, and a row
        left behind by a crash here is found again by `sweep`."""
        if not photo_ids:
            return
        self.storage.delete([key for pid in photo_ids for key in _keys(pid)])
        with self.store.write() as conn:
            PhotoRepository.delete(conn, photo_ids)
