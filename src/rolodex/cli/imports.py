"""`rolodex import`: load many contacts from a JSON-lines file, resumably."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, print_json
from rolodex.contacts.importer import ContactImporter, default_workers


def import_contacts(
    file: Annotated[
        Path,
        typer.Argument(
            help="JSON lines: one contactData object per line.", exists=True, dir_okay=False
        ),
    ],
    email: Annotated[str, typer.Option(help="The account that will own the contacts.")],
    batch_size: Annotated[
        int, typer.Option(help="Contacts per transaction.", min=1, max=100_000)
    ] = 5000,
    restart: Annotated[
        bool, typer.Option(help="Start over instead of resuming an earlier run.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option(help="Leave out invalid lines instead of stopping.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Processes that prepare the next batches while one is written (0: none)."
            " Default: one per core, at most 4, and none on a single core.",
            min=0,
            max=16,
        ),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Import contacts; an interrupted import of the same file resumes where it stopped."""
    with open_services(data_dir, database_url) as services:
        account = services.accounts.find_by_email(email)
        importer = ContactImporter(services.store, services.contacts)
        total = sum(1 for line in file.open("rb") if line.strip())
        with typer.progressbar(
            length=total, label="importing", file=sys.stderr, hidden=quiet
        ) as bar:
            result = importer.run(
                account.account_id,
                file,
                batch_size=batch_size,
                restart=restart,
                skip_invalid=skip_invalid,
                progress=bar.update,
                workers=default_workers() if workers is None else workers,
            )
    print_json(
        {
            "linesDone": result.lines_done,
            "contactsCreated": result.contacts_created,
            "resumedFromLine": result.resumed_from,
            "alreadyImported": result.already_done,
            "skipped": [{"line": n, "problem": p} for n, p in result.skipped],
        }
    )
