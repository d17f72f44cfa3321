"""`rolodex duplicates`: the groups of likely duplicates in an account's or a team's book."""

from __future__ import annotations

from typing import Annotated

import typer

from rolodex.cli.common import DatabaseUrl, DataDir, open_services, write_listing
from rolodex.cli.imports import Team, owner_of


def find_duplicates(
    email: Annotated[str, typer.Option(help="The account whose book is searched.")],
    team: Team = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", help="From 0.5 to 1 (default 0.85): a group's weakest link."),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print every group as `{"duplicates": [{contactIds, score, reasons}]}`, strongest first.

    The same groups as the Contacts+ extension `contacts.findDuplicates`, all at once,
    printed as they are read (a big book's groups are never all in memory), in the same
    layout as the other commands' JSON.
    """
    with open_services(data_dir, database_url) as services:
        owner_id = owner_of(services, email, team)
        write_listing(
            "duplicates", (s.as_json() for s in services.duplicates.stream(owner_id, min_score))
        )
