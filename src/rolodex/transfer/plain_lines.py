"""Plain JSON lines (one bare `contactData` per line) through the bulk importer.

A file of bare `contactData` objects carries nothing but contact data: no UID to match,
no tags, photos or extras (the model refuses unknown keys, so none can hide in a line).
Such a file needs none of the card path's work per contact, and goes through
`ContactImporter`, whose worker processes prepare the next batches while one is written
(docs/import-export.md, "JSON lines"). Every other file, wrapped lines included, goes
through `CardImporter`.

Both ways here, `rolodex import`'s resumable batches (`import_plain`) and the address
book's upload in one transaction (`import_plain_lines`), count the summary's
`possibleDuplicates` as `CardImporter` does: the contacts made after a mark taken
before the import, scanned against the book once it is written (`DuplicateService`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path

import orjson

from rolodex.contacts.importer import ContactImporter, contact_data_of, line_problem
from rolodex.contacts.service import ContactService
from rolodex.duplicates.service import DuplicateService
from rolodex.errors import InvalidInput
from rolodex.store import Store
from rolodex.transfer.importer import ImportSummary

# Lines looked at to decide; a file whose first object is bare is taken as plain.
_SNIFF_LINES = 20
# Bytes read to find the first object: a line of contactData is far shorter.
_SNIFF_BYTES = 1 << 20


def is_plain(path: Path, requested: str) -> bool:
    """True for a JSON-lines file whose first object is a bare `contactData`."""
    with path.open("rb") as source:
        return is_plain_head(source.read(_SNIFF_BYTES), requested)


def is_plain_head(head: bytes, requested: str) -> bool:
    """The same, from the file's first bytes (a whole upload, or its start)."""
    if requested not in ("auto", "jsonl"):
        return False
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return False  # a byte-order mark: the card path decodes it
    for line in islice(head.splitlines(), _SNIFF_LINES):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            return False
        return isinstance(value, dict) and not ({"contactData", "contact"} & value.keys())
    return False


def problems(path: Path, progress: Callable[[int], None] | None = None) -> list[tuple[int, str]]:
    """Every invalid line of the file, with its number: the check before anything is
    written, so that a file with a bad line writes nothing (issue 22's rule)."""
    found: list[tuple[int, str]] = []
    with path.open("rb") as source:
        for number, line in enumerate(source, start=1):
            if progress is not None:
                progress(len(line))
            if not line.strip():
                continue
            try:
                contact_data_of(line, number)
            except InvalidInput as exc:
                found.append((number, line_problem(exc.message, exc.details)))
    return found


def import_plain(
    store: Store,
    contacts: ContactService,
    owner_id: str,
    path: Path,
    *,
    batch_size: int,
    restart: bool,
    skip_invalid: bool,
    workers: int,
    checking: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    duplicates: DuplicateService | None,
) -> ImportSummary:
    """Check the file (unless `skip_invalid`), then import it in batches, resumably.

    With `duplicates`, the new contacts are then checked against the book (and each
    other), and `possibleDuplicates` counts those that likely duplicate another.
    """
    if not skip_invalid:
        bad = problems(path, checking)
        if bad:
            return ImportSummary(format="jsonl", errors=bad, written=False)
    mark = duplicates.high_water() if duplicates is not None else 0
    result = ContactImporter(store, contacts).run(
        owner_id,
        path,
        batch_size=batch_size,
        restart=restart,
        skip_invalid=skip_invalid,
        progress=progress,
        workers=workers,
    )
    return ImportSummary(
        format="jsonl",
        created=result.contacts_created,
        skipped=list(result.skipped),
        lines_done=result.lines_done,
        resumed_from=result.resumed_from,
        already_done=result.already_done,
        possible_duplicates=_arrivals(duplicates, owner_id, mark, result.contacts_created),
    )


def import_plain_lines(
    store: Store,
    contacts: ContactService,
    owner_id: str,
    lines: Sequence[bytes],
    *,
    max_lines: int,
    duplicates: DuplicateService | None,
) -> ImportSummary:
    """An upload's lines, validated whole and written in one transaction (InvalidInput
    naming each bad line, nothing written), with `possibleDuplicates` counted."""
    mark = duplicates.high_water() if duplicates is not None else 0
    created = ContactImporter(store, contacts).import_all(owner_id, lines, max_lines=max_lines)
    return ImportSummary(
        format="jsonl",
        created=created,
        lines_done=len(lines),
        possible_duplicates=_arrivals(duplicates, owner_id, mark, created),
    )


def _arrivals(duplicates: DuplicateService | None, owner_id: str, mark: int, created: int) -> int:
    """How many contacts made after `mark` likely duplicate another (0 when none were)."""
    if duplicates is None or not created:
        return 0
    return duplicates.count_arrivals(owner_id, mark)
