"""Importing contacts from the web: an upload of any contact file, all of it or nothing.

The empty address book offers it. The file is any format `rolodex import` reads (vCard,
Google or Outlook CSV, JSON lines), told from its content or named in the form; it goes
through the card importer (`rolodex.transfer`), which checks every card first, so a file
with a bad card changes nothing and the page lists each bad card's line. "Preview" reads
the file without importing it and shows the format and its first contacts as Rolodex
will store them, and for a CSV file the field each column goes to (csv_mapping.py). A file over the limits is refused: 413 for the size (before it is read,
from the declared length, and again while reading it), 400 for too many contacts.
Bigger books belong to `rolodex import`, which resumes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import islice
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from rolodex.actors import importing
from rolodex.contacts.mapping_common import first_value
from rolodex.contacts.sort_names import display_label
from rolodex.errors import InvalidInput
from rolodex.formats.card import Card, CardProblem
from rolodex.formats.detect import AUTO, FORMAT_NAMES, GOOGLE_CSV, OUTLOOK_CSV, UnknownFormat
from rolodex.services import Services
from rolodex.transfer.csv_mapping import column_mapping
from rolodex.transfer.importer import ImportSummary, TooManyCards
from rolodex.transfer.plain_lines import import_plain_lines, is_plain_head
from rolodex.transfer.reading import read_file
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
# Contacts shown by "Preview".
PREVIEW_ROWS = 5


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
    preview: dict[str, Any] | None = None,
) -> Response:
    shown = problems or []
    return p.render(
        "book/import.html",
        status,
        title="Import contacts",
        book=book,
        import_limits=LIMITS,
        formats=FORMAT_NAMES,
        error=error,
        problems=shown[:MAX_PROBLEMS_SHOWN],
        more_problems=max(0, len(shown) - MAX_PROBLEMS_SHOWN),
        preview=preview,
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
    requested = p.field("format") or AUTO
    if not raw.strip():
        return _render(p, book, 400, "The file has no contacts in it.")
    try:
        if p.field("action") == "preview":
            return _render(p, book, preview=_preview(raw, requested))
        if is_plain_head(raw, requested):
            return _import_plain(p, book, raw)
        with importing():
            summary = p.services.card_import.run(
                book.owner_id,
                lambda: io.BytesIO(raw),
                requested=requested,
                batch_size=MAX_IMPORT_LINES,
                max_cards=MAX_IMPORT_LINES,
            )
    except UnknownFormat as exc:
        return _render(p, book, 400, _sentence(str(exc)))
    except TooManyCards:
        return _render(
            p,
            book,
            400,
            f"The file has more than {MAX_IMPORT_LINES:,} contacts; at most"
            f" {MAX_IMPORT_LINES} at a time.",
        )
    return _outcome(p, book, summary)


def _import_plain(p: Page, book: Book, raw: bytes) -> Response:
    """Bare contactData lines: validated whole, then written in one transaction by the
    bulk importer (transfer/plain_lines.py says why they need no card path)."""
    try:
        with importing():
            summary = import_plain_lines(
                p.services.store,
                p.services.contacts,
                book.owner_id,
                raw.splitlines(),
                max_lines=MAX_IMPORT_LINES,
                duplicates=p.services.duplicates,
            )
    except InvalidInput as exc:
        return _render(p, book, 400, _sentence(exc.message), exc.details)
    return _outcome(p, book, summary)


def _outcome(p: Page, book: Book, summary: ImportSummary) -> Response:
    """The page after an import ran: the book with a notice, or why nothing was imported."""
    if not summary.written:
        return _render(p, book, 400, _refusal(summary), _problems(summary))
    done = summary.created + summary.updated
    if not done:
        return _render(p, book, 400, "The file has no contacts in it.")
    notice = f"Imported {done:,} contact{'s' if done != 1 else ''}."
    if summary.possible_duplicates:
        # Imports are where duplicates come from: say so where the person is looking.
        count = summary.possible_duplicates
        notice += (
            f" {count:,} of them may be {'a duplicate' if count == 1 else 'duplicates'}"
            " of contacts already here: see Merge & fix."
        )
    return redirect(book.url("/book", notice=notice))


def _refusal(summary: ImportSummary) -> str:
    count = len(summary.errors)
    what = "line" if summary.format == "jsonl" else "contact"
    return f"{count} {what}{'s' if count > 1 else ''} could not be read; nothing was imported."


def _problems(summary: ImportSummary) -> list[dict[str, str]]:
    return [{"field": f"line {line}", "problem": problem} for line, problem in summary.errors]


def _preview(raw: bytes, requested: str) -> dict[str, Any]:
    """The file's format and its first contacts, read but not imported."""
    fmt, cards = read_file(io.BytesIO(raw), requested)
    rows = []
    for item in islice(cards, PREVIEW_ROWS):
        if isinstance(item, CardProblem):
            rows.append({"line": item.line, "problem": item.message})
        elif isinstance(item, Card):
            data = item.contact_data
            rows.append(
                {
                    "line": item.line,
                    # As the book lists it: a company without a name by the company.
                    "name": display_label(data),
                    "email": first_value(data.get("emails")) or "",
                    "phone": first_value(data.get("phoneNumbers")) or "",
                    "tags": ", ".join(item.tags),
                    "fields": ", ".join(sorted(k for k in data if data[k])),
                }
            )
    columns = column_mapping(io.BytesIO(raw), fmt) if fmt in (GOOGLE_CSV, OUTLOOK_CSV) else []
    return {"format": fmt, "rows": rows, "columns": columns}


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _form_limit(services: Services) -> int:
    return MAX_IMPORT_BYTES + _FORM_SLACK


import_contacts = book_page(_import, max_files=1, max_bytes=_form_limit)
