"""Importing a contact file of any format: checked whole first, then written in batches.

Without `skip_invalid`, the whole file is read and checked before anything is written,
and a file with any bad card writes nothing and lists every problem with its line; with
it, the bad cards are left out and listed, and the good ones imported. The writing pass
reads the file again, a batch of cards per transaction (batches.py), each batch with its
`imports` record when the import is resumable (resume.py). Photos are attached after
their batch commits, through the photo service as uploads are. Group cards (Apple's and
vCard 4.0's) tag their members once every card is written. Memory holds one batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from rolodex.contacts import phones
from rolodex.contacts.search import index as search_index
from rolodex.contacts.service import ContactService
from rolodex.duplicates.service import DuplicateService
from rolodex.errors import DomainError, LimitExceeded
from rolodex.formats.card import CardProblem
from rolodex.formats.detect import VCARD, open_text
from rolodex.formats.vcard import Group
from rolodex.photos.images import ImageLimits
from rolodex.photos.service import PhotoService
from rolodex.store import Store
from rolodex.tags.model import clean_name, name_key
from rolodex.transfer import resume
from rolodex.transfer.batches import Written, targets_of, uploaded, write_batch
from rolodex.transfer.card_workers import (
    Checked,
    Preparing,
    Submit,
    checked_in_workers,
    worker_pool,
)
from rolodex.transfer.checks import CheckedCard, check_card
from rolodex.transfer.reading import CountingReader, Progress, cards_of_lines, read_file
from rolodex.transfer.tag_names import ensure_tags

log = logging.getLogger("rolodex.transfer")

OpenFile = Callable[[], AbstractContextManager[BinaryIO]]


class TooManyCards(LimitExceeded):
    """The file holds more cards than one import may (an HTTP upload's limit)."""

    code = "too_many_cards"


@dataclass(slots=True)
class ImportSummary:
    """What an import did. `errors` stopped it (nothing written) or are photos not kept;
    `skipped` are the cards left out with `skip_invalid`."""

    format: str
    created: int = 0
    updated: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    lines_done: int = 0
    resumed_from: int = 0
    already_done: bool = False
    written: bool = True
    # New contacts that likely duplicate another of the book (rolodex.duplicates).
    possible_duplicates: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "created": self.created,
            "updated": self.updated,
            "skipped": [{"line": n, "problem": p} for n, p in self.skipped],
            "errors": [{"line": n, "problem": p} for n, p in self.errors],
            # The names `rolodex import` has always answered with.
            "linesDone": self.lines_done,
            "contactsCreated": self.created,
            "resumedFromLine": self.resumed_from,
            "alreadyImported": self.already_done,
            "possibleDuplicates": self.possible_duplicates,
        }


@dataclass(frozen=True, slots=True)
class Resumable:
    """The `imports` record of a resumable import: its key and the file it reads."""

    key: str
    source: str
    restart: bool = False


