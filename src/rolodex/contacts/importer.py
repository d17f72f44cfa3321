"""Bulk import of contacts from JSON lines: the fast path for loading many contacts.

One transaction per batch: the batch's contacts, their `created` changes and the
import's progress commit together, so an interrupted import resumes exactly after the
last committed batch and never creates a contact twice. The vCard and CSV importers
are meant to feed this same path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert, select, update

from rolodex.contacts.model import clean_contact_data
from rolodex.contacts.service import ContactService
from rolodex.errors import InvalidInput
from rolodex.store import Store
from rolodex.store.schema import imports
from rolodex.timestamps import now_ms


@dataclass(frozen=True, slots=True)
class ImportResult:
    lines_done: int
    contacts_created: int
    resumed_from: int
    skipped: list[tuple[int, str]]
    already_done: bool = False


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


def import_key(owner_id: str, source: Path) -> str:
    return hashlib.sha256(f"{owner_id}\0{source.resolve()}".encode()).hexdigest()


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
    ) -> ImportResult:
        """Import every line of `source` for `owner_id`, resuming an earlier run of the same file.

        An invalid line stops the import before its batch (nothing of that batch is
        written) unless `skip_invalid`, which leaves it out and reports it. A file already
        imported in full is not imported again unless `restart`.
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
        for batch in self._batches(source, skip=done, size=batch_size):
            datas = []
            for number, line in batch:
                try:
                    datas.append(contact_data_of(line, number))
                except InvalidInput as exc:
                    if not skip_invalid:
                        raise
                    skipped.append((number, exc.message))
            line_number = batch[-1][0]
            with self.store.write(owner_id=owner_id) as conn:
                created += self.contacts.create_many(conn, owner_id, datas)
                conn.execute(
                    update(imports)
                    .where(imports.c.import_key == key)
                    .values(
                        lines_done=line_number,
                        contacts_created=imports.c.contacts_created + len(datas),
                        updated_at=now_ms(),
                    )
                )
            if progress is not None:
                progress(len(batch))
        with self.store.write() as conn:
            conn.execute(
                update(imports).where(imports.c.import_key == key).values(finished_at=now_ms())
            )
        if created:
            self.store.analyze()
        return ImportResult(max(line_number, done), created, done, skipped)

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
