"""Creating and editing a contact: the form, its validation, and the etag rule.

A new contact is checked against the book as it is made (`DuplicateService.check`): the
notice says when it may be the same person as another, and points to Merge & fix.

The edit form carries the etag the person started from, and a digest of each field as
it was then. Saving names the etag to `ContactService.modify`; if someone changed the
contact meanwhile the service refuses (EtagConflict) and the page says who changed it
(the history's latest write) and when, shows once the fields both sides agree on, and
shows each differing field side by side, the person's version and the
saved one, with a choice per field (conflicts.py). Saving the choices names the version
shown, so nothing is ever overwritten silently. Photos are not part of the form: they
are kept as they are now.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from rolodex.contacts.model import Contact
from rolodex.errors import EtagConflict, InvalidInput
from rolodex.web.book.books import Book, open_book
from rolodex.web.book.conflicts import (
    FIELDS,
    THEIRS,
    base_digests,
    changed_by,
    choices,
    merged,
    moment,
    same,
)
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
    mine: dict[str, Any] | None = None,
    base: dict[str, str] | None = None,
    who: str = "",
) -> Response:
    title = "New contact" if contact is None else f"Edit {row_of(contact, {}).name}"
    fields = []
    if conflict is not None:
        fields = choices(mine or {}, conflict.data, _base_of(p) if base is None else base)
    return p.render(
        "book/edit.html",
        status,
        title=title,
        book=book,
        form=form,
        contact=contact,
        etag=etag,
        lists={spec.key: spec for spec in LISTS},
        part_labels=PART_LABELS,
        value_labels=VALUE_LABELS,
        conflict=conflict,
        conflict_fields=fields,
        conflict_same=same(mine or {}, conflict.data) if conflict is not None else [],
        conflict_who=who,
        conflict_when=moment(conflict.updated_at) if conflict is not None else "",
        # After a conflict the version shown becomes the one the person started from.
        base=_form_base(conflict.data) if conflict is not None else base or {},
        action=book.url(
            "/book/contacts/new" if contact is None else f"/book/contacts/{contact.contact_id}/edit"
        ),
    )


def _posted(p: Page) -> ContactForm:
    assert p.form is not None
    return form_from_post([(k, v) for k, v in p.form.multi_items() if isinstance(v, str)])


def _base_of(p: Page) -> dict[str, str]:
    """The field digests the form carried (of the version the person started from)."""
    return {key: p.field(f"base-{key}") for key, _ in FIELDS if p.form and f"base-{key}" in p.form}


def _picks(p: Page) -> dict[str, str]:
    return {key: p.field(f"pick-{key}") for key, _ in FIELDS if p.field(f"pick-{key}")}


def _form_base(data: dict[str, Any]) -> dict[str, str]:
    """Digests of a stored contact as the form will send it back (rows re-read), so an
    untouched field compares equal; stored data the form would refuse is taken as is."""
    try:
        return base_digests(data_from_form(form_from_data(data)))
    except InvalidInput:
        return base_digests(data)


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
    # Checked against the book as it arrives (docs/duplicates.md): said where it was made.
    likely = [
        cid
        for cid, _ in p.services.duplicates.check(book.owner_id, data)
        if cid != contact.contact_id
    ]
    notice = "Contact created."
    if likely:
        notice += (
            f" It may be the same person as {len(likely)} other contact"
            f"{'s' if len(likely) > 1 else ''} here: see Merge & fix."
        )
    return redirect(book.url(f"/book/contacts/{contact.contact_id}", notice=notice))


def _edit_contact(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    contact_id = p.request.path_params["contact_id"]
    current = p.services.contacts.get_one(book.owner_id, contact_id)
    if p.request.method == "GET":
        return _render_form(
            p,
            book,
            form_from_data(current.data),
            contact=current,
            etag=current.etag,
            base=_form_base(current.data),
        )
    form = _posted(p)
    started_from = p.field("etag")
    if not started_from:
        raise InvalidInput("the form lost its etag; reload the page", field="etag")
    if p.field("add"):
        add_row(form, p.field("add"))
        return _render_form(p, book, form, contact=current, etag=started_from, base=_base_of(p))
    try:
        data = data_from_form(form)
    except InvalidInput:
        return _render_form(
            p, book, form, contact=current, etag=started_from, status=400, base=_base_of(p)
        )
    # Saving after a conflict names the version shown in it, so a third change made
    # meanwhile is a conflict again rather than lost; each field takes the side picked.
    expected = p.field("overwrite_etag") or started_from
    picks = _picks(p) if p.field("overwrite_etag") else {}

    def replace(contact: Contact) -> None:
        photos: Any = contact.data.get("photos")
        chosen = merged(data, contact.data, picks) if picks else data
        contact.data = {**chosen, "photos": photos} if photos else chosen

    try:
        p.services.contacts.modify(book.owner_id, contact_id, replace, expected_etag=expected)
    except EtagConflict:
        latest = p.services.contacts.get_one(book.owner_id, contact_id)
        return _render_form(
            p,
            book,
            form,
            contact=latest,
            etag=started_from,
            status=409,
            conflict=latest,
            mine=data,
            who=changed_by(
                p.services.history.latest_change(book.owner_id, contact_id), latest.etag
            ),
        )
    kept = sum(1 for side in picks.values() if side == THEIRS)
    notice = "Saved." if not kept else f"Saved, keeping {kept} of the other version's fields."
    return redirect(book.url(f"/book/contacts/{contact_id}", notice=notice))


new_contact = book_page(_new_contact)
edit_contact = book_page(_edit_contact)
