"""Exporting the address book from the web: a download in each format.

`/book/export` lists the formats; `/book/export?format=vcard` (or another) streams the
file, a page of contacts at a time, as `GET /v1/contacts/export` does (the exporter of
`rolodex.transfer`). A team's book exports the team's contacts.
"""

from __future__ import annotations

from starlette.responses import Response, StreamingResponse

from rolodex.transfer.exporter import EXPORT_FORMATS, export_format
from rolodex.web.book.books import open_book
from rolodex.web.book.endpoint import book_page
from rolodex.web.pages.context import Page

_LABELS = {
    "vcard": "vCard 4.0 (.vcf): iCloud, Nextcloud, Thunderbird, Android",
    "vcard3": "vCard 3.0 (.vcf): older phones and programs",
    "google-csv": "Google CSV (.csv): Google Contacts",
    "outlook-csv": "Outlook CSV (.csv): Outlook",
    "jsonl": "JSON lines (.jsonl): Rolodex's own, everything kept",
}


def _export(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    name = p.request.query_params.get("format")
    if not name:
        choices = [
            (n, _LABELS.get(n, n), book.url("/book/export", format=n)) for n in EXPORT_FORMATS
        ]
        photos = p.request.query_params.get("noPhotos") != "true"
        return p.render(
            "book/export.html",
            200,
            title="Export contacts",
            book=book,
            choices=choices,
            photos=photos,
        )
    fmt = export_format(name)
    photos = p.request.query_params.get("noPhotos") != "true"
    chunks = p.services.export.chunks(book.owner_id, fmt, photos=photos)
    return StreamingResponse(
        chunks,
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="contacts.{fmt.extension}"'},
    )


export_contacts = book_page(_export)
