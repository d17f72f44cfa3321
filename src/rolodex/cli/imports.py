"""`rolodex import`: load contacts from vCard, Google or Outlook CSV, or JSON lines, resumably."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from rolodex.actors import importing as as_import
from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.contacts.importer import default_workers, import_key
from rolodex.errors import InvalidInput
from rolodex.formats.detect import FORMAT_NAMES, UnknownFormat
from rolodex.services import Services
from rolodex.transfer.importer import ImportSummary, Resumable
from rolodex.transfer.plain_lines import import_plain, is_plain


def owner_of(services: Services, email: str, team: str | None) -> str:
    """The account of `email`, or the team `team` when that account is one of its members."""
    account = services.accounts.find_by_email(email)
    if team is None:
        return account.account_id
    services.teams.require_member(team, account.account_id)
    return team


Team = Annotated[
    str | None, typer.Option(help="A team's id (t_...): its contacts instead of the account's.")
]


def import_contacts(
    file: Annotated[
        Path,
        typer.Argument(
            help="vCard (2.1, 3.0, 4.0), Google or Outlook CSV, or JSON lines.",
            exists=True,
            dir_okay=False,
        ),
    ],
    email: Annotated[str, typer.Option(help="The account that will own the contacts.")],
    team: Team = None,
    format: Annotated[
        str,
        typer.Option(
            "--format", help=f"One of {', '.join(FORMAT_NAMES)} (auto: told from the content)."
        ),
    ] = "auto",
    batch_size: Annotated[
        int, typer.Option(help="Contacts per transaction.", min=1, max=100_000)
    ] = 5000,
    restart: Annotated[
        bool, typer.Option(help="Start over instead of resuming an earlier run.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(help="Import the good contacts and list the bad ones, instead of none."),
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            help="For plain JSON lines and vCard files: processes that read and prepare the"
            " next contacts while a batch is written (0: none). Default: one per core, at"
            " most 4, none on a single core or for a file under 1 MiB.",
            min=0,
            max=16,
        ),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Import contacts; an interrupted import of the same file resumes where it stopped.

    Without --skip-invalid the file is checked whole first: one bad contact and nothing
    is imported, every problem listed with its line (exit 1). A contact whose UID an
    earlier import (or export) gave a contact updates that contact.
    """
    size = file.stat().st_size
    with open_services(data_dir, database_url) as services:
        owner_id = owner_of(services, email, team)
        with (
            typer.progressbar(
                length=size, label="checking ", file=sys.stderr, hidden=quiet or skip_invalid
            ) as checking,
            typer.progressbar(
                length=size, label="importing", file=sys.stderr, hidden=quiet
            ) as importing,
            # The versions of what it writes say "import" (docs/history.md).
            as_import(),
        ):
            if is_plain(file, format):
                summary = import_plain(
                    services.store,
                    services.contacts,
                    owner_id,
                    file,
                    batch_size=batch_size,
                    restart=restart,
                    skip_invalid=skip_invalid,
                    workers=default_workers() if workers is None else workers,
                    checking=checking.update,
                    progress=_lines_as_bytes(file, importing.update),
                    duplicates=services.duplicates,
                )
            else:
                summary = _import_cards(
                    services,
                    owner_id,
                    file,
                    format,
                    batch_size,
                    restart,
                    skip_invalid,
                    _card_workers(size) if workers is None else workers,
                    checking.update,
                    importing.update,
                )
    print_json(summary.as_json())
    if not summary.written:
        raise typer.Exit(code=1)


def _import_cards(
    services: Services,
    owner_id: str,
    file: Path,
    requested: str,
    batch_size: int,
    restart: bool,
    skip_invalid: bool,
    workers: int,
    checking: Callable[[int], None],
    importing: Callable[[int], None],
) -> ImportSummary:
    """Any other file: read as cards (vCard, CSV, wrapped JSON lines) by the card importer."""
    resumable = Resumable(import_key(owner_id, file), str(file.resolve()), restart)
    try:
        return services.card_import.run(
            owner_id,
            lambda: file.open("rb"),
            requested=requested,
            skip_invalid=skip_invalid,
            batch_size=batch_size,
            resumable=resumable,
            checking=checking,
            progress=importing,
            workers=workers,
        )
    except UnknownFormat as exc:
        raise InvalidInput(str(exc), field="format") from None


# Below this size, starting worker processes (a second each) costs more than they save.
_WORKERS_FROM_BYTES = 1 << 20


def _card_workers(size: int) -> int:
    return default_workers() if size >= _WORKERS_FROM_BYTES else 0


def _lines_as_bytes(file: Path, update: Callable[[int], None]) -> Callable[[int], None]:
    """The bulk importer counts lines done; the bar counts bytes: an average line's worth."""
    lines = 0
    with file.open("rb") as source:
        while chunk := source.read(1 << 20):
            lines += chunk.count(b"\n")
    per_line = file.stat().st_size / max(lines, 1)
    return lambda done: update(round(done * per_line))