class CardImporter:
    def __init__(
        self,
        store: Store,
        contacts: ContactService,
        photos: PhotoService,
        duplicates: DuplicateService | None = None,
    ) -> None:
        self.store = store
        self.contacts = contacts
        self.photos = photos
        # Counts the summary's `possibleDuplicates` once the import is written.
        self.duplicates = duplicates

    def run(
        self,
        owner_id: str,
        open_file: OpenFile,
        *,
        requested: str = "auto",
        skip_invalid: bool = False,
        batch_size: int = 1000,
        max_cards: int | None = None,
        resumable: Resumable | None = None,
        checking: Progress | None = None,
        progress: Progress | None = None,
        workers: int = 0,
    ) -> ImportSummary:
        """Import every card of the file for `owner_id` (see the module docstring).

        `open_file` opens the file from its start (it is read twice without
        `skip_invalid`); `checking` and `progress` are told the bytes each pass reads.
        `workers`: processes that read and check a vCard file's cards (card_workers.py;
        0: this process does). Raises `formats.detect.UnknownFormat` for a file of no
        known format and `TooManyCards` past `max_cards`.
        """
        with worker_pool(workers) as submit:
            reader = _Reader(submit, workers, self.photos.limits)
            return self._run(
                owner_id,
                open_file,
                reader,
                requested,
                skip_invalid,
                batch_size,
                max_cards,
                resumable,
                checking,
                progress,
            )

    def _run(
        self,
        owner_id: str,
        open_file: OpenFile,
        reader: _Reader,
        requested: str,
        skip_invalid: bool,
        batch_size: int,
        max_cards: int | None,
        resumable: Resumable | None,
        checking: Progress | None,
        progress: Progress | None,
    ) -> ImportSummary:
        fmt = ""
        if not skip_invalid or max_cards is not None:
            found = self._check(open_file, reader, requested, max_cards, checking)
            if found.errors and not skip_invalid:
                found.written = False
                return found
            fmt = found.format
        done = 0
        if resumable is not None:
            done, finished = resume.resume_point(
                self.store, resumable.key, owner_id, resumable.source, restart=resumable.restart
            )
            if finished:
                if not fmt:
                    with open_file() as stream:
                        fmt = read_file(stream, requested)[0]
                return ImportSummary(fmt, lines_done=done, resumed_from=done, already_done=True)
        mark = self.duplicates.high_water() if self.duplicates is not None else None
        preparing = Preparing(owner_id, self.store.engine.dialect.name, phones.default_region())
        with open_file() as stream, search_index.bulk_load(self.store):
            fmt, cards = reader.read(CountingReader(stream, progress), requested, preparing)
            summary = ImportSummary(fmt, lines_done=done, resumed_from=done)
            groups: list[Group] = []
            for batch in self._batches(cards, done, batch_size, summary, groups):
                self._write(owner_id, batch, summary, resumable)
        if groups:
            self._tag_groups(owner_id, groups, summary)
        if resumable is not None:
            resume.finish(self.store, resumable.key)
        if self.duplicates is not None and mark is not None and summary.created:
            summary.possible_duplicates = self.duplicates.count_arrivals(owner_id, mark)
        return summary

    def _check(
        self,
        open_file: OpenFile,
        reader: _Reader,
        requested: str,
        max_cards: int | None,
        checking: Progress | None,
    ) -> ImportSummary:
        """The first pass: every problem of the file, and the count against `max_cards`."""
        count = 0
        with open_file() as stream:
            fmt, cards = reader.read(CountingReader(stream, checking), requested, None)
            summary = ImportSummary(fmt)
            for checked in cards:
                count += 1
                if max_cards is not None and count > max_cards:
                    raise TooManyCards(
                        f"the file holds more than {max_cards} contacts, the most one import"
                        " may hold (docs/limits.md); split it",
                        field="file",
                    )
                if isinstance(checked, CardProblem):
                    summary.errors.append((checked.line, checked.message))
        return summary

    def _batches(
        self,
        cards: Iterator[Checked],
        done: int,
        size: int,
        summary: ImportSummary,
        groups: list[Group],
    ) -> Iterator[list[CheckedCard]]:
        """The good cards after line `done`, in batches; no `UID` twice in one batch."""
        batch: list[CheckedCard] = []
        uids: set[str] = set()
        for checked in cards:
            if checked.line <= done:
                continue
            if isinstance(checked, CardProblem):
                summary.skipped.append((checked.line, checked.message))
            elif isinstance(checked, Group):
                groups.append(checked)
            else:
                if len(batch) >= size or (checked.uid is not None and checked.uid in uids):
                    yield batch
                    batch, uids = [], set()
                batch.append(checked)
                if checked.uid is not None:
                    uids.add(checked.uid)
        if batch:
            yield batch

    def _write(
        self,
        owner_id: str,
        batch: list[CheckedCard],
        summary: ImportSummary,
        resumable: Resumable | None,
    ) -> None:
        with self.store.write(owner_id=owner_id, bulk=True) as conn:
            written = write_batch(conn, self.contacts, owner_id, batch)
            if resumable is not None:
                resume.record_batch(conn, resumable.key, batch[-1].line, len(written.created))
        summary.created += len(written.created)
        summary.updated += len(written.updated)
        summary.lines_done = batch[-1].line
        self._attach_photos(owner_id, written, summary)

    def _attach_photos(self, owner_id: str, written: Written, summary: ImportSummary) -> None:
        """Each card's photos, uploaded to its contact (the first becomes the primary).

        A contact updated by a card keeps the photos uploaded to it and takes the card's
        only when it has none, so re-importing a file does not add its photos again.
        """
        fresh = [(card, contact, True) for card, contact in written.created]
        fresh += [(card, contact, False) for card, contact in written.updated]
        for card, contact, new in fresh:
            if not card.photos or (not new and _has_uploads(contact.data)):
                continue
            for number, raw in reversed(list(enumerate(card.photos, start=1))):
                try:
                    self.photos.upload(owner_id, contact.contact_id, raw)
                except DomainError as exc:
                    summary.errors.append((card.line, f"photo {number} not kept: {exc.message}"))

    def _tag_groups(self, owner_id: str, groups: list[Group], summary: ImportSummary) -> None:
        """Tag each group card's members with the group's name, in one transaction."""
        with self.store.write(owner_id=owner_id) as conn:
            for group in groups:
                try:
                    name = clean_name(group.name, field="tags")
                except DomainError as exc:
                    summary.skipped.append((group.line, f"group name: {exc.message}"))
                    continue
                members, _ = targets_of(conn, owner_id, list(dict.fromkeys(group.members)))
                if not members:
                    continue
                tag_id = ensure_tags(conn, owner_id, [name])[name_key(name)]
                for contact in members.values():
                    if tag_id not in contact.tag_ids:
                        contact.tag_ids = sorted({*contact.tag_ids, tag_id})
                        self.contacts.record_in(conn, contact)


class _Reader:
    """A file's cards, checked: by the worker processes for a vCard file when there are
    any (card_workers.py), else here, one by one."""

    def __init__(self, submit: Submit | None, workers: int, limits: ImageLimits) -> None:
        self.submit = submit
        self.workers = workers
        self.limits = limits

    def read(
        self, stream: CountingReader, requested: str, preparing: Preparing | None
    ) -> tuple[str, Iterator[Checked]]:
        sniffed, lines = open_text(stream, requested)
        if self.submit is not None and sniffed.format == VCARD:
            checked = checked_in_workers(self.submit, self.workers, lines, self.limits, preparing)
            return sniffed.format, checked
        cards = cards_of_lines(sniffed.format, lines)
        return sniffed.format, (
            item if isinstance(item, CardProblem) else check_card(item, self.limits)
            for item in cards
        )


def _has_uploads(data: dict[str, Any]) -> bool:
    return bool(uploaded(data))
