"""One contact: its page, and the actions on it (favorite, tags, photo, delete and undo)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from rolodex.contacts.model import Contact
from rolodex.errors import DomainError, EtagConflict, InvalidInput, NotFound
from rolodex.photos.urls import photo_id_from_url
from rolodex.services import Services
from rolodex.web.book.books import Book, open_book
from rolodex.web.book.endpoint import book_page
from rolodex.web.book.listing import UNDO_SECONDS, all_tags
from rolodex.web.book.people import row_of
from rolodex.web.book.showing import sections
from rolodex.web.pages.context import Page, redirect

PHOTO_FORM_SLACK = 64 * 1024
"""Room for the photo form's other fields and multipart framing beyond the image itself."""


def render_contact(
    p: Page, book: Book, contact: Contact, *, status: int = 200, **extra: Any
) -> Response:
    tags = {t.tag_id: t for t in all_tags(p, book.owner_id)}
    row = row_of(contact, tags)
    photo = row.thumb.split("?", 1)[0]
    return p.render(
        "book/contact.html",
        status,
        title=row.name,
        book=book,
        contact=contact,
        row=row,
        photo=photo,
        sections=sections(contact.data),
        all_tags=list(tags.values()),
        notice=p.request.query_params.get("notice", ""),
        **extra,
    )


def _opened(p: Page) -> tuple[Book, Contact] | Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    contact = p.services.contacts.get_one(book.owner_id, p.request.path_params["contact_id"])
    return book, contact


def _show(p: Page) -> Response:
    opened = _opened(p)
    if isinstance(opened, Response):
        return opened
    return render_contact(p, *opened)


def _favorite(p: Page) -> Response:
    """Star or unstar: only `contactMetadata.favorite` changes, so no etag is asked for."""
    opened = _opened(p)
    if isinstance(opened, Response):
        return opened
    book, contact = opened
    wanted = p.field("favorite") == "1"

    def star(c: Contact) -> None:
        c.meta["favorite"] = wanted

    p.services.contacts.modify(book.owner_id, contact.contact_id, star, expected_etag=None)
    return redirect(book.url(f"/book/contacts/{contact.contact_id}"))


def _tags(p: Page) -> Response:
    """Add a tag by name (made on first use) or take one off, for this one contact."""
    opened = _opened(p)
    if isinstance(opened, Response):
        return opened
    book, contact = opened
    remove = p.field("remove")
    if remove:
        p.services.tags.manage(book.owner_id, [contact.contact_id], add=[], remove=[remove])
    else:
        try:
            p.services.tags.add_named(
                book.owner_id, [contact.contact_id], p.field("tag_name"), field="tag_name"
            )
        except InvalidInput as exc:
            if exc.field != "tag_name":
                raise
            return render_contact(p, book, contact, status=400, tag_error=exc.message)
    return redirect(book.url(f"/book/contacts/{contact.contact_id}"))


def _delete(p: Page) -> Response:
    """Delete (a tombstone), then the list offers Undo for UNDO_SECONDS (docs/address-book.md)."""
    opened = _opened(p)
    if isinstance(opened, Response):
        return opened
    book, contact = opened
    try:
        p.services.contacts.delete(book.owner_id, contact.contact_id, etag=p.field("etag") or None)
    except EtagConflict:
        return render_contact(
            p,
            book,
            contact,
            status=409,
            conflict="This contact was changed by someone else meanwhile, so it was not "
            "deleted. Here is the current version: delete again if you still want to.",
        )
    return redirect(book.url("/book", deleted=contact.contact_id, tags=",".join(contact.tag_ids)))


def _restore(p: Page) -> Response:
    """Undo a delete: the contact comes back, with the tags it had (those that still exist)."""
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    contact_id = p.request.path_params["contact_id"]
    try:
        contact = p.services.contacts.restore(
            book.owner_id, contact_id, within_ms=UNDO_SECONDS * 1000
        )
    except NotFound:
        return p.render(
            "book/error.html",
            410,
            title="Too late to undo",
            message=f"Undo works for {UNDO_SECONDS} seconds after a delete; "
            "this contact can no longer be brought back here.",
        )
    _reattach_tags(p.services, book, contact_id, p.field("tags"))
    _drop_lost_photos(p.services, book, contact)
    return redirect(book.url(f"/book/contacts/{contact_id}", notice="Contact restored."))


def _reattach_tags(services: Services, book: Book, contact_id: str, raw: str) -> None:
    wanted = [t for t in raw.split(",") if t][:100]
    if not wanted:
        return
    alive = [t.tag_id for t in services.tags.get_many(book.owner_id, wanted)]
    if alive:
        services.tags.manage(book.owner_id, [contact_id], add=alive, remove=[])


def _drop_lost_photos(services: Services, book: Book, contact: Contact) -> None:
    """Uploaded photos are deleted with their contact; their URLs would now be dead links."""
    gone = set()
    for entry in contact.data.get("photos") or []:
        photo_id = photo_id_from_url(entry.get("value", ""))
        if photo_id is None:
            continue
        try:
            services.photos.read(photo_id, thumbnail=True)
        except NotFound:
            gone.add(entry.get("value"))
    if not gone:
        return

    def drop(c: Contact) -> None:
        kept = [e for e in c.data.get("photos") or [] if e.get("value") not in gone]
        c.data = {k: v for k, v in c.data.items() if k != "photos"}
        if kept:
            c.data["photos"] = kept

    # No etag check: the change only drops URLs that lead nowhere, whatever else changed.
    services.contacts.modify(book.owner_id, contact.contact_id, drop, expected_etag=None)


def _photo(p: Page) -> Response:
    """Upload a photo (it becomes the primary one), through the photo service."""
    opened = _opened(p)
    if isinstance(opened, Response):
        return opened
    book, contact = opened
    upload = p.form.get("photo") if p.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return render_contact(p, book, contact, status=400, photo_error="Choose an image file.")
    raw = upload.file.read(p.services.settings.photo_max_bytes + 1)
    try:
        p.services.photos.upload(
            book.owner_id, contact.contact_id, raw, etag=p.field("etag") or None
        )
    except EtagConflict:
        return render_contact(
            p,
            book,
            contact,
            status=409,
            photo_error="This contact was changed by someone else meanwhile; "
            "here is the current version. Upload the photo again.",
        )
    except (InvalidInput, DomainError) as exc:
        if isinstance(exc, NotFound):
            raise
        return render_contact(p, book, contact, status=400, photo_error=exc.message)
    return redirect(book.url(f"/book/contacts/{contact.contact_id}", notice="Photo uploaded."))


def _photo_form_limit(services: Services) -> int:
    return services.settings.photo_max_bytes + PHOTO_FORM_SLACK


show_contact = book_page(_show)
favorite = book_page(_favorite)
contact_tags = book_page(_tags)
delete_contact = book_page(_delete)
restore_contact = book_page(_restore)
upload_photo = book_page(_photo, max_files=1, max_bytes=_photo_form_limit)
