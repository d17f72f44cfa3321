"""Bulk import of contacts from JSON lines: the fast path for loading many contacts.

One transaction per batch: the batch's contacts, their `created` changes and the
import's progress commit together, so an interrupted import resumes exactly after the
last committed batch and never creates a contact twice. The vCard and CSV importers
are meant to feed this same path.

Reading, validating and preparing a batch (its stored JSON, sort keys and search rows:
pure Python, most of the cost) runs in worker processes while the batch before it is
written, so that the cores overlap. Batches are still written one at a time in file
order, each with its progress: the same rows, search documents and change-log entries
as preparing them in the writing process. `rolodex import` uses `default_workers()`.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert, select, update

from rolodex.contacts import phones
from rolodex.contacts.model import clean_contact_data
from rolodex.contacts.prepared import PreparedContact, prepare
from rolodex.contacts.search import index as search_index
from rolodex.contacts.service import ContactService
from rolodex.errors import InvalidInput
from rolodex.store import Store
from rolodex.store.schema import imports
from rolodex.timestamps import now_ms

# Batches prepared ahead of the one being written, per worker: enough to keep each busy.
_AHEAD = 2
# More workers than this measured no faster: the single writer is the limit by then.
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """Worker processes for an import when none are asked for: one per core, up to 4,
    and none on a single core (a worker could only take turns with the writer there).

    A worker overlaps preparing the next batch with writing this one, which is what made
    imports faster on the 2-core benchmark machine, on both stores (the figures:
    docs/benchmarks.md, "Numbers that were in comments").
    """
    cpus = os.cpu_count() or 1
    return 0 if cpus < 2 else min(cpus, MAX_DEFAULT_WORKERS)


Submit = Callable[..., "Future[PreparedBatch]"]


@dataclass(frozen=True, slots=True)
class ImportResult:
    lines_done: int
    contacts_created: int
    resumed_from: int
    skipped: list[tuple[int, str]]
    already_done: bool = False


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """One batch read and prepared: its last line, its contacts, and its invalid lines."""

    lines: int
    last_line: int
    contacts: list[PreparedContact]
    # (line number, message, details) of each invalid line, in file order.
    invalid: list[tuple[int, str, list[dict[str, str]]]]


def contact_data_of(line: bytes, line_number: int) -> dict[str, Any]:
    """One line's contactData: the line is contactData itself, `{"contactData"}` or `{"contact": {...}}`."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"line {line_number}: not valid JSON ({exc})", field="line") from None
    if not isinstance(value, dict):
        raise InvalidInput(f"line {line_number}: not a JSON object", field="line")
    if isinstance(value.get("contact"), dict):
        value = value["contact"]
    if "contactData" in value:
        value = value["contactData"]
    try:
        return clean_contact_data(value, field_name=f"line {line_number}")
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="line", details=exc.details) from None


def line_problem(message: str, details: list[dict[str, str]]) -> str:
    """What is wrong with one line, without repeating its number: "emails.0.value: ..."."""
    if details:
        first = details[0]
        where = first["field"].split(".", 1)[1] if "." in first["field"] else ""
        return f"{where}: {first['problem']}" if where else first["problem"]
    return message.split(": ", 1)[1] if message.startswith("line ") else message


def import_key(owner_id: str, source: Path) -> str:
    return hashlib.sha256(f"{owner_id}\0{source.resolve()}".encode()).hexdigest()


def prepare_batch(
    batch: list[tuple[int, bytes]], owner_id: str, dialect: str, region: str
) -> PreparedBatch:
    """Read, validate and prepare one batch of numbered lines (runs in the worker process)."""
    contacts: list[PreparedContact] = []
    invalid: list[tuple[int, str, list[dict[str, str]]]] = []
    for number, line in batch:
        try:
            data = contact_data_of(line, number)
        except InvalidInput as exc:
            invalid.append((number, exc.message, exc.details))
            continue
        contacts.append(prepare(dialect, owner_id, data, region))
    return PreparedBatch(len(batch), batch[-1][0], contacts, invalid)


