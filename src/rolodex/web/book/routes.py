"""The address book's URLs (added to the web routes in `rolodex.web.routes`)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from rolodex.web.book import (
    activity,
    contact_pages,
    editing,
    exporting,
    history_page,
    importing,
    listing,
    merging,
    trash,
)

_FORM = ["GET", "POST"]
_POST = ["POST"]

routes: list[BaseRoute] = [
    Route("/book", listing.book_list, methods=["GET"]),
    Route("/book/tags", listing.bulk_tags, methods=_POST),
    Route("/book/import", importing.import_contacts, methods=_FORM),
    Route("/book/export", exporting.export_contacts, methods=["GET"]),
    Route("/book/activity", activity.show_activity, methods=["GET"]),
    Route("/book/activity/undo", activity.undo_client, methods=_POST),
    Route("/book/activity/release", activity.release_client, methods=_POST),
    Route("/book/trash", trash.show_trash, methods=["GET"]),
    Route("/book/trash/restore", trash.restore_from_trash, methods=_POST),
    Route("/book/trash/empty", trash.empty_trash, methods=_POST),
    Route("/book/duplicates", merging.show_duplicates, methods=["GET"]),
    Route("/book/duplicates/merge", merging.merge_duplicates, methods=_POST),
    Route("/book/duplicates/unmerge", merging.unmerge_duplicates, methods=_POST),
    Route("/book/contacts/new", editing.new_contact, methods=_FORM),
    Route("/book/contacts/{contact_id}", contact_pages.show_contact, methods=["GET"]),
    Route("/book/contacts/{contact_id}/edit", editing.edit_contact, methods=_FORM),
    Route("/book/contacts/{contact_id}/favorite", contact_pages.favorite, methods=_POST),
    Route("/book/contacts/{contact_id}/tags", contact_pages.contact_tags, methods=_POST),
    Route("/book/contacts/{contact_id}/photo", contact_pages.upload_photo, methods=_POST),
    Route("/book/contacts/{contact_id}/delete", contact_pages.delete_contact, methods=_POST),
    Route("/book/contacts/{contact_id}/restore", contact_pages.restore_contact, methods=_POST),
    Route("/book/contacts/{contact_id}/history", history_page.show_history, methods=["GET"]),
    Route(
        "/book/contacts/{contact_id}/history/restore",
        history_page.restore_version,
        methods=_POST,
    ),
]
