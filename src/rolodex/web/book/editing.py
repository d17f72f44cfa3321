"""Creating and editing a contact: the form, its validation, and the etag rule.

The edit form carries the etag the person started from. Saving names it to
`ContactService.modify`; if someone changed the contact meanwhile the service refuses
(EtagConflict) and the page says so, shows the current version beside what the person
typed, and offers to reload it or, explicitly, to save over it. Nothing is ever
overwritten silently. Photos are not part of the form: they are kept as they are now.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from rolodex.contacts.model import Contact
from rolodex.errors import EtagConflict, InvalidInput
from rolodex.web.book.books import Book, open_book
from rolodex.web.book.contact_form import (
    LISTS,
    PART_LABELS,
    VALUE_LABELS,
    ContactForm,
    add_row,
    data_from_form,
    form_from_data,
    form_from_post,
)
from rolodex.web.book.endpoint import book_page
from rolodex.web.book.people import row_of
from rolodex.web.book.showing import sections
from rolodex.web.pages.context import Page, redirect


def _render_form(
    p: Page,
    book: Book,
    form: ContactForm,
    *,
    contact: Contact | None,
    etag: str,
    status: int = 200,
    conflict: Contact | None = None,
) -> Response:
    title = "New contact" if contact is None else f"Edit {row_of(contact, {}).name}"
    return p.render(
        "book/edit.html",
        status,
        title=title,
        book=book,
        form=form,
        contact=contact,
        etag=etag,
        lists=LISTS,
        part_labels=PART_LABELS,
        value_labels=VALUE_LABELS,
        conflict=conflict,
        conflict_sections=sections(conflict.data) if conflict is not None else [],
        action=book.url(
            "/book/contacts/new" if contact is None else f"/book/contacts/{contact.contact_id}/edit"
        ),
    )


def _posted(p: Page) -> ContactForm:
    assert p.form is not None
    return form_from_post([(k, v) for k, v in p.form.multi_items() if isinstance(v, str)])


def _new_contact(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    if p.request.method == "GET":
        return _render_form(p, book, form_from_data({}), contact=None, etag="")
    form = _posted(p)
    if p.field("add"):
        add_row(form, p.field("add"))
        return _render_form(p, book, form, contact=None, etag="")
    try:
        data = data_from_form(form)
    except InvalidInput:
        return _render_form(p, book, form, contact=None, etag="", status=400)
    contact = p.services.contacts.create(book.owner_id, data, book.new_contact_meta())
    return redirect(book.url(f"/book/contacts/{contact.contact_id}", notice="Contact created."))


def _edit_contact(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    contact_id = p.request.path_params["contact_id"]
    current = p.services.contacts.get_one(book.owner_id, contact_id)
    if p.request.method == "GET":
        return _render_form(
            p, book, form_from_data(current.data), contact=current, etag=current.etag
        )
    form = _posted(p)
    started_from = p.field("etag")
    if not started_from:
        raise InvalidInput("the form lost its etag; reload the page", field="etag")
    if p.field("add"):
        add_row(form, p.field("add"))
        return _render_form(p, book, form, contact=current, etag=started_from)
    try:
        data = data_from_form(form)
    except InvalidInput:
        return _render_form(p, book, form, contact=current, etag=started_from, status=400)
    # "Save mine over theirs" names the version the person was shown in the conflict,
    # so a third change made meanwhile is a conflict again rather than lost.
    expected = p.field("overwrite_etag") or started_from

    def replace(contact: Contact) -> None:
        photos: Any = contact.data.get("photos")
        contact.data = {**data, "photos": photos} if photos else data

    try:
        p.services.contacts.modify(book.owner_id, contact_id, replace, expected_etag=expected)
    except EtagConflict:
        latest = p.services.contacts.get_one(book.owner_id, contact_id)
        return _render_form(
            p, book, form, contact=latest, etag=started_from, status=409, conflict=latest
        )
    return redirect(book.url(f"/book/contacts/{contact_id}", notice="Saved."))


new_contact = book_page(_new_contact)
edit_contact = book_page(_edit_contact)