@contextmanager
def _preparer(workers: int) -> Iterator[Submit]:
    """A way to prepare batches: in `workers` processes, or here and now when 0."""
    if workers < 1:

        def inline(fn: Callable[..., PreparedBatch], *args: Any) -> Future[PreparedBatch]:
            done: Future[PreparedBatch] = Future()
            done.set_result(fn(*args))
            return done

        yield inline
        return
    # spawn, not fork: the writing process holds database connections and threads.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool.submit
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class ContactImporter:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self.store = store
        self.contacts = contacts

    def run(
        self,
        owner_id: str,
        source: Path,
        *,
        batch_size: int = 1000,
        restart: bool = False,
        skip_invalid: bool = False,
        progress: Callable[[int], None] | None = None,
        workers: int = 0,
    ) -> ImportResult:
        """Import every line of `source` for `owner_id`, resuming an earlier run of the same file.

        An invalid line stops the import before its batch (nothing of that batch is
        written) unless `skip_invalid`, which leaves it out and reports it. A file already
        imported in full is not imported again unless `restart`. `workers`: processes that
        prepare batches ahead of the writes (0: this process prepares each batch itself).
        """
        if batch_size < 1:
            raise InvalidInput("must be at least 1", field="batch_size")
        key = import_key(owner_id, source)
        done, finished = self._resume_point(key, owner_id, source, restart=restart)
        if finished:
            # Already imported in full: importing it again would duplicate every contact.
            return ImportResult(done, 0, done, [], already_done=True)
        created = 0
        skipped: list[tuple[int, str]] = []
        line_number = done
        args = (owner_id, self.store.engine.dialect.name, phones.default_region())
        batches = self._batches(source, skip=done, size=batch_size)
        first = next(batches, None)
        with _preparer(workers) as submit, search_index.bulk_load(self.store):
            # The next batches go to the worker first, so that it starts while this
            # process prepares the first batch itself.
            ahead = _AHEAD * max(workers, 1)
            pending = deque(submit(prepare_batch, b, *args) for b in islice(batches, ahead))
            ready = None if first is None else prepare_batch(first, *args)
            while ready is not None:
                created += self._write(key, owner_id, ready, skipped, skip_invalid=skip_invalid)
                line_number = ready.last_line
                if progress is not None:
                    progress(ready.lines)
                following = next(batches, None)
                if following is not None:
                    pending.append(submit(prepare_batch, following, *args))
                ready = pending.popleft().result() if pending else None
        with self.store.write() as conn:
            conn.execute(
                update(imports).where(imports.c.import_key == key).values(finished_at=now_ms())
            )
        if created:
            self.store.analyze()
        return ImportResult(max(line_number, done), created, done, skipped)

    def import_all(self, owner_id: str, lines: Sequence[bytes], *, max_lines: int) -> int:
        """Import every contact of `lines` (JSON lines) in one transaction, or none of them.

        For an upload from the web address book: the whole file is read and validated
        first, and any invalid line refuses the whole file with InvalidInput whose
        `details` name each bad line (`{"field": "line N", "problem"}`, in file order),
        so a person fixes them all in one go. Blank lines are skipped. The contacts are
        then written through `ContactService.create_many` in one write transaction with
        their `created` changes, counted against the owner's limit like any import.
        Returns how many were created.
        """
        numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
        if not numbered:
            raise InvalidInput("the file has no contacts in it", field="file")
        if len(numbered) > max_lines:
            raise InvalidInput(
                f"the file has {len(numbered)} contacts; at most {max_lines} at a time",
                field="file",
            )
        region = phones.default_region()
        batch = prepare_batch(numbered, owner_id, self.store.engine.dialect.name, region)
        if batch.invalid:
            problems = [
                {"field": f"line {number}", "problem": line_problem(message, details)}
                for number, message, details in batch.invalid
            ]
            count = len(problems)
            raise InvalidInput(
                f"{count} line{'s' if count > 1 else ''} could not be read; nothing was imported",
                field="file",
                details=problems,
            )
        with search_index.bulk_load(self.store), self.store.write(owner_id=owner_id) as conn:
            datas = [p.data_json for p in batch.contacts]
            return self.contacts.create_many(conn, owner_id, datas, batch.contacts)

    def _write(
        self,
        key: str,
        owner_id: str,
        batch: PreparedBatch,
        skipped: list[tuple[int, str]],
        *,
        skip_invalid: bool,
    ) -> int:
        """Write one prepared batch and its progress in one transaction; contacts created."""
        if batch.invalid:
            if not skip_invalid:
                _, message, details = batch.invalid[0]
                raise InvalidInput(message, field="line", details=details)
            skipped.extend((number, message) for number, message, _ in batch.invalid)
        with self.store.write(owner_id=owner_id, bulk=True) as conn:
            datas = [p.data_json for p in batch.contacts]
            created = self.contacts.create_many(conn, owner_id, datas, batch.contacts)
            conn.execute(
                update(imports)
                .where(imports.c.import_key == key)
                .values(
                    lines_done=batch.last_line,
                    contacts_created=imports.c.contacts_created + len(batch.contacts),
                    updated_at=now_ms(),
                )
            )
        return created

    def _resume_point(
        self, key: str, owner_id: str, source: Path, *, restart: bool
    ) -> tuple[int, bool]:
        """Where this file's import stands: (lines done, finished), starting a record if new."""
        with self.store.write() as conn:
            row = conn.execute(select(imports).where(imports.c.import_key == key)).first()
            if row is not None and not restart:
                return int(row.lines_done), row.finished_at is not None
            now = now_ms()
            if row is not None:
                conn.execute(
                    update(imports)
                    .where(imports.c.import_key == key)
                    .values(
                        lines_done=0,
                        contacts_created=0,
                        started_at=now,
                        updated_at=now,
                        finished_at=None,
                    )
                )
            else:
                conn.execute(
                    insert(imports).values(
                        import_key=key,
                        owner_id=owner_id,
                        source=str(source.resolve()),
                        lines_done=0,
                        contacts_created=0,
                        started_at=now,
                        updated_at=now,
                    )
                )
        return 0, False

    @staticmethod
    def _batches(source: Path, *, skip: int, size: int) -> Iterator[list[tuple[int, bytes]]]:
        """Numbered non-blank lines after the first `skip` lines, in lists of `size`."""
        batch: list[tuple[int, bytes]] = []
        with source.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if number <= skip or not line.strip():
                    continue
                batch.append((number, line))
                if len(batch) >= size:
                    yield batch
                    batch = []
        if batch:
            yield batch
