"""Importing contacts from the web: an upload of a JSON lines file, all of it or nothing.

The empty address book offers it (vCard and CSV come later). The file is the format of
`rolodex import`; it goes through `ContactImporter.import_all`, which validates every
line first and writes them in one transaction, so a file with a bad line changes
nothing and the page lists each bad line. A file over the limits is refused: 413 for
the size (before it is read, from the declared length, and again while reading it),
400 for too many lines. Bigger books belong to `rolodex import`, which resumes.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.responses import Response

from rolodex.contacts.importer import ContactImporter
from rolodex.errors import InvalidInput
from rolodex.services import Services
from rolodex.web.book.books import Book, open_book
from rolodex.web.book.endpoint import book_page
from rolodex.web.pages.context import Page, redirect

MAX_IMPORT_BYTES = 8 * 1024 * 1024
"""An upload's largest file: about 20,000 plain contacts (docs/limits.md)."""
MAX_IMPORT_LINES = 10_000
"""Contacts per upload: all of them are one transaction, so a page request must stay short
enough to wait for (docs/benchmarks.md); bigger books go through `rolodex import`."""
# The multipart envelope around the file: boundaries, headers, the CSRF field.
_FORM_SLACK = 16 * 1024
# Bad lines listed on the page; the rest are counted.
MAX_PROBLEMS_SHOWN = 100


@dataclass(frozen=True, slots=True)
class ImportLimits:
    max_mib: int = MAX_IMPORT_BYTES // (1024 * 1024)
    max_lines: int = MAX_IMPORT_LINES


LIMITS = ImportLimits()


def _render(
    p: Page,
    book: Book,
    status: int = 200,
    error: str = "",
    problems: list[dict[str, str]] | None = None,
) -> Response:
    shown = problems or []
    return p.render(
        "book/import.html",
        status,
        title="Import contacts",
        book=book,
        import_limits=LIMITS,
        error=error,
        problems=shown[:MAX_PROBLEMS_SHOWN],
        more_problems=max(0, len(shown) - MAX_PROBLEMS_SHOWN),
    )


def _import(p: Page) -> Response:
    account = p.account
    if account is None:
        return p.login_redirect()
    book = open_book(p, account)
    if p.request.method == "GET":
        return _render(p, book)
    upload = p.form.get("file") if p.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _render(p, book, 400, "Choose a file to import.")
    raw = upload.file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        return _render(p, book, 413, f"The file is larger than {LIMITS.max_mib} MiB.")
    importer = ContactImporter(p.services.store, p.services.contacts)
    try:
        created = importer.import_all(book.owner_id, raw.splitlines(), max_lines=MAX_IMPORT_LINES)
    except InvalidInput as exc:
        return _render(p, book, 400, _sentence(exc.message), exc.details)
    notice = f"Imported {created:,} contact{'s' if created != 1 else ''}."
    return redirect(book.url("/book", notice=notice))


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _form_limit(services: Services) -> int:
    return MAX_IMPORT_BYTES + _FORM_SLACK


import_contacts = book_page(_import, max_files=1, max_bytes=_form_limit)
